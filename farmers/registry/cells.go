package registry

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// How list cells are written in files. One cell holds a list of items
// separated by ";" (also ；、,， on import), and an item of crops or
// livestock is "name:amount" (also ：):
//
//	种植作物  玉米:30亩;大豆:10.5亩;蔬菜      (area in 亩; the unit is optional on import, absent = not stated)
//	养殖      牛:20;羊:100只;蜜蜂            (head count, an integer; a unit after it is ignored)
//	身份      农户、合作社                    (Chinese titles or the English role names)
//
// Downloads write exactly these forms (roles separated by 、), so a
// downloaded file imports back to the same records.

// listSeparators split a cell into items.
const listSeparators = ";；、,，\n"

// itemSeparators split an item into name and amount.
const itemSeparators = ":："

// splitList splits a cell into trimmed, non-empty items.
func splitList(cell string) []string {
	parts := strings.FieldsFunc(cell, func(r rune) bool { return strings.ContainsRune(listSeparators, r) })
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// splitItem cuts "玉米:30亩" into "玉米" and "30亩".
func splitItem(item string) (name, amount string) {
	if i := strings.IndexAny(item, itemSeparators); i >= 0 {
		_, w := utf8.DecodeRuneInString(item[i:])
		return strings.TrimSpace(item[:i]), strings.TrimSpace(item[i+w:])
	}
	return strings.TrimSpace(item), ""
}

// plainName reports whether s can be a crop or livestock name inside a
// cell: no separators, so that writing and reading it gives it back.
func plainName(s string) bool {
	return s != "" && !strings.ContainsAny(s, listSeparators+itemSeparators)
}

// parseCrops reads a crops cell.
func parseCrops(cell string) ([]Crop, error) {
	out := []Crop{}
	for _, it := range splitList(cell) {
		name, amount := splitItem(it)
		if name == "" {
			return nil, fmt.Errorf("%q has no crop name", it)
		}
		area, err := parseArea(amount)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out = append(out, Crop{Crop: name, AreaMu: area})
	}
	return out, nil
}

func parseArea(s string) (float64, error) {
	s = strings.TrimSpace(strings.TrimSuffix(s, "亩"))
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil || math.IsNaN(v): // ParseFloat reads "NaN", which no bound refuses
		return 0, fmt.Errorf("area %q is not a number of 亩", s)
	case v < 0:
		return 0, fmt.Errorf("area must not be negative")
	case v > maxAreaMu:
		return 0, fmt.Errorf("area is more than %d 亩", maxAreaMu)
	case v == 0:
		return 0, nil // "-0" too: stored as -0 it would download as no area and read back as +0
	}
	return v, nil
}

// maxAreaMu and maxHead bound amounts far above any holding, so that a
// typo (an ID number in the area column) is caught.
const (
	maxAreaMu = 1_000_000
	maxHead   = 100_000_000
)

// formatCrops writes a crops cell.
func formatCrops(cs []Crop) string {
	items := make([]string, len(cs))
	for i, c := range cs {
		items[i] = c.Crop
		if c.AreaMu != 0 {
			items[i] += ":" + strconv.FormatFloat(c.AreaMu, 'f', -1, 64) + "亩"
		}
	}
	return strings.Join(items, ";")
}

// headRE is a head count with an optional unit (头, 只, 羽, 箱 …).
var headRE = regexp.MustCompile(`^([0-9]+)\s*\p{Han}*$`)

// parseLivestock reads a livestock cell.
func parseLivestock(cell string) ([]Livestock, error) {
	out := []Livestock{}
	for _, it := range splitList(cell) {
		kind, amount := splitItem(it)
		if kind == "" {
			return nil, fmt.Errorf("%q has no animal kind", it)
		}
		var head int64
		if amount != "" {
			m := headRE.FindStringSubmatch(amount)
			if m == nil {
				return nil, fmt.Errorf("%s: head count %q is not a whole number", kind, amount)
			}
			n, err := strconv.ParseInt(m[1], 10, 64)
			if err != nil || n > maxHead {
				return nil, fmt.Errorf("%s: head count is more than %d", kind, maxHead)
			}
			head = n
		}
		out = append(out, Livestock{Kind: kind, Head: head})
	}
	return out, nil
}

// formatLivestock writes a livestock cell (bare counts: the unit depends
// on the animal, and the count is what matters).
func formatLivestock(ls []Livestock) string {
	items := make([]string, len(ls))
	for i, l := range ls {
		items[i] = l.Kind
		if l.Head != 0 {
			items[i] += ":" + strconv.FormatInt(l.Head, 10)
		}
	}
	return strings.Join(items, ";")
}

// parseRoles reads a roles cell: Chinese titles or role names, in any
// order; the result is in Roles order without duplicates.
func parseRoles(cell string) ([]string, error) {
	var got []string
	for _, it := range strings.FieldsFunc(cell, func(r rune) bool {
		return strings.ContainsRune(listSeparators+"/", r) || unicode.IsSpace(r)
	}) {
		r, ok := roleOf(it)
		if !ok {
			return nil, fmt.Errorf("unknown role %q (one of: %s)", it, strings.Join(roleTitleList(), "、"))
		}
		got = append(got, r)
	}
	return canonicalRoles(got), nil
}

// canonicalRoles orders roles as Roles does, without duplicates.
func canonicalRoles(rs []string) []string {
	out := []string{}
	for _, r := range Roles {
		if slices.Contains(rs, r) {
			out = append(out, r)
		}
	}
	return out
}

func roleOf(s string) (string, bool) {
	for _, rt := range roleTitles {
		if strings.EqualFold(s, rt.role) || slices.Contains(rt.titles, s) {
			return rt.role, true
		}
	}
	return "", false
}

func roleTitleList() []string {
	out := make([]string, len(roleTitles))
	for i, rt := range roleTitles {
		out[i] = rt.titles[0]
	}
	return out
}

// formatRoles writes roles by their first Chinese title.
func formatRoles(rs []string) string {
	out := make([]string, 0, len(rs))
	for _, rt := range roleTitles {
		if slices.Contains(rs, rt.role) {
			out = append(out, rt.titles[0])
		}
	}
	return strings.Join(out, "、")
}

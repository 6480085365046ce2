// Package regions is a built-in table of Liaoning's administrative divisions
// by GB/T 2260 code: the province, its 14 prefecture-level cities and their
// 100 county-level divisions (districts, counties, county-level cities and
// autonomous counties), plus a few recently abolished codes kept as aliases so
// that older 12316 exports still import. See table.go for the source.
//
// Everything here is read-only after init, so all functions are safe for
// concurrent use.
package regions

import (
	"slices"
	"strings"
	"unicode"
)

// Region is one row of the table.
type Region struct {
	Code      string // six digits
	Name      string // 和平区
	NameEn    string // Heping District
	Level     int    // 1 province, 2 city, 3 county/district
	City      string // the city code (e.g. "210100") for levels 2 and 3; "" for the province
	Successor string // non-empty for an abolished code kept as an alias
}

// Levels.
const (
	LevelProvince = 1
	LevelCity     = 2
	LevelCounty   = 3
)

// Province is the code of Liaoning itself.
const Province = "210000"

var (
	byCode   = map[string]Region{}
	byName   = map[string][]Region{} // current names, alias names and former names
	cities   []Region
	counties = map[string][]Region{} // city code → its current counties, in code order
)

func init() {
	for _, r := range table {
		byCode[r.Code] = r
		byName[r.Name] = append(byName[r.Name], r)
		switch {
		case r.Level == LevelCity:
			cities = append(cities, r)
		case r.Level == LevelCounty && r.Successor == "":
			counties[r.City] = append(counties[r.City], r)
		}
	}
	for name, code := range formerNames {
		byName[name] = append(byName[name], byCode[code])
	}
	// The table is written in code order, but sorting keeps the promise of
	// Cities and Counties independent of how someone edits it later.
	byCodeOrder := func(a, b Region) int { return strings.Compare(a.Code, b.Code) }
	slices.SortFunc(cities, byCodeOrder)
	for _, cs := range counties {
		slices.SortFunc(cs, byCodeOrder)
	}
}

// Lookup finds a region by code, aliases included (their Successor is set).
func Lookup(code string) (Region, bool) {
	r, ok := byCode[code]
	return r, ok
}

// IsCity reports whether code is one of the 14 prefecture-level cities.
func IsCity(code string) bool {
	r, ok := byCode[code]
	return ok && r.Level == LevelCity
}

// IsCounty reports whether code is a current county-level code (not an alias).
func IsCounty(code string) bool {
	r, ok := byCode[code]
	return ok && r.Level == LevelCounty && r.Successor == ""
}

// CityOf returns the city code of a city or county code (aliases included),
// and "" for the province or an unknown code.
func CityOf(code string) string {
	r, ok := byCode[code]
	if !ok || r.Level == LevelProvince {
		return ""
	}
	return r.City
}

// Cities returns the 14 cities in code order. The slice is the caller's.
func Cities() []Region { return slices.Clone(cities) }

// Counties returns the current county-level divisions of city in code order
// (aliases excluded), or nil when city is not a city code. The slice is the
// caller's.
func Counties(city string) []Region { return slices.Clone(counties[city]) }

// Canonical maps an alias to its successor and a current code to itself;
// ok is false for an unknown code.
func Canonical(code string) (string, bool) {
	r, ok := byCode[code]
	if !ok {
		return "", false
	}
	if r.Successor != "" {
		return r.Successor, true
	}
	return r.Code, true
}

// FullName is the name with its province and city, e.g. "辽宁省沈阳市和平区";
// an alias keeps its own (historical) name. "" for an unknown code.
func FullName(code string) string {
	r, ok := byCode[code]
	if !ok {
		return ""
	}
	switch r.Level {
	case LevelProvince:
		return r.Name
	case LevelCity:
		return byCode[Province].Name + r.Name
	}
	return byCode[Province].Name + byCode[r.City].Name + r.Name
}

// Contains reports whether code lies in area, where area is the province, a
// city or a county code: the province contains every known code, a city
// contains itself and its counties, a county only itself. Aliases on either
// side are resolved to their successors first, so an old 辽中县 record is
// in 沈阳市 and in 辽中区. Unknown codes are in nothing and contain nothing.
func Contains(area, code string) bool {
	a, ok := Canonical(area)
	if !ok {
		return false
	}
	c, ok := Canonical(code)
	if !ok {
		return false
	}
	switch byCode[a].Level {
	case LevelProvince:
		return true
	case LevelCity:
		return c == a || byCode[c].City == a
	}
	return c == a
}

// ByName finds a region by its Chinese name as 12316 exports write it: exact
// ("和平区", "沈阳市"), with the city ("沈阳市和平区", "沈阳和平区"), or full
// ("辽宁省沈阳市和平区", "辽宁沈阳和平区"); whitespace anywhere is ignored. A
// city may also be given without 市 ("沈阳"). A name shared by several
// regions — in Liaoning only 铁西区, which both 沈阳 (210106) and 鞍山
// (210303) have — returns ok=false unless the city disambiguates.
//
// An abolished name returns its alias row ("辽中县" → 210122 with Successor
// 210115), as Lookup does for the code; a renamed region's former name
// ("东陵区") returns the current row (210112 浑南区).
func ByName(name string) (Region, bool) {
	s := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, name)
	if s == "" {
		return Region{}, false
	}
	for _, p := range []string{"辽宁省", "辽宁"} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			s = rest
			break
		}
	}
	if s == "" {
		return byCode[Province], true
	}
	if rs := byName[s]; len(rs) > 0 {
		if len(rs) == 1 {
			return rs[0], true
		}
		return Region{}, false // ambiguous without its city
	}
	for _, c := range cities {
		short := strings.TrimSuffix(c.Name, "市")
		if s == short {
			return c, true
		}
		for _, p := range []string{c.Name, short} {
			rest, ok := strings.CutPrefix(s, p)
			if !ok || rest == "" {
				continue
			}
			for _, r := range byName[rest] {
				if r.Level == LevelCounty && r.City == c.Code {
					return r, true
				}
			}
		}
	}
	return Region{}, false
}

package regions

import (
	"testing"
	"unicode/utf8"
)

// FuzzRegions: region cells and ?region= reach Lookup and ByName as any
// string. A code found is its own row, consistent with the predicates and
// inside the province; a name found is a row whose code looks up to
// itself, whose full name finds it again, and which spaces anywhere in
// the name do not change.
func FuzzRegions(f *testing.F) {
	for _, s := range []string{
		"210102", "210122", "210000", "211300", "211321", "110101", "21010", "2101020", "",
		"和平区", "沈阳市和平区", "沈阳和平区", "辽宁省沈阳市和平区", "辽宁沈阳和平区", "沈阳", "盘锦市",
		"铁西区", "鞍山铁西区", "辽中县", "东陵区", "朝阳朝阳县", "辽宁省", "辽宁", " 丹东 东港市 ", "\xff和平区",
	} {
		f.Add(s, uint8(3))
	}
	f.Fuzz(func(t *testing.T, s string, at uint8) {
		if r, ok := Lookup(s); ok {
			checkCode(t, r)
		} else if FullName(s) != "" || CityOf(s) != "" || Contains(Province, s) || IsCity(s) || IsCounty(s) {
			t.Fatalf("unknown code %q answers as known", s)
		}
		r, ok := ByName(s)
		if !ok {
			return
		}
		if back, found := Lookup(r.Code); !found || back != r {
			t.Fatalf("ByName(%q) = %+v, its code looks up to %+v", s, r, back)
		}
		if back, _ := ByName(FullName(r.Code)); back != r {
			t.Fatalf("ByName(%q) = %s, ByName(%q) = %s", s, r.Code, FullName(r.Code), back.Code)
		}
		spaced := insertAt(s, int(at), "\u3000")
		if back, found := ByName(spaced); !found || back != r {
			t.Fatalf("ByName(%q) = %s, with a space %q: %s", s, r.Code, spaced, back.Code)
		}
	})
}

// checkCode holds the row Lookup found to the rest of the API.
func checkCode(t *testing.T, r Region) {
	t.Helper()
	c, ok := Canonical(r.Code)
	cur, _ := Lookup(c)
	switch {
	case !ok || cur.Successor != "" || (r.Successor == "") != (c == r.Code):
		t.Fatalf("%+v: canonical %q %v", r, c, ok)
	case FullName(r.Code) == "" || !Contains(Province, r.Code) || !Contains(c, r.Code):
		t.Fatalf("%+v: not inside the province or its canonical code", r)
	case IsCity(r.Code) != (r.Level == LevelCity) || IsCounty(r.Code) != (r.Level == LevelCounty && r.Successor == ""):
		t.Fatalf("%+v: IsCity %v IsCounty %v", r, IsCity(r.Code), IsCounty(r.Code))
	case r.Level == LevelCounty && !Contains(CityOf(r.Code), r.Code):
		t.Fatalf("%+v: not in its city %q", r, CityOf(r.Code))
	}
}

// insertAt puts ins into s before the rune at index n (mod the rune count).
func insertAt(s string, n int, ins string) string {
	n %= utf8.RuneCountInString(s) + 1
	i := 0
	for n > 0 {
		_, w := utf8.DecodeRuneInString(s[i:])
		i, n = i+w, n-1
	}
	return s[:i] + ins + s[i:]
}

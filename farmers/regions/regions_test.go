package regions

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// wantCounties is the number of current county-level divisions per city in
// the Ministry of Civil Affairs list (2025 edition, unchanged since 2016), as
// transcribed in yescallop/areacodes data/2025.txt.
var wantCounties = map[string]int{
	"210100": 13, // 沈阳
	"210200": 10, // 大连
	"210300": 7,  // 鞍山
	"210400": 7,  // 抚顺
	"210500": 6,  // 本溪
	"210600": 6,  // 丹东
	"210700": 7,  // 锦州
	"210800": 6,  // 营口
	"210900": 7,  // 阜新
	"211000": 7,  // 辽阳
	"211100": 4,  // 盘锦
	"211200": 7,  // 铁岭
	"211300": 7,  // 朝阳
	"211400": 6,  // 葫芦岛
}

func TestCounts(t *testing.T) {
	cs := Cities()
	if len(cs) != 14 {
		t.Fatalf("%d cities, want 14", len(cs))
	}
	total := 0
	for _, c := range cs {
		n := len(Counties(c.Code))
		if n != wantCounties[c.Code] {
			t.Errorf("%s %s: %d counties, want %d", c.Code, c.Name, n, wantCounties[c.Code])
		}
		total += n
	}
	if total != 100 {
		t.Errorf("%d counties in all, want 100", total)
	}
	if !slices.IsSortedFunc(cs, func(a, b Region) int { return strings.Compare(a.Code, b.Code) }) {
		t.Error("Cities not in code order")
	}
	if Counties("210000") != nil || Counties("210102") != nil || Counties("999999") != nil {
		t.Error("Counties of a non-city should be nil")
	}
}

// TestTableShape checks every row against the GB/T 2260 structure: the code
// encodes its own level and city, and aliases point at current counties.
func TestTableShape(t *testing.T) {
	six := regexp.MustCompile(`^21[0-9]{4}$`)
	seen := map[string]bool{}
	for _, r := range table {
		if !six.MatchString(r.Code) {
			t.Errorf("%q: not a Liaoning six-digit code", r.Code)
		}
		if seen[r.Code] {
			t.Errorf("%s: duplicate code", r.Code)
		}
		seen[r.Code] = true
		if r.Name == "" || r.NameEn == "" {
			t.Errorf("%s: missing a name", r.Code)
		}
		switch r.Level {
		case LevelProvince:
			if r.Code != Province || r.City != "" {
				t.Errorf("%s: bad province row %+v", r.Code, r)
			}
		case LevelCity:
			if r.Code[4:] != "00" || r.City != r.Code {
				t.Errorf("%s: bad city row %+v", r.Code, r)
			}
		case LevelCounty:
			if r.Code[4:] == "00" || r.City != r.Code[:4]+"00" || !IsCity(r.City) {
				t.Errorf("%s: county with bad city %q", r.Code, r.City)
			}
		default:
			t.Errorf("%s: level %d", r.Code, r.Level)
		}
		if r.Successor != "" {
			s, ok := Lookup(r.Successor)
			if r.Level != LevelCounty || !ok || s.Successor != "" || s.City != r.City {
				t.Errorf("%s: alias to %q is not a current county of the same city", r.Code, r.Successor)
			}
		}
	}
	for _, c := range Cities() {
		for _, k := range Counties(c.Code) {
			if k.City != c.Code || !IsCounty(k.Code) || CityOf(k.Code) != c.Code {
				t.Errorf("%s listed under %s", k.Code, c.Code)
			}
		}
	}
}

func TestLookupAndPredicates(t *testing.T) {
	for _, tc := range []struct {
		code           string
		name           string
		city, county   bool
		cityOf         string
		canonical      string
		canonicalKnown bool
	}{
		{"210000", "辽宁省", false, false, "", "210000", true},
		{"210100", "沈阳市", true, false, "210100", "210100", true},
		{"210102", "和平区", false, true, "210100", "210102", true},
		{"210181", "新民市", false, true, "210100", "210181", true},
		{"210281", "瓦房店市", false, true, "210200", "210281", true},
		{"210403", "东洲区", false, true, "210400", "210403", true},
		{"210624", "宽甸满族自治县", false, true, "210600", "210624", true},
		{"211104", "大洼区", false, true, "211100", "211104", true},
		{"211321", "朝阳县", false, true, "211300", "211321", true},
		{"211324", "喀喇沁左翼蒙古族自治县", false, true, "211300", "211324", true},
		{"211481", "兴城市", false, true, "211400", "211481", true},
		// aliases: known, in their city, but not current counties
		{"210122", "辽中县", false, false, "210100", "210115", true},
		{"210282", "普兰店市", false, false, "210200", "210214", true},
		{"211121", "大洼县", false, false, "211100", "211104", true},
		// unknown: abolished long ago, a 市辖区 placeholder, elsewhere, junk
		{"210121", "", false, false, "", "", false},
		{"210101", "", false, false, "", "", false},
		{"219999", "", false, false, "", "", false},
		{"110101", "", false, false, "", "", false},
		{"", "", false, false, "", "", false},
		{"2101", "", false, false, "", "", false},
	} {
		r, ok := Lookup(tc.code)
		if ok != (tc.name != "") || r.Name != tc.name {
			t.Errorf("Lookup(%q) = %+v, %v; want name %q", tc.code, r, ok, tc.name)
		}
		if IsCity(tc.code) != tc.city {
			t.Errorf("IsCity(%q) = %v", tc.code, !tc.city)
		}
		if IsCounty(tc.code) != tc.county {
			t.Errorf("IsCounty(%q) = %v", tc.code, !tc.county)
		}
		if got := CityOf(tc.code); got != tc.cityOf {
			t.Errorf("CityOf(%q) = %q, want %q", tc.code, got, tc.cityOf)
		}
		if got, ok := Canonical(tc.code); got != tc.canonical || ok != tc.canonicalKnown {
			t.Errorf("Canonical(%q) = %q, %v", tc.code, got, ok)
		}
	}
}

func TestFullName(t *testing.T) {
	for code, want := range map[string]string{
		"210000": "辽宁省",
		"210100": "辽宁省沈阳市",
		"210102": "辽宁省沈阳市和平区",
		"211324": "辽宁省朝阳市喀喇沁左翼蒙古族自治县",
		"210122": "辽宁省沈阳市辽中县",
		"219999": "",
	} {
		if got := FullName(code); got != want {
			t.Errorf("FullName(%q) = %q, want %q", code, got, want)
		}
	}
	// every current name round-trips through ByName
	for _, r := range table {
		got, ok := ByName(FullName(r.Code))
		if !ok || got.Code != r.Code {
			t.Errorf("ByName(FullName(%s)) = %+v, %v", r.Code, got, ok)
		}
	}
}

func TestContains(t *testing.T) {
	for _, tc := range []struct {
		area, code string
		want       bool
	}{
		{"210000", "210000", true},
		{"210000", "210100", true},
		{"210000", "211481", true},
		{"210000", "210122", true}, // alias is still in Liaoning
		{"210100", "210100", true},
		{"210100", "210102", true},
		{"210100", "210181", true},
		{"210100", "210122", true}, // 辽中县 → 辽中区, in 沈阳
		{"210100", "210202", false},
		{"210100", "210000", false}, // a city does not contain the province
		{"210300", "210303", true},
		{"210300", "210106", false}, // 沈阳's 铁西区 is not in 鞍山
		{"210115", "210122", true},  // the alias is its successor
		{"210122", "210115", true},  // and the other way round
		{"210102", "210102", true},
		{"210102", "210103", false},
		{"210102", "210100", false}, // a county does not contain its city
		{"210000", "219999", false}, // unknown code
		{"219999", "210102", false}, // unknown area
		{"110000", "110101", false},
		{"", "210102", false},
	} {
		if got := Contains(tc.area, tc.code); got != tc.want {
			t.Errorf("Contains(%q, %q) = %v, want %v", tc.area, tc.code, got, tc.want)
		}
	}
}

func TestByName(t *testing.T) {
	for _, tc := range []struct {
		name string
		want string // "" for not found / ambiguous
	}{
		{"辽宁省", "210000"},
		{"辽宁", "210000"},
		{"沈阳市", "210100"},
		{"沈阳", "210100"},
		{"朝阳", "211300"}, // the city, not 朝阳县
		{"朝阳县", "211321"},
		{"和平区", "210102"},
		{"沈阳市和平区", "210102"},
		{"沈阳和平区", "210102"},
		{"辽宁省沈阳市和平区", "210102"},
		{"辽宁沈阳和平区", "210102"},
		{" 辽宁省 沈阳市\u3000和平区 ", "210102"}, // spaces, incl. full-width
		{"新民市", "210181"},
		{"宽甸满族自治县", "210624"},
		{"丹东市宽甸满族自治县", "210624"},
		{"朝阳市朝阳县", "211321"},
		{"朝阳朝阳县", "211321"},
		{"铁岭市铁岭县", "211221"},
		{"本溪市本溪满族自治县", "210521"},
		{"阜新蒙古族自治县", "210921"},
		{"葫芦岛兴城市", "211481"},
		// 铁西区 is in both 沈阳 and 鞍山
		{"铁西区", ""},
		{"辽宁省铁西区", ""},
		{"沈阳市铁西区", "210106"},
		{"沈阳铁西区", "210106"},
		{"鞍山市铁西区", "210303"},
		{"辽宁省鞍山市铁西区", "210303"},
		// aliases and former names
		{"辽中县", "210122"},
		{"沈阳市辽中县", "210122"},
		{"普兰店市", "210282"},
		{"大洼县", "211121"},
		{"东陵区", "210112"},
		{"沈阳市东陵区", "210112"},
		// wrong city, elsewhere, junk
		{"大连市和平区", ""},
		{"鞍山市和平区", ""},
		{"北京市", ""},
		{"和平", ""},
		{"", ""},
		{"  ", ""},
		{"沈阳市市", ""},
	} {
		r, ok := ByName(tc.name)
		if ok != (tc.want != "") || r.Code != tc.want {
			t.Errorf("ByName(%q) = %s %s, %v; want %q", tc.name, r.Code, r.Name, ok, tc.want)
		}
	}
}

// TestAmbiguousNames pins which names repeat, so that a table edit adding
// another duplicate is noticed (ByName would start refusing it).
func TestAmbiguousNames(t *testing.T) {
	var dup []string
	for name, rs := range byName {
		if len(rs) > 1 {
			dup = append(dup, name)
		}
	}
	if !slices.Equal(dup, []string{"铁西区"}) {
		t.Errorf("ambiguous names %v, want [铁西区]", dup)
	}
}

func TestAliases(t *testing.T) {
	want := map[string]string{"210122": "210115", "210282": "210214", "211121": "211104"}
	got := map[string]string{}
	for _, r := range table {
		if r.Successor != "" {
			got[r.Code] = r.Successor
		}
	}
	if len(got) != len(want) {
		t.Fatalf("aliases %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("alias %s → %q, want %s", k, got[k], v)
		}
		if IsCounty(k) || !IsCounty(v) {
			t.Errorf("alias %s / successor %s: IsCounty wrong", k, v)
		}
		if slices.ContainsFunc(Counties(CityOf(k)), func(r Region) bool { return r.Code == k }) {
			t.Errorf("alias %s listed in Counties", k)
		}
	}
}

func TestResultsAreCopies(t *testing.T) {
	cs := Cities()
	cs[0].Name = "x"
	if Cities()[0].Name != "沈阳市" {
		t.Fatal("Cities leaks its backing array")
	}
	ks := Counties("210100")
	ks[0].Code = "x"
	if Counties("210100")[0].Code != "210102" {
		t.Fatal("Counties leaks its backing array")
	}
}

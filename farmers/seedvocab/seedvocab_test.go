package seedvocab

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/liaoning12316/agrimaker/farmers/regions"
)

func TestProduce(t *testing.T) {
	if len(Produce) < 40 {
		t.Errorf("%d produce entries, want at least 40", len(Produce))
	}
	units := []string{"斤", "公斤", "头", "箱"}
	kinds := []string{KindCrop, KindLivestock, KindAquatic}
	seen := map[[3]string]bool{}
	cities := map[string]bool{}
	for _, p := range Produce {
		id := p.Commodity + "/" + p.Variety + "@" + p.City
		key := [3]string{p.Commodity, p.Variety, p.City}
		if seen[key] {
			t.Errorf("%s: duplicate", id)
		}
		seen[key] = true
		cities[p.City] = true
		if p.Commodity == "" || p.Variety == "" {
			t.Errorf("%s: empty name", id)
		}
		if !regions.IsCity(p.City) {
			t.Errorf("%s: %q is not a city", id, p.City)
		}
		if p.County != "" && (!regions.IsCounty(p.County) || regions.CityOf(p.County) != p.City) {
			t.Errorf("%s: county %q is not a current county of %s", id, p.County, p.City)
		}
		if !slices.Contains(units, p.Unit) {
			t.Errorf("%s: unit %q", id, p.Unit)
		}
		if !slices.Contains(kinds, p.Kind) {
			t.Errorf("%s: kind %q", id, p.Kind)
		}
		if p.PriceMin <= 0 || p.PriceMin > p.PriceMax {
			t.Errorf("%s: prices %d..%d", id, p.PriceMin, p.PriceMax)
		}
		if len(p.Season) == 0 {
			t.Errorf("%s: no season", id)
		}
		months := map[int]bool{}
		for _, m := range p.Season {
			if m < 1 || m > 12 || months[m] {
				t.Errorf("%s: bad or repeated month %d", id, m)
			}
			months[m] = true
		}
	}
	// every city has at least one local product
	for _, c := range regions.Cities() {
		if !cities[c.Code] {
			t.Errorf("no produce from %s %s", c.Code, c.Name)
		}
	}
}

func TestMarkets(t *testing.T) {
	if len(Markets) == 0 {
		t.Fatal("no markets")
	}
	kinds := []string{MarketWholesale, MarketFarmers, MarketOnline}
	names := map[string]bool{}
	for _, m := range Markets {
		if m.Name == "" || names[m.Name] {
			t.Errorf("%q: empty or duplicate name", m.Name)
		}
		names[m.Name] = true
		if !regions.IsCity(m.City) {
			t.Errorf("%s: %q is not a city", m.Name, m.City)
		}
		if !regions.IsCounty(m.County) || regions.CityOf(m.County) != m.City {
			t.Errorf("%s: county %q is not a current county of %s", m.Name, m.County, m.City)
		}
		if !slices.Contains(kinds, m.Kind) {
			t.Errorf("%s: kind %q", m.Name, m.Kind)
		}
	}
}

func TestNames(t *testing.T) {
	for _, tc := range []struct {
		name  string
		list  []string
		min   int
		runes int // exact rune count, 0 = any
	}{
		{"Surnames", Surnames, 30, 1},
		{"GivenNames", GivenNames, 60, 2},
		{"CoopSuffixes", CoopSuffixes, 3, 0},
		{"CoopBrands", CoopBrands, 5, 2},
		{"Villages", Villages, 40, 0},
	} {
		if len(tc.list) < tc.min {
			t.Errorf("%s: %d entries, want at least %d", tc.name, len(tc.list), tc.min)
		}
		seen := map[string]bool{}
		for _, s := range tc.list {
			if s == "" || seen[s] {
				t.Errorf("%s: empty or duplicate %q", tc.name, s)
			}
			seen[s] = true
			if tc.runes > 0 && utf8.RuneCountInString(s) != tc.runes {
				t.Errorf("%s: %q is not %d characters", tc.name, s, tc.runes)
			}
		}
	}
	for _, v := range Villages {
		if !strings.HasSuffix(v, "村") {
			t.Errorf("village %q does not end in 村", v)
		}
	}
	for _, s := range CoopSuffixes {
		if !strings.HasSuffix(s, "合作社") {
			t.Errorf("coop suffix %q does not end in 合作社", s)
		}
	}
}

func TestQuestions(t *testing.T) {
	if len(Questions) < 40 {
		t.Errorf("%d questions, want at least 40", len(Questions))
	}
	perCategory := map[string]int{}
	questions := map[string]bool{}
	for _, q := range Questions {
		if !slices.Contains(Categories, q.Category) {
			t.Errorf("%s: category %q", q.Question, q.Category)
		}
		perCategory[q.Category]++
		if q.Crop == "" || q.Question == "" || questions[q.Question] {
			t.Errorf("%q: empty crop/question or duplicate question", q.Question)
		}
		questions[q.Question] = true
		if !strings.HasSuffix(q.Question, "？") {
			t.Errorf("%q: a question should end in ？", q.Question)
		}
		if !strings.HasSuffix(q.Answer, "。") {
			t.Errorf("%q: answer should end in 。", q.Question)
		}
		if n := strings.Count(q.Answer, "。"); n < 2 || n > 5 {
			t.Errorf("%q: answer has %d sentences, want 2–5", q.Question, n)
		}
	}
	for _, c := range Categories {
		if perCategory[c] < 3 {
			t.Errorf("category %s has %d questions, want at least 3", c, perCategory[c])
		}
	}
}

// TestPesticideAdvice keeps answers that recommend products tied to the
// label, and keeps banned products out.
func TestPesticideAdvice(t *testing.T) {
	// A few of the products banned or barred from food crops in China.
	banned := []string{"甲胺磷", "对硫磷", "久效磷", "甲拌磷", "氧乐果", "克百威", "涕灭威", "百草枯", "毒死蜱", "氟虫腈", "六六六", "滴滴涕"}
	for _, q := range Questions {
		for _, b := range banned {
			if strings.Contains(q.Answer, b) {
				t.Errorf("%q names %s", q.Question, b)
			}
		}
		if strings.Contains(q.Answer, "登记药剂") || strings.Contains(q.Answer, "登记的药剂") || strings.Contains(q.Answer, "登记的种衣剂") {
			if !strings.Contains(q.Answer, "按标签用量") {
				t.Errorf("%q recommends registered products without 按标签用量", q.Question)
			}
		}
	}
}

func TestExperts(t *testing.T) {
	if len(Experts) == 0 {
		t.Fatal("no experts")
	}
	names := map[string]bool{}
	for _, e := range Experts {
		if e.Name == "" || e.Org == "" || e.Field == "" || names[e.Name] {
			t.Errorf("%+v: empty field or duplicate name", e)
		}
		names[e.Name] = true
	}
}

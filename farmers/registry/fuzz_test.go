package registry

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/farmers/datasets/datasetstest"
	"github.com/liaoning12316/agrimaker/farmers/regions"
)

// Realistic rows the fuzzer starts from: people, and organisations.
var (
	personRows = []datasets.Row{
		{"name": "王大山", "phone": "13800001111", "roles": "农户、合作社", "region": "210115", "address": "辽中区老大房村",
			"crops": "玉米:30亩;大豆:10.5", "livestock": "牛:20头;羊:100只", "cooperative": "大山玉米合作社"},
		{"name": "李四", "phone": "+86 138-0000-2222", "roles": "broker/maker", "region": "沈阳市和平区", "crops": "水稻：5亩；蔬菜"},
	}
	orgRows = []datasets.Row{
		{"name": "丹东市东港市绿源草莓种植专业合作社", "creditCode": "91350100m000100y43", "type": "农民专业合作社", "region": "东港市",
			"address": "椅圈镇前进村", "leaderName": "李宝山", "leaderPhone": "0415-2345678", "members": "128人",
			"products": "草莓:300亩;蓝莓", "established": "2013/5/8"},
		{"name": "李家家庭农场", "region": "210115", "leaderPhone": "+86 138-0000-1111", "established": "20150308"},
	}
)

// FuzzRegistryRows varies two cells of a realistic person row and of a
// realistic organisation row (column i and j of each; any text; blank
// leaves the column out), so every cell parser here (crops, livestock,
// roles, mobile and landline numbers, the credit code, members, dates)
// meets arbitrary text in an otherwise valid row. One target for both
// datasets: each target costs `make fuzz-smoke` seconds in this package.
// Cell a is also held to the credit code's properties (checkCreditCode).
func FuzzRegistryRows(f *testing.F) {
	people := datasetstest.RowTarget{Dataset: Dataset, Bases: personRows, Parse: parsePerson, Accepted: checkPerson}
	orgs := datasetstest.RowTarget{Dataset: OrgDataset, Bases: orgRows, Parse: parseOrg, Accepted: checkOrg}
	for _, s := range []struct {
		base   uint8
		d      *datasets.Dataset // whose columns c1 and c2 name
		c1, v1 string
		c2, v2 string
	}{
		{0, Dataset, "crops", "水稻：5亩；蔬菜", "livestock", "鸡：3000羽"}, {0, Dataset, "roles", "broker/maker", "phone", "+86 138-0000-2222"},
		{1, Dataset, "region", "葫芦岛市龙港区", "name", ""}, {0, Dataset, "livestock", "牛:2.5", "crops", "玉米:-3亩"},
		{0, Dataset, "roles", "农户、村长", "phone", "138****5678"}, {1, Dataset, "crops", "玉米:1e7亩", "livestock", "牛:999999999999999999999"},
		{0, OrgDataset, "creditCode", " 9135 0100 m000 100y 43 ", "type", ""}, {1, OrgDataset, "leaderPhone", "024-23456789", "members", "12户"},
		{0, OrgDataset, "established", "2026-02-30", "products", "草莓:300.5亩;蓝莓"}, {0, OrgDataset, "creditCode", "91350100M000100Y44", "region", "丹东市"},
		{1, OrgDataset, "creditCode", "93210681MA0QC7K5X", "type", "company"}, {0, OrgDataset, "members", "1000001", "name", "辽宁禾丰农业发展有限公司"},
		{0, Dataset, "phone", "86 13800001111", "roles", "FARMER 农民 expert"}, {1, Dataset, "region", "210122", "livestock", "猪:0;:5"},
		{0, Dataset, "crops", ":30;大豆:", "region", "沈阳市"}, {1, Dataset, "livestock", "蜜蜂:100箱", "roles", "采购商,专家，创客"},
		{0, OrgDataset, "type", "采购商", "leaderPhone", "12345"}, {1, OrgDataset, "members", "-1", "established", "去年"},
		{1, OrgDataset, "name", "铁岭县玉米合作社联合社", "address", strings.Repeat("址", maxAddressLen+1)},
		{0, OrgDataset, "creditCode", "91350100I000100Y43", "leaderName", strings.Repeat("名", maxNameLen+1)},
	} {
		target := people
		if s.d == OrgDataset {
			target = orgs
		}
		target.AddSeeds(f, datasetstest.S(s.base, s.c1, s.v1, s.c2, s.v2))
	}
	f.Fuzz(func(t *testing.T, base, i uint8, a string, j uint8, b string) {
		if !utf8.ValidString(a) || !utf8.ValidString(b) {
			return // no file reader returns such a cell (tabular refuses it), no JSON body decodes to one
		}
		people.Run(t, base, i, a, j, b)
		orgs.Run(t, base, i, a, j, b)
		checkCreditCode(t, a, int(j))
	})
}

// checkPerson holds an accepted person to the registry's rules.
func checkPerson(t *testing.T, row datasets.Row, rec datasets.Record) {
	t.Helper()
	p := decodeFields(t, rec.Fields)
	switch {
	case rec.Key != p.Phone || !samePhone(row["phone"], p.Phone) || !phoneRE.MatchString(p.Phone):
		t.Fatalf("%q: key %q phone %q", row, rec.Key, p.Phone)
	case len(p.Roles) == 0 || !slices.Equal(p.Roles, canonicalRoles(p.Roles)):
		t.Fatalf("%q: roles %q", row, p.Roles)
	case !regions.IsCounty(p.Region):
		t.Fatalf("%q: region %q is not a current county", row, p.Region)
	}
	checkCrops(t, row, p.Crops)
	for _, l := range p.Livestock {
		if !plainName(l.Kind) || l.Head < 0 || l.Head > maxHead {
			t.Fatalf("%q: livestock %+v", row, l)
		}
	}
}

func checkCrops(t *testing.T, row datasets.Row, cs []Crop) {
	t.Helper()
	for _, c := range cs {
		if !plainName(c.Crop) || !(c.AreaMu >= 0 && c.AreaMu <= maxAreaMu) {
			t.Fatalf("%q: crop %+v", row, c)
		}
	}
}

// samePhone: normalising a number only drops separators and +86.
func samePhone(cell, phone string) bool {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, cell)
	return digits == phone || digits == "86"+phone
}

// checkOrg holds an accepted organisation to the registry's rules.
func checkOrg(t *testing.T, row datasets.Row, rec datasets.Record) {
	t.Helper()
	raw, _ := bson.Marshal(rec.Fields)
	var o Organisation
	if err := bson.Unmarshal(raw, &o); err != nil {
		t.Fatal(err)
	}
	switch {
	case rec.Key != orgKey(o.CreditCode, o.Region, o.Name) || o.Key != rec.Key:
		t.Fatalf("%q: key %q", row, rec.Key)
	case o.LeaderPhone != "" && !samePhone(row["leaderPhone"], o.LeaderPhone):
		t.Fatalf("%q: phone %q", row, o.LeaderPhone)
	case !KnownOrgType(o.Type) || !regions.IsCounty(o.Region) || o.Members < 0 || o.Members > maxMembers:
		t.Fatalf("%q: type %q region %q members %d", row, o.Type, o.Region, o.Members)
	case o.Established != "" && !isDay(o.Established):
		t.Fatalf("%q: established %q", row, o.Established)
	}
	checkCrops(t, row, o.Products)
}

// isDay reports whether s is a day written YYYY-MM-DD.
func isDay(s string) bool {
	d, ok := datasets.ParseDay(s)
	return ok && d.Format(datasets.DayLayout) == s
}

// checkCreditCode: an accepted code is 18 characters of the alphabet with
// its check character, written once in its normal form; any one character
// changed is caught (the check is mod 31, a prime, with weights prime to
// it); and the first 17 characters of any code, completed with
// CreditCheckChar, make a code that is accepted.
func checkCreditCode(t *testing.T, s string, pos int) {
	t.Helper()
	code, err := NormaliseCreditCode(s)
	if err == nil && code != "" {
		if again, err := NormaliseCreditCode(code); err != nil || again != code || len(code) != 18 {
			t.Fatalf("%q normalised to %q, then %q %v", s, code, again, err)
		}
		i := pos % 18
		for _, r := range creditAlphabet {
			if b := []byte(code); byte(r) != b[i] {
				b[i] = byte(r)
				if _, err := NormaliseCreditCode(string(b)); err == nil {
					t.Fatalf("%q with character %d changed to %c accepted", code, i+1, r)
				}
			}
		}
	}
	first := strings.Map(func(r rune) rune {
		if strings.ContainsRune(creditAlphabet, r) {
			return r
		}
		return -1
	}, s)
	if len(first) >= 17 {
		check, err := CreditCheckChar(first[:17])
		if got, err2 := NormaliseCreditCode(first[:17] + string(check)); err != nil || err2 != nil || got != first[:17]+string(check) {
			t.Fatalf("%q completed with %c: %q %v %v", first[:17], check, got, err, err2)
		}
	}
}

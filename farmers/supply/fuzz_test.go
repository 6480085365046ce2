package supply

import (
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/farmers/datasets/datasetstest"
	"github.com/liaoning12316/agrimaker/farmers/regions"
)

// postRows are realistic rows the fuzzer starts from.
var postRows = []datasets.Row{
	{"id": "GQ-1", "kind": "供应", "title": "出售丹东草莓 红颜 2000斤", "commodity": "草莓", "variety": "红颜", "quantity": "2000",
		"unit": "斤", "price": "12.50", "region": "210681", "validUntil": "2026-12-31", "contactName": "王大山",
		"contactPhone": "13812345678", "description": "大棚草莓，可视频看货", "createdAt": "2026-11-20 09:00:00"},
	{"kind": "demand", "title": "求购玉米 500吨", "commodity": "玉米", "quantity": "500", "unit": "吨", "region": "铁岭市",
		"contactName": "李四", "contactPhone": "024-23456789", "status": "open", "createdAt": "2026/11/20 09:00"},
	{"kind": "求购", "title": "收购蓝莓", "commodity": "蓝莓", "quantity": "2.5", "unit": "吨", "price": "1,234.50元", "region": "210102",
		"validUntil": "2026-11-20", "contactName": "赵五", "contactPhone": "0415-1234567", "status": "已关闭", "createdAt": "2026-11-20T01:00:00Z"},
}

// FuzzParseRow: a supply or demand row is rejected with a reason for one
// of its columns, or accepted as a post within its limits (quantity, price,
// phone, a city or county, an end date from the day of posting to a year
// after), keyed by 12316's id or else by title, phone and time, whose
// download imports back unchanged.
//
// The fuzzer varies two cells (any column, any text; blank leaves the
// column out) of a realistic row: most inputs then get as far as the checks
// of an accepted row, and an input to minimise is two short strings.
func FuzzParseRow(f *testing.F) {
	rt := datasetstest.RowTarget{Dataset: Dataset, Bases: postRows, Parse: parseRow, Accepted: checkPost, WallClock: "createdAt"}
	s := datasetstest.S
	rt.AddSeeds(f,
		s(0, "quantity", "0", "price", "1.234"), s(0, "validUntil", "2026-11-19", "kind", "转让"), s(0, "region", "210000", "contactPhone", "12345"),
		s(1, "quantity", "NaN", "createdAt", "昨天"), s(1, "validUntil", "", "createdAt", "2026-12-31 23:59:59"), s(2, "status", "删除", "price", "-1"),
		s(2, "quantity", "1e9", "title", strings.Repeat("草", maxTitle+1)), s(0, "kind", "supply", "status", "closed"),
		s(0, "price", "", "contactPhone", "0415-1234567"), s(1, "region", "沈阳市和平区", "validUntil", "2027-11-20"),
		s(1, "createdAt", "20261120", "quantity", "0.001"), s(2, "createdAt", "2026-11-20", "validUntil", "2026/11/20"),
		s(0, "contactName", "", "unit", "立方米以上的单位"), s(0, "id", "", "description", strings.Repeat("说", maxDescription+1)),
		s(1, "kind", "", "commodity", ""), s(2, "price", "0.00", "quantity", "-2"), s(0, "region", "铁西区", "price", "1000000.01"),
	)
	f.Fuzz(rt.Run)
}

// checkPost holds an accepted post to its limits and its key.
func checkPost(t *testing.T, row datasets.Row, rec datasets.Record) {
	t.Helper()
	var p Post
	raw, _ := bson.Marshal(rec.Fields)
	if err := bson.Unmarshal(raw, &p); err != nil {
		t.Fatal(err)
	}
	created := datasets.DayOf(p.CreatedAt)
	last := datasets.DayOf(p.CreatedAt.AddDate(0, 0, maxValidDays))
	switch {
	case !(p.Quantity.Value > 0 && p.Quantity.Value <= maxQuantity):
		t.Fatalf("%q: quantity %v", row, p.Quantity.Value)
	case p.Price != nil && (*p.Price < 1 || *p.Price > maxPriceFen):
		t.Fatalf("%q: price %d", row, *p.Price)
	case !phoneRE.MatchString(p.Contact.Phone) || p.Kind != KindSupply && p.Kind != KindDemand:
		t.Fatalf("%q: phone %q kind %q", row, p.Contact.Phone, p.Kind)
	case !regions.IsCity(p.Region) && !regions.IsCounty(p.Region):
		t.Fatalf("%q: region %q is not a current city or county", row, p.Region)
	case p.ValidUntil < created || p.ValidUntil > last || p.CreatedAt.Nanosecond() != 0:
		t.Fatalf("%q: created %v, runs until %q", row, p.CreatedAt, p.ValidUntil)
	}
	want := row["id"]
	if want == "" {
		want = derivedKey(p.Title, p.Contact.Phone, p.CreatedAt)
	}
	if rec.Key != want || p.Key != want {
		t.Fatalf("%q: key %q, want %q", row, rec.Key, want)
	}
}

package supply

import (
	"strings"
	"testing"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/farmers/datasets/datasetstest"
)

func TestParseRow(t *testing.T) {
	base := func(over datasets.Row) datasets.Row {
		r := datasets.Row{"kind": "供应", "title": "出售丹东草莓 红颜 2000斤", "commodity": "草莓", "variety": "红颜",
			"quantity": "2000", "unit": "斤", "price": "12.50", "region": "210681", "validUntil": "2026-12-31",
			"contactName": "王大山", "contactPhone": "13812345678", "createdAt": "2026-11-20 09:00:00"}
		for k, v := range over {
			if v == "" {
				delete(r, k)
			} else {
				r[k] = v
			}
		}
		return r
	}
	for _, tc := range []struct {
		name string
		row  datasets.Row
		bad  string
		key  string
		// checks on the parsed post
		price      *int64
		validUntil string
		kind       string
	}{
		{name: "offer with 12316 id", row: base(datasets.Row{"id": "GQ-1"}), key: "GQ-1", price: ptr(1250), validUntil: "2026-12-31", kind: KindSupply},
		{name: "demand, 面议, English words", row: base(datasets.Row{"kind": "demand", "price": "", "status": "open"}), kind: KindDemand, validUntil: "2026-12-31"},
		{name: "no end date: 30 days", row: base(datasets.Row{"validUntil": ""}), validUntil: "2026-12-20", kind: KindSupply, price: ptr(1250)},
		{name: "fractional quantity, landline, closed", row: base(datasets.Row{"quantity": "2.5", "unit": "吨", "contactPhone": "0415-1234567", "status": "已关闭"}), kind: KindSupply, price: ptr(1250), validUntil: "2026-12-31"},
		{name: "unknown kind", row: base(datasets.Row{"kind": "转让"}), bad: "kind"},
		{name: "zero quantity", row: base(datasets.Row{"quantity": "0"}), bad: "quantity"},
		{name: "quantity not a number", row: base(datasets.Row{"quantity": "很多"}), bad: "quantity"},
		{name: "bad phone", row: base(datasets.Row{"contactPhone": "12345"}), bad: "contactPhone"},
		{name: "price with 3 decimals", row: base(datasets.Row{"price": "1.234"}), bad: "price"},
		{name: "province is not a place", row: base(datasets.Row{"region": "210000"}), bad: "region"},
		{name: "ends before it starts", row: base(datasets.Row{"validUntil": "2026-11-19"}), bad: "validUntil"},
		{name: "no creation time", row: base(datasets.Row{"createdAt": ""}), bad: "createdAt"},
		{name: "title too long", row: base(datasets.Row{"title": strings.Repeat("草", maxTitle+1)}), bad: "title"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, ok, err := datasetstest.CheckParse(parseRow, tc.row, tc.bad)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				return
			}
			m := datasetstest.FieldMap(rec)
			if tc.key != "" && rec.Key != tc.key || tc.key == "" && !strings.HasPrefix(rec.Key, "h:") {
				t.Errorf("key %q", rec.Key)
			}
			if got := m["price"].(*int64); (got == nil) != (tc.price == nil) || got != nil && *got != *tc.price {
				t.Errorf("price %v, want %v", got, tc.price)
			}
			if m["validUntil"] != tc.validUntil || m["kind"] != tc.kind {
				t.Errorf("validUntil %v kind %v", m["validUntil"], m["kind"])
			}
			if err := datasetstest.RoundTrip(Dataset, rec); err != nil {
				t.Errorf("round trip: %v", err)
			}
		})
	}
}

func ptr(v int64) *int64 { return &v }

func TestMaskPhone(t *testing.T) {
	for in, want := range map[string]string{"13812345678": "138****5678", "0415-1234567": "041****4567", "123": "****"} {
		if got := maskPhone(in); got != want {
			t.Errorf("maskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

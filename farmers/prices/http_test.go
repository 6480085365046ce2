package prices_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/liaoning12316/agrimaker/farmers/prices"
	"github.com/liaoning12316/agrimaker/internal/testserver"
)

type point struct {
	ID, Commodity, Variety, Market, Region, Date, Unit, Source, AuctionID string
	MinPrice, AvgPrice, MaxPrice                                          int64
}

type bucket struct {
	Period, Start, End, Unit     string
	MinPrice, AvgPrice, MaxPrice int64
	Count                        int
}

func quote(commodity, market, region, date string, lo, avg, hi int64) map[string]any {
	return map[string]any{"commodity": commodity, "market": market, "region": region, "date": date,
		"unit": "斤", "minPrice": lo, "avgPrice": avg, "maxPrice": hi}
}

func daysAgo(n int) string {
	return time.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, -n).Format("2006-01-02")
}

func TestPricesHTTP(t *testing.T) {
	ts := testserver.Start(t, testserver.WithAdmin())
	admin := ts.Admin()
	farmer := ts.Register("farmer")
	noScope, _ := ts.APIKey(admin, "research", "knowledge:read")
	reader, _ := ts.APIKey(admin, "buyer", "prices:read")

	// A week that starts in November and ends in December (2025-W49), at
	// market M1 (盘锦, a county of it) and one quote elsewhere.
	const rice = "盘锦大米"
	for _, q := range []map[string]any{
		quote(rice, "M1", "211122", "2025-11-30", 300, 350, 400), // Sunday, W48
		quote(rice, "M1", "211122", "2025-12-01", 320, 361, 380), // Monday, W49
		quote(rice, "M1", "211122", "2025-12-02", 310, 340, 420),
		quote(rice, "M1", "211122", "2025-12-07", 330, 335, 350), // Sunday, W49
		quote(rice, "M1", "211122", "2025-12-08", 200, 250, 300), // Monday, W50
		quote(rice, "M2", "210102", "2025-12-01", 900, 900, 900),
		// the board: newest per commodity × market within 30 days
		quote("草莓", "丹东市场", "210681", daysAgo(3), 1000, 1200, 1400),
		quote("草莓", "丹东市场", "210681", daysAgo(1), 1100, 1300, 1500),
		quote("草莓", "沈阳市场", "210102", daysAgo(2), 1500, 1600, 1700),
		quote("草莓", "旧市场", "210102", daysAgo(40), 800, 800, 800),
	} {
		if r := ts.Do("POST", "/api/v1/prices", admin.Token, q); r.Status != 201 {
			t.Fatalf("create price: %d %s", r.Status, r.Body)
		}
	}

	wantBuckets := func(want ...bucket) func(t *testing.T, r testserver.Resp) {
		return func(t *testing.T, r testserver.Resp) {
			var s struct{ Items []bucket }
			r.Decode(t, &s)
			if fmt.Sprint(s.Items) != fmt.Sprint(want) {
				t.Errorf("series\n got %+v\nwant %+v", s.Items, want)
			}
		}
	}
	wantDates := func(want ...string) func(t *testing.T, r testserver.Resp) {
		return func(t *testing.T, r testserver.Resp) {
			var page struct{ Items []point }
			r.Decode(t, &page)
			var got []string
			for _, p := range page.Items {
				got = append(got, p.Market+"@"+p.Date)
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("items %v, want %v", got, want)
			}
		}
	}
	s := "/api/v1/prices/series?commodity=" + rice
	ts.RunScenarios(t, []testserver.Scenario{
		{Name: "anonymous", Method: "GET", Path: "/api/v1/prices", WantStatus: 401},
		{Name: "key without prices:read", Method: "GET", Path: "/api/v1/prices", Headers: []string{"X-API-Key", noScope}, WantStatus: 403, WantCode: "scope_missing"},
		{Name: "key with prices:read", Method: "GET", Path: "/api/v1/prices?commodity=" + rice + "&market=M1", Headers: []string{"X-API-Key", reader}, WantStatus: 200,
			Check: wantDates("M1@2025-11-30", "M1@2025-12-01", "M1@2025-12-02", "M1@2025-12-07", "M1@2025-12-08")},
		{Name: "city includes its counties", Method: "GET", Path: "/api/v1/prices?region=211100", Token: farmer.Token, WantStatus: 200,
			Check: wantDates("M1@2025-11-30", "M1@2025-12-01", "M1@2025-12-02", "M1@2025-12-07", "M1@2025-12-08")},
		{Name: "date range", Method: "GET", Path: "/api/v1/prices?commodity=" + rice + "&from=2025-12-01&to=2025-12-02", Token: farmer.Token, WantStatus: 200,
			Check: wantDates("M1@2025-12-01", "M1@2025-12-02", "M2@2025-12-01")},
		{Name: "weekly series, ISO weeks across a month end", Method: "GET", Path: s + "&market=M1&from=2025-11-01&to=2025-12-31&period=week", Token: farmer.Token, WantStatus: 200,
			Check: wantBuckets(
				bucket{"2025-W48", "2025-11-24", "2025-11-30", "斤", 300, 350, 400, 1},
				bucket{"2025-W49", "2025-12-01", "2025-12-07", "斤", 310, 345, 420, 3}, // (361+340+335)/3 = 345.3
				bucket{"2025-W50", "2025-12-08", "2025-12-14", "斤", 200, 250, 300, 1})},
		{Name: "monthly series", Method: "GET", Path: s + "&market=M1&from=2025-11-01&to=2025-12-31&period=month", Token: farmer.Token, WantStatus: 200,
			Check: wantBuckets(
				bucket{"2025-11", "2025-11-01", "2025-11-30", "斤", 300, 350, 400, 1},
				bucket{"2025-12", "2025-12-01", "2025-12-31", "斤", 200, 322, 420, 4})}, // (361+340+335+250)/4 = 321.5
		{Name: "daily series over all markets", Method: "GET", Path: s + "&from=2025-12-01&to=2025-12-01", Token: farmer.Token, WantStatus: 200,
			Check: wantBuckets(bucket{"2025-12-01", "2025-12-01", "2025-12-01", "斤", 320, 631, 900, 2})}, // (361+900)/2 = 630.5
		{Name: "series needs a commodity", Method: "GET", Path: "/api/v1/prices/series?period=week", Token: farmer.Token, WantStatus: 422, WantFields: []string{"commodity"}},
		{Name: "series period", Method: "GET", Path: s + "&period=year", Token: farmer.Token, WantStatus: 422, WantFields: []string{"period"}},
		{Name: "series range too long", Method: "GET", Path: s + "&from=2000-01-01&to=2025-01-01", Token: farmer.Token, WantStatus: 422, WantFields: []string{"from"}},
		{Name: "board: newest per commodity and market, last 30 days", Method: "GET", Path: "/api/v1/prices/board?commodity=草莓", Headers: []string{"X-API-Key", reader}, WantStatus: 200,
			Check: wantDates("丹东市场@"+daysAgo(1), "沈阳市场@"+daysAgo(2))},
		{Name: "board by city", Method: "GET", Path: "/api/v1/prices/board?region=210600", Token: farmer.Token, WantStatus: 200,
			Check: wantDates("丹东市场@" + daysAgo(1))},
		{Name: "farmer may not enter prices", Method: "POST", Path: "/api/v1/prices", Token: farmer.Token, Body: quote("草莓", "X", "210102", "2025-01-01", 1, 1, 1), WantStatus: 403},
		{Name: "duplicate quote", Method: "POST", Path: "/api/v1/prices", Token: admin.Token, Body: quote(rice, "M1", "211122", "2025-11-30", 1, 1, 1), WantStatus: 409, WantCode: "duplicate"},
		{Name: "avg outside min..max", Method: "POST", Path: "/api/v1/prices", Token: admin.Token, Body: quote("草莓", "X", "210102", "2025-01-01", 300, 200, 400), WantStatus: 422, WantFields: []string{"avgPrice"}},
		{Name: "region outside Liaoning", Method: "POST", Path: "/api/v1/prices", Token: admin.Token, Body: quote("草莓", "X", "110101", "2025-01-01", 1, 1, 1), WantStatus: 422, WantFields: []string{"region"}},
		{Name: "bad source filter", Method: "GET", Path: "/api/v1/prices?source=$ne", Token: farmer.Token, WantStatus: 422, WantFields: []string{"source"}},
		{Name: "injection in a filter is a literal", Method: "GET", Path: `/api/v1/prices?commodity={"$ne":null}`, Token: farmer.Token, WantStatus: 200, Check: wantDates()},
	})

	t.Run("csv download in yuan with BOM", func(t *testing.T) {
		r := ts.Do("GET", "/api/v1/prices?format=csv&market=M1&from=2025-11-30&to=2025-11-30", "", nil, "X-API-Key", reader)
		if r.Status != 200 {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		if !bytes.HasPrefix(r.Body, []byte("\xEF\xBB\xBF品名,规格,市场,地区,日期,单位,最低价,平均价,最高价")) {
			t.Fatalf("header: %q", r.Body[:min(len(r.Body), 120)])
		}
		if !strings.Contains(string(r.Body), "盘锦大米,,M1,211122,2025-11-30,斤,3.00,3.50,4.00,12316") {
			t.Errorf("row: %s", r.Body)
		}
	})
}

func TestRecordAuctionOnce(t *testing.T) {
	ts := testserver.Start(t)
	farmer := ts.Register("farmer")
	ctx := context.Background()
	closed := time.Date(2026, 11, 26, 23, 30, 0, 0, time.UTC) // 27 Nov in Shanghai
	a := prices.AuctionClose{AuctionID: "auction-1", Commodity: "草莓", Variety: "红颜", Region: "210681", Unit: "斤",
		Quantity: 300, Price: 1267, ClosedAt: closed}
	for i := range 2 {
		if err := ts.S.Prices.RecordAuction(ctx, a); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	b := a
	b.AuctionID, b.Price = "auction-2", 333
	if err := ts.S.Prices.RecordAuction(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := ts.S.Prices.RecordAuction(ctx, prices.AuctionClose{AuctionID: "x", Commodity: "草莓", Unit: "斤"}); err == nil {
		t.Error("a close without a price was recorded")
	}
	r := ts.Do("GET", "/api/v1/prices?source=auction", farmer.Token, nil)
	var page struct{ Items []point }
	r.Decode(t, &page)
	if len(page.Items) != 2 {
		t.Fatalf("%d auction prices, want 2: %s", len(page.Items), r.Body)
	}
	p := page.Items[0]
	if p.AuctionID != "auction-1" || p.AvgPrice != 1267 || p.MinPrice != 1267 || p.MaxPrice != 1267 ||
		p.Market != prices.AuctionMarket || p.Date != "2026-11-27" || p.Source != "auction" || p.Region != "210681" {
		t.Errorf("auction price %+v", p)
	}
	if page.Items[1].AvgPrice != 333 {
		t.Errorf("second auction %+v", page.Items[1])
	}
}

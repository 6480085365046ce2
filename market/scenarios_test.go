package market_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/liaoning12316/agrimaker/internal/testserver"
)

// ---- helpers ---------------------------------------------------------------

// view is an auction as the API shows it, with the fields these tests read.
type view struct {
	ID, Kind, Status, Owner, Title, Commodity string
	Price, Seq, StartPrice, Increment         int64
	NextMin                                   *int64
	HasReserve                                bool
	ReservePrice                              *int64
	BuyNowPrice                               *int64
	Watchers                                  *int
	Leader                                    *string
	StartsAt, EndsAt                          time.Time
	ExtendSeconds                             int
	Photos                                    []string
	Lot                                       struct{ Origin string }
	Result                                    *struct {
		Winner     *string
		Price      int64
		ReserveMet bool
		Cancelled  bool
	}
}

type bidAnswer struct {
	Bid     testserver.Bid
	Auction view
}

type orderView struct {
	ID, Auction, Kind, Seller, Buyer, Status string
	Price                                    int64
	Counterparty                             struct{ ID, Name, Phone string }
}

type page[T any] struct {
	Items []T
	Next  string
}

func decodeView(t *testing.T, r testserver.Resp) view {
	t.Helper()
	var v view
	r.Decode(t, &v)
	return v
}

func viewOf(t *testing.T, ts *testserver.TS, id, token string) view {
	t.Helper()
	r := ts.Sub(t).Do("GET", "/api/v1/auctions/"+id, token, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET auction %s: %d %s", id, r.Status, r.Body)
	}
	return decodeView(t, r)
}

func str(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

func i64(p *int64) string {
	if p == nil {
		return "<nil>"
	}
	return fmt.Sprint(*p)
}

// checkView is a Scenario.Check decoding the body as an auction.
func checkView(f func(t *testing.T, v view)) func(*testing.T, testserver.Resp) {
	return func(t *testing.T, r testserver.Resp) {
		t.Helper()
		f(t, decodeView(t, r))
	}
}

// checkBid is a Scenario.Check for an accepted bid.
func checkBid(seq, amount int64, bidder string) func(*testing.T, testserver.Resp) {
	return func(t *testing.T, r testserver.Resp) {
		t.Helper()
		var b bidAnswer
		r.Decode(t, &b)
		if b.Bid.Seq != seq || b.Bid.Amount != amount || b.Bid.Bidder != bidder || b.Bid.At.IsZero() {
			t.Fatalf("bid = %+v, want seq %d amount %d bidder %s", b.Bid, seq, amount, bidder)
		}
		if b.Auction.Price != amount || str(b.Auction.Leader) != bidder || b.Auction.Seq != seq {
			t.Fatalf("auction after the bid: price %d leader %s seq %d", b.Auction.Price, str(b.Auction.Leader), b.Auction.Seq)
		}
	}
}

func merge(base, over map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}

// sellBody is a valid sell auction (start 10000, increment 100) ending in d.
func sellBody(d time.Duration, over map[string]any) map[string]any {
	return testserver.SellAuction(d, over)
}

// buyBody is a valid buy auction (start 50000, increment 500) ending in d.
func buyBody(d time.Duration, over map[string]any) map[string]any {
	return testserver.SellAuction(d, merge(map[string]any{
		"kind": "buy", "title": "收购玉米 10吨", "commodity": "玉米", "startPrice": 50000, "increment": 500,
		"quantity": map[string]any{"value": 10, "unit": "吨"},
	}, over))
}

func lot(origin string) map[string]any {
	return map[string]any{"variety": "圆粒", "origin": origin, "terms": map[string]any{"pickup": true}}
}

func bidsPath(id string) string { return "/api/v1/auctions/" + id + "/bids" }

func amount(a any) map[string]any { return map[string]any{"amount": a} }

// bidsOf reads the stored bids and checks their seqs are 1..n.
func bidsOf(t *testing.T, ts *testserver.TS, id string) []testserver.Bid {
	t.Helper()
	bs := ts.Sub(t).Bids(id)
	for i, b := range bs {
		if b.Seq != int64(i+1) {
			t.Fatalf("bid %d has seq %d: %+v", i, b.Seq, bs)
		}
	}
	return bs
}

func pngBytes(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// unique returns a commodity name no other test uses, to isolate lists.
func unique(prefix string) string { return fmt.Sprintf("%s-%d", prefix, time.Now().UnixNano()) }

// ---- create ----------------------------------------------------------------

func TestScenarioCreateAuction(t *testing.T) {
	ts := testserver.Start(t)
	farmer, buyer := ts.Register("farmer"), ts.Register("buyer")
	const path = "/api/v1/auctions"

	ts.RunScenarios(t, []testserver.Scenario{
		{Name: "sell by farmer", Method: "POST", Path: path, Token: farmer.Token, Body: sellBody(time.Hour, nil), WantStatus: 201,
			Check: checkView(func(t *testing.T, v view) {
				if v.ID == "" || v.Kind != "sell" || v.Status != "live" || v.Owner != farmer.ID || v.Price != 10000 ||
					v.Seq != 0 || v.Leader != nil || v.Result != nil || i64(v.NextMin) != "10000" || v.ExtendSeconds != 0 {
					t.Fatalf("created view %+v", v)
				}
				if _, off := v.EndsAt.Zone(); off != 8*3600 {
					t.Fatalf("endsAt should be in Asia/Shanghai (+08:00): %v", v.EndsAt)
				}
			})},
		{Name: "buy by buyer", Method: "POST", Path: path, Token: buyer.Token, Body: buyBody(time.Hour, nil), WantStatus: 201,
			Check: checkView(func(t *testing.T, v view) {
				if v.Kind != "buy" || v.Owner != buyer.ID || v.Price != 50000 || v.Status != "live" {
					t.Fatalf("created view %+v", v)
				}
			})},
		{Name: "extendSeconds defaults to 60", Method: "POST", Path: path, Token: farmer.Token,
			Body: sellBody(time.Hour, map[string]any{"extendSeconds": nil}), WantStatus: 201,
			Check: checkView(func(t *testing.T, v view) {
				if v.ExtendSeconds != 60 {
					t.Fatalf("extendSeconds %d, want 60", v.ExtendSeconds)
				}
			})},
		{Name: "extendSeconds 600 is allowed", Method: "POST", Path: path, Token: farmer.Token,
			Body: sellBody(time.Hour, map[string]any{"extendSeconds": 600}), WantStatus: 201},
		{Name: "scheduled start", Method: "POST", Path: path, Token: farmer.Token,
			Body: sellBody(2*time.Hour, map[string]any{"startsAt": testserver.FromNow(time.Hour)}), WantStatus: 201,
			Check: checkView(func(t *testing.T, v view) {
				if v.Status != "scheduled" || time.Until(v.StartsAt) < 59*time.Minute {
					t.Fatalf("status %s startsAt %v", v.Status, v.StartsAt)
				}
			})},
		{Name: "reserve and buy-now are kept", Method: "POST", Path: path, Token: farmer.Token,
			Body: sellBody(time.Hour, map[string]any{"reservePrice": 12000, "buyNowPrice": 30000}), WantStatus: 201,
			Check: checkView(func(t *testing.T, v view) {
				if !v.HasReserve || i64(v.ReservePrice) != "12000" || i64(v.BuyNowPrice) != "30000" {
					t.Fatalf("owner's view: hasReserve %v reserve %s buyNow %s", v.HasReserve, i64(v.ReservePrice), i64(v.BuyNowPrice))
				}
			})},

		{Name: "sell by buyer", Method: "POST", Path: path, Token: buyer.Token, Body: sellBody(time.Hour, nil), WantStatus: 403, WantCode: "forbidden"},
		{Name: "buy by farmer", Method: "POST", Path: path, Token: farmer.Token, Body: buyBody(time.Hour, nil), WantStatus: 403, WantCode: "forbidden"},
		{Name: "no token", Method: "POST", Path: path, Body: sellBody(time.Hour, nil), WantStatus: 401, WantCode: "unauthorized"},
		{Name: "bad token", Method: "POST", Path: path, Token: "garbage", Body: sellBody(time.Hour, nil), WantStatus: 401, WantCode: "unauthorized"},

		{Name: "ends under 5s after start", Method: "POST", Path: path, Token: farmer.Token, Body: sellBody(4*time.Second, nil),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"endsAt"}},
		{Name: "ends in the past", Method: "POST", Path: path, Token: farmer.Token, Body: sellBody(-time.Minute, nil),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"endsAt"}},
		{Name: "ends 3s after a scheduled start", Method: "POST", Path: path, Token: farmer.Token,
			Body:       sellBody(time.Hour+3*time.Second, map[string]any{"startsAt": testserver.FromNow(time.Hour)}),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"endsAt"}},
		{Name: "starts well in the past", Method: "POST", Path: path, Token: farmer.Token,
			Body:       sellBody(time.Hour, map[string]any{"startsAt": testserver.FromNow(-10 * time.Minute)}),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"startsAt"}},
		{Name: "missing endsAt", Method: "POST", Path: path, Token: farmer.Token, Body: sellBody(time.Hour, map[string]any{"endsAt": nil}),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"endsAt"}},
		{Name: "endsAt not a time", Method: "POST", Path: path, Token: farmer.Token, Body: sellBody(time.Hour, map[string]any{"endsAt": "tomorrow"}),
			WantStatus: 400, WantCode: "bad_json"},
		{Name: "extendSeconds 700", Method: "POST", Path: path, Token: farmer.Token, Body: sellBody(time.Hour, map[string]any{"extendSeconds": 700}),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"extendSeconds"}},
		{Name: "extendSeconds negative", Method: "POST", Path: path, Token: farmer.Token, Body: sellBody(time.Hour, map[string]any{"extendSeconds": -1}),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"extendSeconds"}},
		{Name: "negative startPrice", Method: "POST", Path: path, Token: farmer.Token, Body: sellBody(time.Hour, map[string]any{"startPrice": -100}),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"startPrice"}},
		{Name: "zero startPrice", Method: "POST", Path: path, Token: farmer.Token, Body: sellBody(time.Hour, map[string]any{"startPrice": 0}),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"startPrice"}},
		{Name: "fractional startPrice", Method: "POST", Path: path, Token: farmer.Token, Body: sellBody(time.Hour, map[string]any{"startPrice": 100.5}),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"startPrice"}},
		{Name: "startPrice as a string", Method: "POST", Path: path, Token: farmer.Token, Body: sellBody(time.Hour, map[string]any{"startPrice": "10000"}),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"startPrice"}},
		{Name: "zero increment", Method: "POST", Path: path, Token: farmer.Token, Body: sellBody(time.Hour, map[string]any{"increment": 0}),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"increment"}},
		{Name: "bad unit", Method: "POST", Path: path, Token: farmer.Token,
			Body:       sellBody(time.Hour, map[string]any{"quantity": map[string]any{"value": 1, "unit": "kg"}}),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"quantity.unit"}},
		{Name: "zero quantity", Method: "POST", Path: path, Token: farmer.Token,
			Body:       sellBody(time.Hour, map[string]any{"quantity": map[string]any{"value": 0, "unit": "吨"}}),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"quantity.value"}},
		{Name: "origin outside Liaoning", Method: "POST", Path: path, Token: farmer.Token, Body: sellBody(time.Hour, map[string]any{"lot": lot("110000")}),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"lot.origin"}},
		{Name: "origin of 5 digits", Method: "POST", Path: path, Token: farmer.Token, Body: sellBody(time.Hour, map[string]any{"lot": lot("21110")}),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"lot.origin"}},
		{Name: "bad harvest date", Method: "POST", Path: path, Token: farmer.Token,
			Body:       sellBody(time.Hour, map[string]any{"lot": map[string]any{"harvestDate": "2024/10/01"}}),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"lot.harvestDate"}},
		{Name: "increment table not starting at 0", Method: "POST", Path: path, Token: farmer.Token,
			Body:       sellBody(time.Hour, map[string]any{"incrementTable": []map[string]any{{"from": 100, "step": 100}, {"from": 20000, "step": 500}}}),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"incrementTable"}},
		{Name: "increment table out of order", Method: "POST", Path: path, Token: farmer.Token,
			Body:       sellBody(time.Hour, map[string]any{"incrementTable": []map[string]any{{"from": 0, "step": 100}, {"from": 20000, "step": 500}, {"from": 15000, "step": 200}}}),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"incrementTable"}},
		{Name: "increment table zero step", Method: "POST", Path: path, Token: farmer.Token,
			Body:       sellBody(time.Hour, map[string]any{"incrementTable": []map[string]any{{"from": 0, "step": 0}}}),
			WantStatus: 422, WantCode: "invalid"},
		{Name: "reserve below start on sell", Method: "POST", Path: path, Token: farmer.Token, Body: sellBody(time.Hour, map[string]any{"reservePrice": 9000}),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"reservePrice"}},
		{Name: "reserve above start on buy", Method: "POST", Path: path, Token: buyer.Token, Body: buyBody(time.Hour, map[string]any{"reservePrice": 60000}),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"reservePrice"}},
		{Name: "buy-now below start on sell", Method: "POST", Path: path, Token: farmer.Token, Body: sellBody(time.Hour, map[string]any{"buyNowPrice": 9000}),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"buyNowPrice"}},
		{Name: "buy-now equal to start on sell", Method: "POST", Path: path, Token: farmer.Token, Body: sellBody(time.Hour, map[string]any{"buyNowPrice": 10000}),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"buyNowPrice"}},
		{Name: "buy-now above start on buy", Method: "POST", Path: path, Token: buyer.Token, Body: buyBody(time.Hour, map[string]any{"buyNowPrice": 60000}),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"buyNowPrice"}},
		{Name: "unknown kind", Method: "POST", Path: path, Token: farmer.Token, Body: sellBody(time.Hour, map[string]any{"kind": "dutch"}),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"kind"}},
		{Name: "missing title", Method: "POST", Path: path, Token: farmer.Token, Body: sellBody(time.Hour, map[string]any{"title": ""}),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"title"}},
		{Name: "unknown field", Method: "POST", Path: path, Token: farmer.Token, Body: sellBody(time.Hour, map[string]any{"owner": buyer.ID}),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"owner"}},
		{Name: "malformed JSON", Method: "POST", Path: path, Token: farmer.Token, Body: `{"kind":"sell",`,
			WantStatus: 400, WantCode: "bad_json"},
	})

	// Only the 201s above stored an auction.
	ids := ts.ListIDs("/api/v1/me/auctions?limit=500", farmer.Token)
	if len(ids) != 5 {
		t.Fatalf("the farmer owns %d auctions, want the 5 created", len(ids))
	}
}

// A JSON body over 1 MiB gets 413 with the error shape, every time: a
// client must see the answer, not a reset connection.
func TestScenarioCreateBodyTooLarge(t *testing.T) {
	ts := testserver.Start(t)
	farmer := ts.Register("farmer")
	resets, tries := 0, 0
	for _, n := range []int{400_000, 3_000_000} { // about 1.2 MB and 9 MB of JSON
		body := sellBody(time.Hour, map[string]any{"lot": map[string]any{"description": strings.Repeat("稻", n)}})
		for i := range 15 {
			tries++
			r, err := ts.Try("POST", "/api/v1/auctions", farmer.Token, body)
			if err != nil {
				resets++
				if resets == 1 {
					t.Logf("%d runes, attempt %d: %v", n, i, err)
				}
				continue
			}
			if r.Status != http.StatusRequestEntityTooLarge {
				t.Fatalf("attempt %d: %d %s", i, r.Status, r.Body)
			}
			if e := testserver.AssertErrorShape(t, r); e.Code != "too_large" {
				t.Fatalf("attempt %d: code %q", i, e.Code)
			}
		}
	}
	if resets > 0 {
		t.Errorf("%d of %d oversized requests got a reset connection instead of the 413", resets, tries)
	}
	if ids := ts.ListIDs("/api/v1/me/auctions", farmer.Token); len(ids) != 0 {
		t.Fatalf("an oversized body created %d auctions", len(ids))
	}
}

// An auction whose startsAt lies (less than a minute) in the past starts
// now, so its endsAt must be at least 5 s from now; the check measures from
// the past startsAt instead and lets through an auction that is over almost
// at once (or already over).
func TestScenarioCreateBackdatedStart(t *testing.T) {
	ts := testserver.Start(t)
	farmer := ts.Register("farmer")
	ts.RunScenarios(t, []testserver.Scenario{
		{Name: "backdated start, ends in 1s", Method: "POST", Path: "/api/v1/auctions", Token: farmer.Token,
			Body:       sellBody(time.Second, map[string]any{"startsAt": testserver.FromNow(-50 * time.Second)}),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"endsAt"}},
		{Name: "backdated start, already ended", Method: "POST", Path: "/api/v1/auctions", Token: farmer.Token,
			Body:       sellBody(-10*time.Second, map[string]any{"startsAt": testserver.FromNow(-50 * time.Second)}),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"endsAt"}},
	})
}

// ---- read and list ---------------------------------------------------------

// Every request about auction X is about X: reads answer X, bids land on X,
// however many auctions (with ids that differ only in their last digits)
// were touched before.
func TestScenarioRequestsReachTheirAuction(t *testing.T) {
	ts := testserver.Start(t)
	farmer, buyer := ts.Register("farmer"), ts.Register("buyer")
	const n = 16
	ids := make([]string, n)
	for i := range ids {
		ids[i] = ts.CreateAuction(farmer.Token, sellBody(time.Hour, nil)).ID
	}
	wrong := 0
	for round := range 3 {
		for i, id := range ids {
			v := viewOf(t, ts, id, "")
			if v.ID != id {
				wrong++
				t.Errorf("round %d: GET auction %d (%s) answered auction %s", round, i, id, v.ID)
			}
			r := ts.PlaceBid(buyer.Token, id, 10000+int64(round)*100)
			if r.Status != 201 {
				wrong++
				t.Errorf("round %d: bid on %s: %d %s", round, id, r.Status, r.Body)
				continue
			}
			var b bidAnswer
			r.Decode(t, &b)
			if b.Auction.ID != id || b.Bid.Seq != int64(round+1) {
				wrong++
				t.Errorf("round %d: bid on %s landed on %s as seq %d", round, id, b.Auction.ID, b.Bid.Seq)
			}
			ts.Do("GET", "/api/v1/auctions?limit=3&commodity=x"+id, "", nil) // other traffic
		}
	}
	for _, id := range ids {
		if bs := bidsOf(t, ts, id); len(bs) != 3 {
			t.Errorf("auction %s holds %d bids, want 3", id, len(bs))
		}
	}
	if wrong > 0 {
		t.Fatalf("%d requests reached the wrong auction", wrong)
	}
}

func TestScenarioGetAuction(t *testing.T) {
	ts := testserver.Start(t)
	farmer, buyer := ts.Register("farmer"), ts.Register("buyer")
	a := ts.CreateAuction(farmer.Token, sellBody(time.Hour, map[string]any{"reservePrice": 12000}))
	path := "/api/v1/auctions/" + a.ID

	ts.RunScenarios(t, []testserver.Scenario{
		{Name: "anonymous", Method: "GET", Path: path, WantStatus: 200, Check: func(t *testing.T, r testserver.Resp) {
			v := decodeView(t, r)
			m := r.JSONMap(t)
			if v.ID != a.ID || !v.HasReserve || m["reservePrice"] != nil || m["watchers"] != nil {
				t.Fatalf("anonymous view: %s", r.Body)
			}
			for _, k := range []string{"id", "kind", "status", "title", "commodity", "quantity", "startPrice", "increment", "price", "leader", "seq", "startsAt", "endsAt", "owner", "result"} {
				if _, ok := m[k]; !ok {
					t.Errorf("the auction object lacks %q: %s", k, r.Body)
				}
			}
		}},
		{Name: "another user", Method: "GET", Path: path, Token: buyer.Token, WantStatus: 200, Check: func(t *testing.T, r testserver.Resp) {
			m := r.JSONMap(t)
			if m["hasReserve"] != true || m["reservePrice"] != nil || m["watchers"] != nil {
				t.Fatalf("non-owner view: %s", r.Body)
			}
		}},
		{Name: "owner", Method: "GET", Path: path, Token: farmer.Token, WantStatus: 200, Check: checkView(func(t *testing.T, v view) {
			if i64(v.ReservePrice) != "12000" || v.Watchers == nil || *v.Watchers != 0 {
				t.Fatalf("owner view: reserve %s watchers %v", i64(v.ReservePrice), v.Watchers)
			}
		})},
		{Name: "unknown id", Method: "GET", Path: "/api/v1/auctions/000000000000000000000000", WantStatus: 404, WantCode: "not_found"},
		{Name: "malformed id", Method: "GET", Path: "/api/v1/auctions/zzz", WantStatus: 404, WantCode: "not_found"},
		{Name: "bad token is still 401", Method: "GET", Path: path, Token: "garbage", WantStatus: 401, WantCode: "unauthorized"},
	})

}

// The owner's view counts the sockets watching, and keeps counting them
// while other requests come and go. (Runners are looked up by the auction
// id taken from the request path; the count goes wrong if that lookup ever
// stops finding the runner the socket subscribed to.)
func TestScenarioWatchers(t *testing.T) {
	ts := testserver.Start(t)
	farmer, buyer := ts.Register("farmer"), ts.Register("buyer")
	a := ts.CreateAuction(farmer.Token, sellBody(time.Hour, nil))
	c, err := ts.Dial("/ws/auctions/" + a.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if m, err := testserver.Read(c, 5*time.Second); err != nil || m.Type != "snapshot" {
		t.Fatalf("first message %+v %v", m, err)
	}
	for i := range 30 {
		v := viewOf(t, ts, a.ID, farmer.Token)
		if v.Watchers == nil || *v.Watchers != 1 {
			n := -1
			if v.Watchers != nil {
				n = *v.Watchers
			}
			t.Fatalf("request %d: watchers %d, want 1 (the socket is still open)", i, n)
		}
		ts.Do("GET", "/api/v1/auctions?limit=5", "", nil) // other traffic
	}
	// and the socket still gets bids at once, from the runner that took them
	ts.MustBid(buyer.Token, a.ID, 10000)
	m, err := testserver.Read(c, 5*time.Second)
	if err != nil || m.Type != "bid" || m.Bid == nil || m.Bid.Amount != 10000 {
		t.Fatalf("after a bid the socket read %+v %v", m, err)
	}
}

func TestScenarioListAuctions(t *testing.T) {
	ts := testserver.Start(t)
	farmer, buyer, buyer2 := ts.Register("farmer"), ts.Register("buyer"), ts.Register("buyer")
	c := unique("list")
	mk := func(token string, body map[string]any) string {
		return ts.CreateAuction(token, merge(body, map[string]any{"commodity": c})).ID
	}
	live := mk(farmer.Token, sellBody(time.Hour, map[string]any{"lot": lot("211102"), "reservePrice": 50000}))
	sched := mk(farmer.Token, sellBody(2*time.Hour, map[string]any{"lot": lot("210102"), "startsAt": testserver.FromNow(time.Hour)}))
	buyLive := mk(buyer.Token, buyBody(time.Hour, map[string]any{"lot": lot("211103")}))
	cancelled := mk(farmer.Token, sellBody(time.Hour, map[string]any{"lot": lot("210102")}))
	closed := mk(farmer.Token, sellBody(time.Hour, map[string]any{"lot": lot("210203"), "buyNowPrice": 20000}))
	other := ts.CreateAuction(farmer.Token, sellBody(time.Hour, map[string]any{"commodity": unique("other"), "lot": lot("211102")})).ID

	if r := ts.Do("POST", "/api/v1/auctions/"+cancelled+"/cancel", farmer.Token, nil); r.Status != 200 {
		t.Fatalf("cancel: %d %s", r.Status, r.Body)
	}
	ts.MustBid(buyer2.Token, closed, 20000) // buy-now: closed at once
	testserver.WaitFor(t, 5*time.Second, "list caches to catch up", func() bool {
		return slices.Equal(ts.ListIDs("/api/v1/auctions?status=closed&commodity="+c, ""), []string{closed}) &&
			slices.Equal(ts.ListIDs("/api/v1/auctions?status=cancelled&commodity="+c, ""), []string{cancelled})
	})

	set := func(ids ...string) func(*testing.T, testserver.Resp) {
		return func(t *testing.T, r testserver.Resp) {
			t.Helper()
			var p page[view]
			r.Decode(t, &p)
			var got []string
			for _, it := range p.Items {
				got = append(got, it.ID)
			}
			slices.Sort(got)
			want := slices.Clone(ids)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("items %v, want %v", got, want)
			}
		}
	}
	q := "/api/v1/auctions?commodity=" + c
	ts.RunScenarios(t, []testserver.Scenario{
		{Name: "by commodity", Method: "GET", Path: q, WantStatus: 200, Check: set(live, sched, buyLive, cancelled, closed)},
		{Name: "live", Method: "GET", Path: q + "&status=live", WantStatus: 200, Check: set(live, buyLive)},
		{Name: "scheduled", Method: "GET", Path: q + "&status=scheduled", WantStatus: 200, Check: set(sched)},
		{Name: "closed", Method: "GET", Path: q + "&status=closed", WantStatus: 200, Check: set(closed)},
		{Name: "cancelled", Method: "GET", Path: q + "&status=cancelled", WantStatus: 200, Check: set(cancelled)},
		{Name: "kind buy", Method: "GET", Path: q + "&kind=buy", WantStatus: 200, Check: set(buyLive)},
		{Name: "kind sell and live", Method: "GET", Path: q + "&kind=sell&status=live", WantStatus: 200, Check: set(live)},
		{Name: "city code matches its districts", Method: "GET", Path: q + "&region=211100", WantStatus: 200, Check: set(live, buyLive)},
		{Name: "district code", Method: "GET", Path: q + "&region=211102", WantStatus: 200, Check: set(live)},
		{Name: "another city", Method: "GET", Path: q + "&region=210100", WantStatus: 200, Check: set(sched, cancelled)},
		{Name: "province code matches all", Method: "GET", Path: q + "&region=210000", WantStatus: 200, Check: set(live, sched, buyLive, cancelled, closed)},
		{Name: "region elsewhere is refused", Method: "GET", Path: q + "&region=110000", WantStatus: 422, WantCode: "invalid", WantFields: []string{"region"}},
		{Name: "bad status", Method: "GET", Path: q + "&status=open", WantStatus: 422, WantCode: "invalid", WantFields: []string{"status"}},
		{Name: "bad kind", Method: "GET", Path: q + "&kind=auction", WantStatus: 422, WantCode: "invalid", WantFields: []string{"kind"}},
		{Name: "limit 0", Method: "GET", Path: q + "&limit=0", WantStatus: 422, WantCode: "invalid", WantFields: []string{"limit"}},
		{Name: "limit 501", Method: "GET", Path: q + "&limit=501", WantStatus: 422, WantCode: "invalid", WantFields: []string{"limit"}},
		{Name: "closed item shows its result", Method: "GET", Path: q + "&status=closed", WantStatus: 200, Check: func(t *testing.T, r testserver.Resp) {
			var p page[view]
			r.Decode(t, &p)
			v := p.Items[0]
			if v.Status != "closed" || v.Result == nil || str(v.Result.Winner) != buyer2.ID || v.Result.Price != 20000 || v.Seq != 1 || v.Price != 20000 {
				t.Fatalf("closed item %+v result %+v", v, v.Result)
			}
		}},
		{Name: "lists hide the reserve even from the owner's token", Method: "GET", Path: q + "&status=live&kind=sell", Token: buyer.Token, WantStatus: 200,
			Check: func(t *testing.T, r testserver.Resp) {
				if strings.Contains(string(r.Body), "reservePrice") || !strings.Contains(string(r.Body), `"hasReserve":true`) {
					t.Fatalf("list leaks or loses reserve info: %s", r.Body)
				}
			}},
	})
	if testserver.HasID(ts.ListIDs(q, ""), other) {
		t.Fatal("commodity filter let another commodity through")
	}

	// paging: newest first, no item twice, every item once
	var seen []string
	cursor := ""
	for range 10 {
		r := ts.Do("GET", q+"&limit=2&cursor="+cursor, "", nil)
		var p page[view]
		r.Decode(t, &p)
		if len(p.Items) > 2 {
			t.Fatalf("page of %d with limit 2", len(p.Items))
		}
		for _, it := range p.Items {
			seen = append(seen, it.ID)
		}
		if p.Next == "" {
			break
		}
		cursor = p.Next
	}
	want := []string{closed, cancelled, buyLive, sched, live} // newest first
	if !slices.Equal(seen, want) {
		t.Fatalf("paged %v, want %v", seen, want)
	}
}

// ---- bids ------------------------------------------------------------------

func TestScenarioBids(t *testing.T) {
	ts := testserver.Start(t)
	farmer, farmer2 := ts.Register("farmer"), ts.Register("farmer")
	b1, b2 := ts.Register("buyer"), ts.Register("buyer")
	a := ts.CreateAuction(farmer.Token, sellBody(time.Hour, nil))
	sched := ts.CreateAuction(farmer.Token, sellBody(2*time.Hour, map[string]any{"startsAt": testserver.FromNow(time.Hour)}))
	p := bidsPath(a.ID)

	ts.RunScenarios(t, []testserver.Scenario{
		{Name: "no token", Method: "POST", Path: p, Body: amount(10000), WantStatus: 401, WantCode: "unauthorized"},
		{Name: "unknown auction", Method: "POST", Path: bidsPath("000000000000000000000000"), Token: b1.Token, Body: amount(10000), WantStatus: 404, WantCode: "not_found"},
		{Name: "farmer bidding on a sell", Method: "POST", Path: p, Token: farmer2.Token, Body: amount(10000), WantStatus: 403, WantCode: "forbidden"},
		{Name: "owner without the buyer role", Method: "POST", Path: p, Token: farmer.Token, Body: amount(10000), WantStatus: 409, WantCode: "own_auction"},
		{Name: "below start", Method: "POST", Path: p, Token: b1.Token, Body: amount(9999), WantStatus: 409, WantCode: "outbid"},
		{Name: "first bid at start", Method: "POST", Path: p, Token: b1.Token, Body: amount(10000), WantStatus: 201,
			Check: func(t *testing.T, r testserver.Resp) {
				checkBid(1, 10000, b1.ID)(t, r)
				var b bidAnswer
				r.Decode(t, &b)
				if i64(b.Auction.NextMin) != "10100" {
					t.Fatalf("nextMin %s, want 10100", i64(b.Auction.NextMin))
				}
			}},
		{Name: "equal to the price", Method: "POST", Path: p, Token: b2.Token, Body: amount(10000), WantStatus: 409, WantCode: "outbid"},
		{Name: "less than one increment more", Method: "POST", Path: p, Token: b2.Token, Body: amount(10099), WantStatus: 409, WantCode: "outbid"},
		{Name: "exactly one increment more", Method: "POST", Path: p, Token: b2.Token, Body: amount(10100), WantStatus: 201, Check: checkBid(2, 10100, b2.ID)},
		{Name: "leader raising by too little", Method: "POST", Path: p, Token: b2.Token, Body: amount(10150), WantStatus: 409, WantCode: "outbid"},
		{Name: "more than one increment", Method: "POST", Path: p, Token: b1.Token, Body: amount(10550), WantStatus: 201, Check: checkBid(3, 10550, b1.ID)},
		{Name: "negative", Method: "POST", Path: p, Token: b2.Token, Body: amount(-20000), WantStatus: 422, WantCode: "invalid", WantFields: []string{"amount"}},
		{Name: "zero", Method: "POST", Path: p, Token: b2.Token, Body: amount(0), WantStatus: 422, WantCode: "invalid", WantFields: []string{"amount"}},
		{Name: "non-integer", Method: "POST", Path: p, Token: b2.Token, Body: `{"amount":12.5}`, WantStatus: 422, WantCode: "invalid", WantFields: []string{"amount"}},
		{Name: "non-integer above the price", Method: "POST", Path: p, Token: b2.Token, Body: `{"amount":20000.5}`, WantStatus: 422, WantCode: "invalid", WantFields: []string{"amount"}},
		{Name: "string", Method: "POST", Path: p, Token: b2.Token, Body: `{"amount":"20000"}`, WantStatus: 422, WantCode: "invalid", WantFields: []string{"amount"}},
		{Name: "missing", Method: "POST", Path: p, Token: b2.Token, Body: `{}`, WantStatus: 422, WantCode: "invalid", WantFields: []string{"amount"}},
		{Name: "null", Method: "POST", Path: p, Token: b2.Token, Body: `{"amount":null}`, WantStatus: 422, WantCode: "invalid", WantFields: []string{"amount"}},
		{Name: "beyond int64", Method: "POST", Path: p, Token: b2.Token, Body: `{"amount":99999999999999999999}`, WantStatus: 422, WantCode: "invalid", WantFields: []string{"amount"}},
		{Name: "unknown field", Method: "POST", Path: p, Token: b2.Token, Body: `{"amount":20000,"bidder":"x"}`, WantStatus: 422, WantCode: "invalid", WantFields: []string{"bidder"}},
		{Name: "malformed", Method: "POST", Path: p, Token: b2.Token, Body: `{"amount":`, WantStatus: 400, WantCode: "bad_json"},
		{Name: "empty body", Method: "POST", Path: p, Token: b2.Token, Body: ``, WantStatus: 400, WantCode: "bad_json"},
		{Name: "idempotency key too long", Method: "POST", Path: p, Token: b2.Token, Body: amount(20000),
			Headers: []string{"Idempotency-Key", strings.Repeat("k", 129)}, WantStatus: 422, WantCode: "invalid"},
		{Name: "scheduled auction", Method: "POST", Path: bidsPath(sched.ID), Token: b1.Token, Body: amount(10000), WantStatus: 409, WantCode: "not_live"},
		{Name: "state after it all", Method: "GET", Path: "/api/v1/auctions/" + a.ID, WantStatus: 200, Check: checkView(func(t *testing.T, v view) {
			if v.Price != 10550 || str(v.Leader) != b1.ID || v.Seq != 3 || i64(v.NextMin) != "10650" {
				t.Fatalf("price %d leader %s seq %d nextMin %s", v.Price, str(v.Leader), v.Seq, i64(v.NextMin))
			}
		})},
	})

	bs := bidsOf(t, ts, a.ID)
	if len(bs) != 3 || bs[0].Amount != 10000 || bs[1].Amount != 10100 || bs[2].Amount != 10550 || bs[1].Bidder != b2.ID {
		t.Fatalf("stored bids %+v", bs)
	}
	if got := bidsOf(t, ts, sched.ID); len(got) != 0 {
		t.Fatalf("scheduled auction has bids %+v", got)
	}
}

func TestScenarioBuyAuction(t *testing.T) {
	ts := testserver.Start(t)
	owner, buyer2 := ts.Register("buyer"), ts.Register("buyer")
	f1, f2 := ts.Register("farmer"), ts.Register("farmer")
	a := ts.CreateAuction(owner.Token, buyBody(time.Hour, nil))
	p := bidsPath(a.ID)

	ts.RunScenarios(t, []testserver.Scenario{
		{Name: "buyer offering on a buy", Method: "POST", Path: p, Token: buyer2.Token, Body: amount(50000), WantStatus: 403, WantCode: "forbidden"},
		{Name: "owner offering", Method: "POST", Path: p, Token: owner.Token, Body: amount(50000), WantStatus: 409, WantCode: "own_auction"},
		{Name: "first offer above start", Method: "POST", Path: p, Token: f1.Token, Body: amount(50001), WantStatus: 409, WantCode: "outbid"},
		{Name: "first offer at start", Method: "POST", Path: p, Token: f1.Token, Body: amount(50000), WantStatus: 201, Check: checkBid(1, 50000, f1.ID)},
		{Name: "less than one increment lower", Method: "POST", Path: p, Token: f2.Token, Body: amount(49600), WantStatus: 409, WantCode: "outbid"},
		{Name: "higher offer", Method: "POST", Path: p, Token: f2.Token, Body: amount(51000), WantStatus: 409, WantCode: "outbid"},
		{Name: "one increment lower", Method: "POST", Path: p, Token: f2.Token, Body: amount(49500), WantStatus: 201,
			Check: func(t *testing.T, r testserver.Resp) {
				checkBid(2, 49500, f2.ID)(t, r)
				var b bidAnswer
				r.Decode(t, &b)
				if i64(b.Auction.NextMin) != "49000" {
					t.Fatalf("nextMin %s, want 49000", i64(b.Auction.NextMin))
				}
			}},
		{Name: "much lower", Method: "POST", Path: p, Token: f1.Token, Body: amount(45000), WantStatus: 201, Check: checkBid(3, 45000, f1.ID)},
		{Name: "equal to the price", Method: "POST", Path: p, Token: f2.Token, Body: amount(45000), WantStatus: 409, WantCode: "outbid"},
	})
	v := viewOf(t, ts, a.ID, "")
	if v.Price != 45000 || str(v.Leader) != f1.ID || v.Seq != 3 {
		t.Fatalf("buy auction: price %d leader %s seq %d", v.Price, str(v.Leader), v.Seq)
	}
}

func TestScenarioIncrementTableAndBuyNow(t *testing.T) {
	ts := testserver.Start(t)
	farmer, owner := ts.Register("farmer"), ts.Register("buyer")
	f2 := ts.Register("farmer")
	b1, b2 := ts.Register("buyer"), ts.Register("buyer")

	t.Run("increment table", func(t *testing.T) {
		table := []map[string]any{{"from": 0, "step": 100}, {"from": 10500, "step": 500}, {"from": 20000, "step": 1000}}
		a := ts.Sub(t).CreateAuction(farmer.Token, sellBody(time.Hour, map[string]any{"incrementTable": table}))
		p := bidsPath(a.ID)
		nextMin := func(want string) func(*testing.T, testserver.Resp) {
			return func(t *testing.T, r testserver.Resp) {
				var b bidAnswer
				r.Decode(t, &b)
				if i64(b.Auction.NextMin) != want {
					t.Fatalf("nextMin %s, want %s", i64(b.Auction.NextMin), want)
				}
			}
		}
		ts.RunScenarios(t, []testserver.Scenario{
			{Name: "first at start", Method: "POST", Path: p, Token: b1.Token, Body: amount(10000), WantStatus: 201, Check: nextMin("10100")},
			{Name: "below the 100 step", Method: "POST", Path: p, Token: b2.Token, Body: amount(10050), WantStatus: 409, WantCode: "outbid"},
			{Name: "in the first band", Method: "POST", Path: p, Token: b2.Token, Body: amount(10400), WantStatus: 201, Check: nextMin("10500")},
			{Name: "reaching the second band", Method: "POST", Path: p, Token: b1.Token, Body: amount(10500), WantStatus: 201, Check: nextMin("11000")},
			{Name: "old step no longer enough", Method: "POST", Path: p, Token: b2.Token, Body: amount(10600), WantStatus: 409, WantCode: "outbid"},
			{Name: "new step", Method: "POST", Path: p, Token: b2.Token, Body: amount(11000), WantStatus: 201, Check: nextMin("11500")},
			{Name: "into the third band", Method: "POST", Path: p, Token: b1.Token, Body: amount(20000), WantStatus: 201, Check: nextMin("21000")},
			{Name: "500 is too little now", Method: "POST", Path: p, Token: b2.Token, Body: amount(20500), WantStatus: 409, WantCode: "outbid"},
		})
	})

	t.Run("buy-now on sell", func(t *testing.T) {
		ts := ts.Sub(t)
		a := ts.CreateAuction(farmer.Token, sellBody(time.Hour, map[string]any{"buyNowPrice": 20000}))
		ts.MustBid(b1.Token, a.ID, 15000)
		if v := viewOf(t, ts, a.ID, ""); v.Status != "live" {
			t.Fatalf("a bid below buy-now closed the auction: %+v", v)
		}
		ts.MustBid(b2.Token, a.ID, 25000)
		v := viewOf(t, ts, a.ID, "")
		if v.Status != "closed" || v.Result == nil || str(v.Result.Winner) != b2.ID || v.Result.Price != 25000 || !v.Result.ReserveMet {
			t.Fatalf("after buy-now: status %s result %+v", v.Status, v.Result)
		}
		if r := ts.PlaceBid(b1.Token, a.ID, 30000); r.Status != 409 || r.ErrCode() != "not_live" {
			t.Fatalf("bid after buy-now: %d %s", r.Status, r.Body)
		}
		testserver.WaitFor(t, 5*time.Second, "the order", func() bool {
			return ts.Do("GET", "/api/v1/orders/"+a.ID, b2.Token, nil).Status == 200
		})
		var o orderView
		ts.Do("GET", "/api/v1/orders/"+a.ID, b2.Token, nil).Decode(t, &o)
		if o.Seller != farmer.ID || o.Buyer != b2.ID || o.Price != 25000 || o.Counterparty.Phone != farmer.Phone {
			t.Fatalf("order %+v", o)
		}
		if n := len(bidsOf(t, ts, a.ID)); n != 2 {
			t.Fatalf("%d bids stored, want 2", n)
		}
	})

	t.Run("buy-now on buy", func(t *testing.T) {
		ts := ts.Sub(t)
		a := ts.CreateAuction(owner.Token, buyBody(time.Hour, map[string]any{"buyNowPrice": 30000}))
		ts.MustBid(f2.Token, a.ID, 30000)
		v := viewOf(t, ts, a.ID, "")
		if v.Status != "closed" || v.Result == nil || str(v.Result.Winner) != f2.ID || v.Result.Price != 30000 {
			t.Fatalf("after buy-now: status %s result %+v", v.Status, v.Result)
		}
	})
}

// ---- idempotency -----------------------------------------------------------

func TestScenarioIdempotency(t *testing.T) {
	ts := testserver.Start(t)
	farmer := ts.Register("farmer")
	b1, b2 := ts.Register("buyer"), ts.Register("buyer")
	a := ts.CreateAuction(farmer.Token, sellBody(time.Hour, nil))
	a2 := ts.CreateAuction(farmer.Token, sellBody(time.Hour, nil))
	key := func(k string) []string { return []string{"Idempotency-Key", k} }
	same := func(t *testing.T, what string, x, y testserver.Resp) {
		t.Helper()
		if x.Status != y.Status || !bytes.Equal(x.Body, y.Body) {
			t.Fatalf("%s: first %d %s, again %d %s", what, x.Status, x.Body, y.Status, y.Body)
		}
	}

	first := ts.MustBid(b1.Token, a.ID, 10000, key("k1")...)
	same(t, "same key, same amount", first, ts.PlaceBid(b1.Token, a.ID, 10000, key("k1")...))
	same(t, "same key, other amount", first, ts.PlaceBid(b1.Token, a.ID, 99999, key("k1")...))
	if n := len(bidsOf(t, ts, a.ID)); n != 1 {
		t.Fatalf("%d bids stored for one key, want 1", n)
	}

	// the key belongs to the user: another user's k1 is a new bid
	checkBid(2, 10100, b2.ID)(t, ts.MustBid(b2.Token, a.ID, 10100, key("k1")...))
	// and to the auction: k1 on another auction is a new bid
	checkBid(1, 10000, b1.ID)(t, ts.MustBid(b1.Token, a2.ID, 10000, key("k1")...))

	// a refusal is answered the same way again, even when the amount would now do
	refused := ts.PlaceBid(b1.Token, a.ID, 5000, key("k2")...)
	if refused.Status != 409 || refused.ErrCode() != "outbid" {
		t.Fatalf("low keyed bid: %d %s", refused.Status, refused.Body)
	}
	same(t, "refusal replayed", refused, ts.PlaceBid(b1.Token, a.ID, 50000, key("k2")...))
	if n := len(bidsOf(t, ts, a.ID)); n != 2 {
		t.Fatalf("%d bids after a replayed refusal, want 2", n)
	}

	// state moves on; the first answer does not
	checkBid(3, 10200, b1.ID)(t, ts.MustBid(b1.Token, a.ID, 10200))
	same(t, "replay after later bids", first, ts.PlaceBid(b1.Token, a.ID, 10000, key("k1")...))

	// the same key sent at once from several connections: one bid, one answer
	const n = 8
	resps := make([]testserver.Resp, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := ts.Try("POST", bidsPath(a.ID), b2.Token, amount(30000), "Idempotency-Key", "k3")
			if err != nil {
				t.Error(err)
			}
			resps[i] = r
		}()
	}
	wg.Wait()
	for i := range n {
		if resps[i].Status != 201 {
			t.Fatalf("concurrent keyed bid %d: %d %s", i, resps[i].Status, resps[i].Body)
		}
		same(t, "concurrent same key", resps[0], resps[i])
	}
	bs := bidsOf(t, ts, a.ID)
	if len(bs) != 4 || bs[3].Amount != 30000 || bs[3].Bidder != b2.ID {
		t.Fatalf("bids after concurrent keyed bids: %+v", bs)
	}

	// refusals that come before the auction is consulted are stable too
	own := ts.PlaceBid(farmer.Token, a.ID, 90000, key("k4")...)
	if own.Status != 409 || own.ErrCode() != "own_auction" {
		t.Fatalf("owner keyed bid: %d %s", own.Status, own.Body)
	}
	same(t, "own_auction replayed", own, ts.PlaceBid(farmer.Token, a.ID, 90000, key("k4")...))
}

// The contract keeps keys across restarts.
func TestScenarioIdempotencyAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	ts := testserver.Start(t, testserver.WithDataDir(dir))
	farmer, b1 := ts.Register("farmer"), ts.Register("buyer")
	a := ts.CreateAuction(farmer.Token, sellBody(time.Hour, nil))
	ok := ts.MustBid(b1.Token, a.ID, 10000, "Idempotency-Key", "r1")
	no := ts.PlaceBid(b1.Token, a.ID, 10050, "Idempotency-Key", "r2")
	if no.Status != 409 {
		t.Fatalf("low bid: %d %s", no.Status, no.Body)
	}
	ts.Stop()

	ts2 := testserver.Start(t, testserver.WithDataDir(dir))
	for _, c := range []struct {
		key   string
		amt   int64
		first testserver.Resp
	}{{"r1", 10000, ok}, {"r2", 20000, no}} {
		again := ts2.PlaceBid(b1.Token, a.ID, c.amt, "Idempotency-Key", c.key)
		if again.Status != c.first.Status || !bytes.Equal(again.Body, c.first.Body) {
			t.Fatalf("key %s after restart: first %d %s, again %d %s", c.key, c.first.Status, c.first.Body, again.Status, again.Body)
		}
	}
	if n := len(bidsOf(t, ts2, a.ID)); n != 1 {
		t.Fatalf("%d bids after restart replays, want 1", n)
	}
}

// ---- bid list --------------------------------------------------------------

func TestScenarioBidList(t *testing.T) {
	ts := testserver.Start(t)
	farmer := ts.Register("farmer")
	b1, b2 := ts.Register("buyer"), ts.Register("buyer")
	a := ts.CreateAuction(farmer.Token, sellBody(time.Hour, nil))
	for i := range 7 {
		u := b1
		if i%2 == 1 {
			u = b2
		}
		ts.MustBid(u.Token, a.ID, 10000+int64(i)*100)
	}
	p := bidsPath(a.ID)
	seqs := func(want []int64, next string) func(*testing.T, testserver.Resp) {
		return func(t *testing.T, r testserver.Resp) {
			t.Helper()
			var pg page[testserver.Bid]
			r.Decode(t, &pg)
			var got []int64
			for _, b := range pg.Items {
				got = append(got, b.Seq)
				if b.Amount != 10000+(b.Seq-1)*100 || b.Bidder == "" || b.At.IsZero() || b.Proxy {
					t.Fatalf("bid %+v", b)
				}
			}
			if !slices.Equal(got, want) || pg.Next != next {
				t.Fatalf("seqs %v next %q, want %v next %q", got, pg.Next, want, next)
			}
		}
	}
	ts.RunScenarios(t, []testserver.Scenario{
		{Name: "all", Method: "GET", Path: p, WantStatus: 200, Check: seqs([]int64{1, 2, 3, 4, 5, 6, 7}, "")},
		{Name: "after 5", Method: "GET", Path: p + "?after=5", WantStatus: 200, Check: seqs([]int64{6, 7}, "")},
		{Name: "after 0", Method: "GET", Path: p + "?after=0", WantStatus: 200, Check: seqs([]int64{1, 2, 3, 4, 5, 6, 7}, "")},
		{Name: "after the last", Method: "GET", Path: p + "?after=7", WantStatus: 200, Check: seqs(nil, "")},
		{Name: "after beyond", Method: "GET", Path: p + "?after=100", WantStatus: 200, Check: seqs(nil, "")},
		{Name: "page 1", Method: "GET", Path: p + "?limit=3", WantStatus: 200, Check: seqs([]int64{1, 2, 3}, "3")},
		{Name: "page 2", Method: "GET", Path: p + "?limit=3&cursor=3", WantStatus: 200, Check: seqs([]int64{4, 5, 6}, "6")},
		{Name: "page 3", Method: "GET", Path: p + "?limit=3&cursor=6", WantStatus: 200, Check: seqs([]int64{7}, "")},
		{Name: "after with limit", Method: "GET", Path: p + "?after=2&limit=2", WantStatus: 200, Check: seqs([]int64{3, 4}, "4")},
		{Name: "limit 500", Method: "GET", Path: p + "?limit=500", WantStatus: 200, Check: seqs([]int64{1, 2, 3, 4, 5, 6, 7}, "")},
		{Name: "limit 0", Method: "GET", Path: p + "?limit=0", WantStatus: 422, WantCode: "invalid", WantFields: []string{"limit"}},
		{Name: "limit 501", Method: "GET", Path: p + "?limit=501", WantStatus: 422, WantCode: "invalid", WantFields: []string{"limit"}},
		{Name: "limit not a number", Method: "GET", Path: p + "?limit=ten", WantStatus: 422, WantCode: "invalid", WantFields: []string{"limit"}},
		{Name: "negative after", Method: "GET", Path: p + "?after=-1", WantStatus: 422, WantCode: "invalid", WantFields: []string{"after"}},
		{Name: "bad cursor", Method: "GET", Path: p + "?cursor=xyz", WantStatus: 422, WantCode: "invalid", WantFields: []string{"cursor"}},
		{Name: "unknown auction", Method: "GET", Path: bidsPath("000000000000000000000000"), WantStatus: 404, WantCode: "not_found"},
	})
}

// ---- cancel ----------------------------------------------------------------

func TestScenarioCancel(t *testing.T) {
	ts := testserver.Start(t)
	farmer, farmer2, b1 := ts.Register("farmer"), ts.Register("farmer"), ts.Register("buyer")
	quiet := ts.CreateAuction(farmer.Token, sellBody(time.Hour, nil))
	busy := ts.CreateAuction(farmer.Token, sellBody(time.Hour, nil))
	sched := ts.CreateAuction(farmer.Token, sellBody(2*time.Hour, map[string]any{"startsAt": testserver.FromNow(time.Hour)}))
	ts.MustBid(b1.Token, busy.ID, 10000)
	cancel := func(id string) string { return "/api/v1/auctions/" + id + "/cancel" }

	ts.RunScenarios(t, []testserver.Scenario{
		{Name: "no token", Method: "POST", Path: cancel(quiet.ID), WantStatus: 401, WantCode: "unauthorized"},
		{Name: "another farmer", Method: "POST", Path: cancel(quiet.ID), Token: farmer2.Token, WantStatus: 403, WantCode: "forbidden"},
		{Name: "a buyer", Method: "POST", Path: cancel(quiet.ID), Token: b1.Token, WantStatus: 403, WantCode: "forbidden"},
		{Name: "unknown auction", Method: "POST", Path: cancel("000000000000000000000000"), Token: farmer.Token, WantStatus: 404, WantCode: "not_found"},
		{Name: "after a bid", Method: "POST", Path: cancel(busy.ID), Token: farmer.Token, WantStatus: 409, WantCode: "has_bids"},
		{Name: "owner before the first bid", Method: "POST", Path: cancel(quiet.ID), Token: farmer.Token, WantStatus: 200,
			Check: checkView(func(t *testing.T, v view) {
				if v.ID != quiet.ID || v.Status != "cancelled" {
					t.Fatalf("cancel answer: %+v", v)
				}
			})},
		{Name: "cancelled shows on read", Method: "GET", Path: "/api/v1/auctions/" + quiet.ID, WantStatus: 200,
			Check: checkView(func(t *testing.T, v view) {
				if v.Status != "cancelled" || v.NextMin != nil || v.Result == nil || v.Result.Winner != nil {
					t.Fatalf("cancelled view: %+v result %+v", v, v.Result)
				}
			})},
		{Name: "no bids on a cancelled auction", Method: "POST", Path: bidsPath(quiet.ID), Token: b1.Token, Body: amount(10000), WantStatus: 409, WantCode: "not_live"},
		{Name: "no proxy on a cancelled auction", Method: "PUT", Path: "/api/v1/auctions/" + quiet.ID + "/proxy", Token: b1.Token, Body: map[string]any{"max": 20000}, WantStatus: 409, WantCode: "not_live"},
		{Name: "cancel twice", Method: "POST", Path: cancel(quiet.ID), Token: farmer.Token, WantStatus: 409, WantCode: "not_live"},
		{Name: "no order for a cancelled auction", Method: "GET", Path: "/api/v1/orders/" + quiet.ID, Token: farmer.Token, WantStatus: 404, WantCode: "not_found"},
		{Name: "the auction with a bid is still live", Method: "GET", Path: "/api/v1/auctions/" + busy.ID, WantStatus: 200,
			Check: checkView(func(t *testing.T, v view) {
				if v.Status != "live" || v.Seq != 1 {
					t.Fatalf("busy auction: %+v", v)
				}
			})},
		{Name: "scheduled auction", Method: "POST", Path: cancel(sched.ID), Token: farmer.Token, WantStatus: 200,
			Check: checkView(func(t *testing.T, v view) {
				if v.Status != "cancelled" {
					t.Fatalf("cancelled scheduled auction: %+v", v)
				}
			})},
	})
	if n := len(bidsOf(t, ts, quiet.ID)); n != 0 {
		t.Fatalf("cancelled auction lists %d bids", n)
	}
}

// ---- proxy -----------------------------------------------------------------

func TestScenarioProxy(t *testing.T) {
	ts := testserver.Start(t)
	farmer, farmer2 := ts.Register("farmer"), ts.Register("farmer")
	b1, b2, b3 := ts.Register("buyer"), ts.Register("buyer"), ts.Register("buyer")
	owner := ts.Register("buyer")
	proxyPath := func(id string) string { return "/api/v1/auctions/" + id + "/proxy" }
	maxBody := func(m any) map[string]any { return map[string]any{"max": m} }
	leads := func(id, who string, price int64) func(*testing.T, testserver.Resp) {
		return func(t *testing.T, _ testserver.Resp) {
			t.Helper()
			v := viewOf(t, ts, id, "")
			if str(v.Leader) != who || v.Price != price {
				t.Fatalf("leader %s at %d, want %s at %d", str(v.Leader), v.Price, who, price)
			}
		}
	}
	proxyAnswer := func(max int64) func(*testing.T, testserver.Resp) {
		return func(t *testing.T, r testserver.Resp) {
			t.Helper()
			var out struct {
				Proxy   struct{ Max int64 }
				Auction view
			}
			r.Decode(t, &out)
			if out.Proxy.Max != max || out.Auction.ID == "" {
				t.Fatalf("proxy answer %s", r.Body)
			}
		}
	}
	type bidRow struct {
		bidder string
		amount int64
		proxy  bool
	}
	wantBids := func(t *testing.T, id string, want ...bidRow) {
		t.Helper()
		var got []bidRow
		for _, b := range bidsOf(t, ts, id) {
			got = append(got, bidRow{b.Bidder, b.Amount, b.Proxy})
		}
		if !slices.Equal(got, want) {
			t.Fatalf("bids %+v, want %+v", got, want)
		}
	}

	t.Run("proxy holder is auto-bid", func(t *testing.T) {
		a := ts.Sub(t).CreateAuction(farmer.Token, sellBody(time.Hour, nil))
		ts.RunScenarios(t, []testserver.Scenario{
			{Name: "set max", Method: "PUT", Path: proxyPath(a.ID), Token: b1.Token, Body: maxBody(15000), WantStatus: 200,
				Check: func(t *testing.T, r testserver.Resp) { proxyAnswer(15000)(t, r); leads(a.ID, b1.ID, 10000)(t, r) }},
			{Name: "a manual bid is answered", Method: "POST", Path: bidsPath(a.ID), Token: b2.Token, Body: amount(12000), WantStatus: 201,
				Check: leads(a.ID, b1.ID, 12100)},
			{Name: "a bid beyond the max wins", Method: "POST", Path: bidsPath(a.ID), Token: b2.Token, Body: amount(15100), WantStatus: 201,
				Check: leads(a.ID, b2.ID, 15100)},
		})
		wantBids(t, a.ID, bidRow{b1.ID, 10000, true}, bidRow{b2.ID, 12000, false}, bidRow{b1.ID, 12100, true}, bidRow{b2.ID, 15100, false})
	})

	t.Run("higher proxy set later wins at the lower max plus a step", func(t *testing.T) {
		a := ts.Sub(t).CreateAuction(farmer.Token, sellBody(time.Hour, nil))
		ts.RunScenarios(t, []testserver.Scenario{
			{Name: "low", Method: "PUT", Path: proxyPath(a.ID), Token: b1.Token, Body: maxBody(15000), WantStatus: 200},
			{Name: "high", Method: "PUT", Path: proxyPath(a.ID), Token: b2.Token, Body: maxBody(20000), WantStatus: 200, Check: leads(a.ID, b2.ID, 15100)},
		})
		wantBids(t, a.ID, bidRow{b1.ID, 10000, true}, bidRow{b2.ID, 15100, true})
	})

	t.Run("higher proxy set first keeps the lead at the lower max plus a step", func(t *testing.T) {
		a := ts.Sub(t).CreateAuction(farmer.Token, sellBody(time.Hour, nil))
		ts.RunScenarios(t, []testserver.Scenario{
			{Name: "high", Method: "PUT", Path: proxyPath(a.ID), Token: b1.Token, Body: maxBody(20000), WantStatus: 200},
			{Name: "low", Method: "PUT", Path: proxyPath(a.ID), Token: b2.Token, Body: maxBody(15000), WantStatus: 200, Check: leads(a.ID, b1.ID, 15100)},
			{Name: "a third bidder", Method: "POST", Path: bidsPath(a.ID), Token: b3.Token, Body: amount(18000), WantStatus: 201, Check: leads(a.ID, b1.ID, 18100)},
		})
		bs := bidsOf(t, ts, a.ID)
		last := bs[len(bs)-1]
		if !last.Proxy || last.Bidder != b1.ID || last.Amount != 18100 {
			t.Fatalf("last bid %+v", last)
		}
	})

	t.Run("equal proxies: the first keeps the lead at its max", func(t *testing.T) {
		a := ts.Sub(t).CreateAuction(farmer.Token, sellBody(time.Hour, nil))
		ts.RunScenarios(t, []testserver.Scenario{
			{Name: "first", Method: "PUT", Path: proxyPath(a.ID), Token: b1.Token, Body: maxBody(15000), WantStatus: 200},
			{Name: "second", Method: "PUT", Path: proxyPath(a.ID), Token: b2.Token, Body: maxBody(15000), WantStatus: 200, Check: leads(a.ID, b1.ID, 15000)},
		})
	})

	t.Run("buy auction proxies fall", func(t *testing.T) {
		f1, f2 := ts.Register("farmer"), ts.Register("farmer")
		a := ts.Sub(t).CreateAuction(owner.Token, buyBody(time.Hour, nil))
		ts.RunScenarios(t, []testserver.Scenario{
			{Name: "first min", Method: "PUT", Path: proxyPath(a.ID), Token: f1.Token, Body: maxBody(40000), WantStatus: 200, Check: leads(a.ID, f1.ID, 50000)},
			{Name: "lower min wins one step below the other", Method: "PUT", Path: proxyPath(a.ID), Token: f2.Token, Body: maxBody(30000), WantStatus: 200, Check: leads(a.ID, f2.ID, 39500)},
		})
		wantBids(t, a.ID, bidRow{f1.ID, 50000, true}, bidRow{f2.ID, 39500, true})
	})

	t.Run("refusals", func(t *testing.T) {
		a := ts.Sub(t).CreateAuction(farmer.Token, sellBody(time.Hour, nil))
		sched := ts.Sub(t).CreateAuction(farmer.Token, sellBody(2*time.Hour, map[string]any{"startsAt": testserver.FromNow(time.Hour)}))
		ts.Sub(t).MustBid(b1.Token, a.ID, 12000)
		ts.RunScenarios(t, []testserver.Scenario{
			{Name: "no token", Method: "PUT", Path: proxyPath(a.ID), Body: maxBody(20000), WantStatus: 401, WantCode: "unauthorized"},
			{Name: "owner", Method: "PUT", Path: proxyPath(a.ID), Token: farmer.Token, Body: maxBody(20000), WantStatus: 409, WantCode: "own_auction"},
			{Name: "farmer on a sell", Method: "PUT", Path: proxyPath(a.ID), Token: farmer2.Token, Body: maxBody(20000), WantStatus: 403, WantCode: "forbidden"},
			{Name: "unknown auction", Method: "PUT", Path: proxyPath("000000000000000000000000"), Token: b2.Token, Body: maxBody(20000), WantStatus: 404, WantCode: "not_found"},
			{Name: "max below the next bid", Method: "PUT", Path: proxyPath(a.ID), Token: b2.Token, Body: maxBody(12050), WantStatus: 409, WantCode: "outbid"},
			{Name: "scheduled", Method: "PUT", Path: proxyPath(sched.ID), Token: b2.Token, Body: maxBody(20000), WantStatus: 409, WantCode: "not_live"},
			{Name: "zero", Method: "PUT", Path: proxyPath(a.ID), Token: b2.Token, Body: maxBody(0), WantStatus: 422, WantCode: "invalid", WantFields: []string{"max"}},
			{Name: "fractional", Method: "PUT", Path: proxyPath(a.ID), Token: b2.Token, Body: `{"max":15000.5}`, WantStatus: 422, WantCode: "invalid", WantFields: []string{"max"}},
			{Name: "missing", Method: "PUT", Path: proxyPath(a.ID), Token: b2.Token, Body: `{}`, WantStatus: 422, WantCode: "invalid", WantFields: []string{"max"}},
			{Name: "nothing changed", Method: "GET", Path: "/api/v1/auctions/" + a.ID, WantStatus: 200, Check: leads(a.ID, b1.ID, 12000)},
		})
		if n := len(bidsOf(t, ts, a.ID)); n != 1 {
			t.Fatalf("%d bids after refused proxies, want 1", n)
		}
	})
}

// ---- soft close (immediate effects) ----------------------------------------

func TestScenarioSoftClose(t *testing.T) {
	ts := testserver.Start(t)
	farmer, b1, b2 := ts.Register("farmer"), ts.Register("buyer"), ts.Register("buyer")
	bidEnds := func(t *testing.T, r testserver.Resp) (at, endsAt time.Time) {
		t.Helper()
		var b bidAnswer
		r.Decode(t, &b)
		return b.Bid.At, b.Auction.EndsAt
	}

	t.Run("a bid inside the window moves endsAt", func(t *testing.T) {
		ts := ts.Sub(t)
		a := ts.CreateAuction(farmer.Token, sellBody(5*time.Minute, map[string]any{"extendSeconds": 600}))
		at, ends := bidEnds(t, ts.MustBid(b1.Token, a.ID, 10000))
		if !ends.Equal(at.Add(600*time.Second)) || !ends.After(a.EndsAt) {
			t.Fatalf("bid at %v: endsAt %v, want %v (was %v)", at, ends, at.Add(600*time.Second), a.EndsAt)
		}
		at2, ends2 := bidEnds(t, ts.MustBid(b2.Token, a.ID, 10100))
		if !ends2.Equal(at2.Add(600 * time.Second)) {
			t.Fatalf("second bid at %v: endsAt %v", at2, ends2)
		}
		if v := viewOf(t, ts, a.ID, ""); !v.EndsAt.Equal(ends2) {
			t.Fatalf("read endsAt %v, want %v", v.EndsAt, ends2)
		}
	})

	t.Run("a bid outside the window does not", func(t *testing.T) {
		ts := ts.Sub(t)
		a := ts.CreateAuction(farmer.Token, sellBody(time.Hour, map[string]any{"extendSeconds": 60}))
		if _, ends := bidEnds(t, ts.MustBid(b1.Token, a.ID, 10000)); !ends.Equal(a.EndsAt) {
			t.Fatalf("endsAt moved from %v to %v", a.EndsAt, ends)
		}
	})

	t.Run("extendSeconds 0 disables", func(t *testing.T) {
		ts := ts.Sub(t)
		a := ts.CreateAuction(farmer.Token, sellBody(30*time.Second, map[string]any{"extendSeconds": 0}))
		if _, ends := bidEnds(t, ts.MustBid(b1.Token, a.ID, 10000)); !ends.Equal(a.EndsAt) {
			t.Fatalf("endsAt moved from %v to %v", a.EndsAt, ends)
		}
	})
}

// ---- photos ----------------------------------------------------------------

func TestScenarioPhotos(t *testing.T) {
	ts := testserver.Start(t)
	farmer, farmer2, b1 := ts.Register("farmer"), ts.Register("farmer"), ts.Register("buyer")
	a := ts.CreateAuction(farmer.Token, sellBody(time.Hour, nil))
	img := pngBytes(t)
	jpeg := append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0}, make([]byte, 200)...)
	tooBig := append(slices.Clone(img), make([]byte, 512<<10)...)
	path := "/api/v1/auctions/" + a.ID + "/photos"
	ct := func(v string) []string { return []string{"Content-Type", v} }
	var url string

	ts.RunScenarios(t, []testserver.Scenario{
		{Name: "owner uploads a PNG", Method: "POST", Path: path, Token: farmer.Token, Body: img, Headers: ct("image/png"), WantStatus: 201,
			Check: func(t *testing.T, r testserver.Resp) {
				var out struct{ Photo struct{ ID, URL string } }
				r.Decode(t, &out)
				if out.Photo.ID == "" || out.Photo.URL != "/api/v1/photos/"+out.Photo.ID {
					t.Fatalf("photo answer %s", r.Body)
				}
				url = out.Photo.URL
			}},
	})
	if url == "" {
		t.FailNow()
	}
	ts.RunScenarios(t, []testserver.Scenario{
		{Name: "the photo reads back byte for byte", Method: "GET", Path: url, WantStatus: 200, Check: func(t *testing.T, r testserver.Resp) {
			if got := r.Header.Get("Content-Type"); got != "image/png" {
				t.Fatalf("Content-Type %q", got)
			}
			if !bytes.Equal(r.Body, img) {
				t.Fatalf("read %d bytes, uploaded %d", len(r.Body), len(img))
			}
		}},
		{Name: "the auction lists its photo", Method: "GET", Path: "/api/v1/auctions/" + a.ID, WantStatus: 200, Check: checkView(func(t *testing.T, v view) {
			if !slices.Equal(v.Photos, []string{url}) {
				t.Fatalf("photos %v, want [%s]", v.Photos, url)
			}
		})},
		{Name: "non-owner", Method: "POST", Path: path, Token: farmer2.Token, Body: img, Headers: ct("image/png"), WantStatus: 403, WantCode: "forbidden"},
		{Name: "buyer", Method: "POST", Path: path, Token: b1.Token, Body: img, Headers: ct("image/png"), WantStatus: 403, WantCode: "forbidden"},
		{Name: "no token", Method: "POST", Path: path, Body: img, Headers: ct("image/png"), WantStatus: 401, WantCode: "unauthorized"},
		{Name: "text body", Method: "POST", Path: path, Token: farmer.Token, Body: "just some text, not a picture", Headers: ct("text/plain"), WantStatus: 415, WantCode: "bad_photo"},
		{Name: "text claiming to be a PNG", Method: "POST", Path: path, Token: farmer.Token, Body: "just some text", Headers: ct("image/png"), WantStatus: 415, WantCode: "bad_photo"},
		{Name: "over 512 KiB", Method: "POST", Path: path, Token: farmer.Token, Body: tooBig, Headers: ct("image/png"), WantStatus: 413, WantCode: "too_large"},
		{Name: "unknown auction", Method: "POST", Path: "/api/v1/auctions/000000000000000000000000/photos", Token: farmer.Token, Body: img, Headers: ct("image/png"), WantStatus: 404, WantCode: "not_found"},
		{Name: "unknown photo", Method: "GET", Path: "/api/v1/photos/000000000000000000000000", WantStatus: 404, WantCode: "not_found"},
		{Name: "a JPEG", Method: "POST", Path: path, Token: farmer.Token, Body: jpeg, Headers: ct("image/jpeg"), WantStatus: 201,
			Check: func(t *testing.T, r testserver.Resp) {
				var out struct{ Photo struct{ URL string } }
				r.Decode(t, &out)
				got := ts.Sub(t).Do("GET", out.Photo.URL, "", nil)
				if got.Status != 200 || got.Header.Get("Content-Type") != "image/jpeg" || !bytes.Equal(got.Body, jpeg) {
					t.Fatalf("JPEG read back: %d %q, %d bytes", got.Status, got.Header.Get("Content-Type"), len(got.Body))
				}
			}},
		{Name: "refused uploads stored nothing", Method: "GET", Path: "/api/v1/auctions/" + a.ID, WantStatus: 200, Check: checkView(func(t *testing.T, v view) {
			if len(v.Photos) != 2 {
				t.Fatalf("photos %v, want 2", v.Photos)
			}
		})},
	})
	// at most 6 per auction
	for i := 2; i < 6; i++ {
		if r := ts.Do("POST", path, farmer.Token, img, ct("image/png")...); r.Status != 201 {
			t.Fatalf("photo %d: %d %s", i+1, r.Status, r.Body)
		}
	}
	r := ts.Do("POST", path, farmer.Token, img, ct("image/png")...)
	if r.Status != 409 || r.ErrCode() != "too_many_photos" {
		t.Fatalf("7th photo: %d %s", r.Status, r.Body)
	}
	testserver.AssertErrorShape(t, r)
}

// ---- my lists --------------------------------------------------------------

func TestScenarioMyLists(t *testing.T) {
	ts := testserver.Start(t)
	farmer, farmer2 := ts.Register("farmer"), ts.Register("farmer")
	b1, idle := ts.Register("buyer"), ts.Register("buyer")
	a1 := ts.CreateAuction(farmer.Token, sellBody(time.Hour, nil)).ID
	a2 := ts.CreateAuction(farmer.Token, sellBody(time.Hour, nil)).ID
	a3 := ts.CreateAuction(farmer2.Token, sellBody(time.Hour, nil)).ID
	for _, id := range []string{a1, a2, a3} {
		ts.MustBid(b1.Token, id, 10000)
	}
	// "my bids" is written just after the bid, off the acknowledgement path
	testserver.WaitFor(t, 5*time.Second, "my bids to list all three", func() bool {
		return len(ts.ListIDs("/api/v1/me/bids", b1.Token)) == 3
	})
	ids := func(want ...string) func(*testing.T, testserver.Resp) {
		return func(t *testing.T, r testserver.Resp) {
			t.Helper()
			var p page[view]
			r.Decode(t, &p)
			got := []string{}
			for _, it := range p.Items {
				got = append(got, it.ID)
			}
			if want == nil {
				want = []string{}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("items %v, want %v (newest first)", got, want)
			}
		}
	}
	ts.RunScenarios(t, []testserver.Scenario{
		{Name: "my auctions", Method: "GET", Path: "/api/v1/me/auctions", Token: farmer.Token, WantStatus: 200, Check: ids(a2, a1)},
		{Name: "another farmer's auctions", Method: "GET", Path: "/api/v1/me/auctions", Token: farmer2.Token, WantStatus: 200, Check: ids(a3)},
		{Name: "a buyer owns none", Method: "GET", Path: "/api/v1/me/auctions", Token: b1.Token, WantStatus: 200, Check: ids()},
		{Name: "my bids", Method: "GET", Path: "/api/v1/me/bids", Token: b1.Token, WantStatus: 200, Check: ids(a3, a2, a1)},
		{Name: "my bids page 1", Method: "GET", Path: "/api/v1/me/bids?limit=2", Token: b1.Token, WantStatus: 200, Check: ids(a3, a2)},
		{Name: "my bids page 2", Method: "GET", Path: "/api/v1/me/bids?limit=2&cursor=" + a2, Token: b1.Token, WantStatus: 200, Check: ids(a1)},
		{Name: "my auctions page 2", Method: "GET", Path: "/api/v1/me/auctions?limit=1&cursor=" + a2, Token: farmer.Token, WantStatus: 200, Check: ids(a1)},
		{Name: "no bids yet", Method: "GET", Path: "/api/v1/me/bids", Token: idle.Token, WantStatus: 200, Check: ids()},
		{Name: "nothing won while live", Method: "GET", Path: "/api/v1/me/won", Token: b1.Token, WantStatus: 200, Check: ids()},
		{Name: "no orders yet", Method: "GET", Path: "/api/v1/orders", Token: b1.Token, WantStatus: 200, Check: func(t *testing.T, r testserver.Resp) {
			if string(r.Body) != `{"items":[],"next":""}` {
				t.Fatalf("empty orders list %s", r.Body)
			}
		}},
		{Name: "my auctions needs a token", Method: "GET", Path: "/api/v1/me/auctions", WantStatus: 401, WantCode: "unauthorized"},
		{Name: "my bids needs a token", Method: "GET", Path: "/api/v1/me/bids", WantStatus: 401, WantCode: "unauthorized"},
		{Name: "won needs a token", Method: "GET", Path: "/api/v1/me/won", WantStatus: 401, WantCode: "unauthorized"},
		{Name: "orders need a token", Method: "GET", Path: "/api/v1/orders", WantStatus: 401, WantCode: "unauthorized"},
		{Name: "an order needs a token", Method: "GET", Path: "/api/v1/orders/" + a1, WantStatus: 401, WantCode: "unauthorized"},
		{Name: "unknown order", Method: "GET", Path: "/api/v1/orders/000000000000000000000000", Token: b1.Token, WantStatus: 404, WantCode: "not_found"},
		{Name: "no order while live", Method: "GET", Path: "/api/v1/orders/" + a1, Token: b1.Token, WantStatus: 404, WantCode: "not_found"},
		{Name: "bad limit on my auctions", Method: "GET", Path: "/api/v1/me/auctions?limit=0", Token: farmer.Token, WantStatus: 422, WantCode: "invalid", WantFields: []string{"limit"}},
		{Name: "bad limit on orders", Method: "GET", Path: "/api/v1/orders?limit=501", Token: farmer.Token, WantStatus: 422, WantCode: "invalid", WantFields: []string{"limit"}},
	})
}

// ---- closing ---------------------------------------------------------------

// closingCase sets up one auction that must close, and returns what to check
// once it has. All setups run first, so the auctions close together and the
// whole test waits the 5 s minimum about once (parallel subtests would be
// held to GOMAXPROCS at a time).
type closingCase struct {
	name  string
	setup func(t *testing.T, ts *testserver.TS) (check func(t *testing.T, ts *testserver.TS))
}

func TestScenarioClosing(t *testing.T) {
	ts := testserver.Start(t)
	const d = 5500 * time.Millisecond // the minimum duration, with room for clock skew
	const wait = 20 * time.Second

	orderOf := func(t *testing.T, ts *testserver.TS, id, token string) orderView {
		t.Helper()
		var o orderView
		testserver.WaitFor(t, 5*time.Second, "order "+id, func() bool {
			r := ts.Do("GET", "/api/v1/orders/"+id, token, nil)
			if r.Status == 200 {
				r.Decode(t, &o)
			}
			return r.Status == 200
		})
		return o
	}
	noOrder := func(t *testing.T, ts *testserver.TS, id string, parties ...testserver.User) {
		t.Helper()
		// the close is made durable (cache, then order) before the runner
		// goes on; once the owner's list shows it closed, an order would exist
		testserver.WaitFor(t, 5*time.Second, "the owner's list to show the close", func() bool {
			var p page[view]
			ts.Do("GET", "/api/v1/me/auctions?limit=500", parties[0].Token, nil).Decode(t, &p)
			for _, v := range p.Items {
				if v.ID == id {
					return v.Status == "closed"
				}
			}
			return false
		})
		time.Sleep(300 * time.Millisecond)
		for _, u := range parties {
			if r := ts.Do("GET", "/api/v1/orders/"+id, u.Token, nil); r.Status != 404 {
				t.Fatalf("order for %s: %d %s, want 404", id, r.Status, r.Body)
			}
			if testserver.HasID(ts.ListIDs("/api/v1/orders", u.Token), id) {
				t.Fatalf("orders list of %s has %s", u.ID, id)
			}
		}
	}

	cases := []closingCase{
		{"sell closes to the highest bid", func(t *testing.T, ts *testserver.TS) func(*testing.T, *testserver.TS) {
			seller, other := ts.Register("farmer"), ts.Register("farmer")
			b1, b2, third := ts.Register("buyer"), ts.Register("buyer"), ts.Register("buyer")
			c := unique("closing")
			a := ts.CreateAuction(seller.Token, sellBody(d, map[string]any{"commodity": c}))
			ts.MustBid(b1.Token, a.ID, 10000)
			ts.MustBid(b2.Token, a.ID, 10100)
			ts.MustBid(b1.Token, a.ID, 10500)
			return func(t *testing.T, ts *testserver.TS) {
				got := ts.WaitClosed(a.ID, wait)
				if got.Result == nil || str(got.Result.Winner) != b1.ID || got.Result.Price != 10500 || !got.Result.ReserveMet || got.Seq != 3 || got.Price != 10500 {
					t.Fatalf("closed: %+v result %+v", got, got.Result)
				}
				o := orderOf(t, ts, a.ID, seller.Token)
				if o.Auction != a.ID || o.Seller != seller.ID || o.Buyer != b1.ID || o.Price != 10500 || o.Status == "" ||
					o.Counterparty.Phone != b1.Phone || o.Counterparty.ID != b1.ID {
					t.Fatalf("seller's order %+v", o)
				}
				if ob := orderOf(t, ts, a.ID, b1.Token); ob.Counterparty.Phone != seller.Phone || ob.Counterparty.ID != seller.ID {
					t.Fatalf("buyer's order %+v", ob)
				}
				ts.RunScenarios(t, []testserver.Scenario{
					{Name: "a losing bidder may not see the order", Method: "GET", Path: "/api/v1/orders/" + a.ID, Token: b2.Token, WantStatus: 403, WantCode: "forbidden"},
					{Name: "a third user may not see the order", Method: "GET", Path: "/api/v1/orders/" + a.ID, Token: third.Token, WantStatus: 403, WantCode: "forbidden"},
					{Name: "another farmer may not see the order", Method: "GET", Path: "/api/v1/orders/" + a.ID, Token: other.Token, WantStatus: 403, WantCode: "forbidden"},
					{Name: "nor may anyone without a token", Method: "GET", Path: "/api/v1/orders/" + a.ID, WantStatus: 401, WantCode: "unauthorized"},
					{Name: "unknown order", Method: "GET", Path: "/api/v1/orders/000000000000000000000000", Token: seller.Token, WantStatus: 404, WantCode: "not_found"},
					{Name: "no bids after the close", Method: "POST", Path: bidsPath(a.ID), Token: b2.Token, Body: amount(20000), WantStatus: 409, WantCode: "not_live"},
					{Name: "no proxy after the close", Method: "PUT", Path: "/api/v1/auctions/" + a.ID + "/proxy", Token: b2.Token, Body: map[string]any{"max": 20000}, WantStatus: 409, WantCode: "not_live"},
					{Name: "no cancel after the close", Method: "POST", Path: "/api/v1/auctions/" + a.ID + "/cancel", Token: seller.Token, WantStatus: 409, WantCode: "not_live"},
					{Name: "closed view has no nextMin", Method: "GET", Path: "/api/v1/auctions/" + a.ID, WantStatus: 200, Check: checkView(func(t *testing.T, v view) {
						if v.NextMin != nil || v.Status != "closed" {
							t.Fatalf("closed view: status %s nextMin %s", v.Status, i64(v.NextMin))
						}
					})},
				})
				if n := len(bidsOf(t, ts, a.ID)); n != 3 {
					t.Fatalf("%d bids listed after the close, want 3", n)
				}
				testserver.WaitFor(t, 5*time.Second, "lists to show the close", func() bool {
					return slices.Equal(ts.ListIDs("/api/v1/auctions?status=closed&commodity="+c, ""), []string{a.ID}) &&
						len(ts.ListIDs("/api/v1/auctions?status=live&commodity="+c, "")) == 0
				})
				for _, c := range []struct {
					name, path string
					u          testserver.User
					want       bool
				}{
					{"winner's orders", "/api/v1/orders", b1, true},
					{"seller's orders", "/api/v1/orders", seller, true},
					{"loser's orders", "/api/v1/orders", b2, false},
					{"winner's won", "/api/v1/me/won", b1, true},
					{"loser's won", "/api/v1/me/won", b2, false},
					{"seller's won", "/api/v1/me/won", seller, false},
					{"loser's bids", "/api/v1/me/bids", b2, true},
					{"winner's bids", "/api/v1/me/bids", b1, true},
					{"seller's auctions", "/api/v1/me/auctions", seller, true},
				} {
					if got := testserver.HasID(ts.ListIDs(c.path, c.u.Token), a.ID); got != c.want {
						t.Errorf("%s: contains %v, want %v", c.name, got, c.want)
					}
				}
			}
		}},

		{"buy closes to the lowest offer", func(t *testing.T, ts *testserver.TS) func(*testing.T, *testserver.TS) {
			owner, f1, f2 := ts.Register("buyer"), ts.Register("farmer"), ts.Register("farmer")
			a := ts.CreateAuction(owner.Token, buyBody(d, nil))
			ts.MustBid(f1.Token, a.ID, 50000)
			ts.MustBid(f2.Token, a.ID, 49000)
			ts.MustBid(f1.Token, a.ID, 45000)
			return func(t *testing.T, ts *testserver.TS) {
				got := ts.WaitClosed(a.ID, wait)
				if got.Result == nil || str(got.Result.Winner) != f1.ID || got.Result.Price != 45000 || !got.Result.ReserveMet {
					t.Fatalf("closed: result %+v", got.Result)
				}
				o := orderOf(t, ts, a.ID, owner.Token)
				if o.Seller != f1.ID || o.Buyer != owner.ID || o.Price != 45000 || o.Kind != "buy" || o.Counterparty.Phone != f1.Phone {
					t.Fatalf("buyer's order %+v", o)
				}
				if of := orderOf(t, ts, a.ID, f1.Token); of.Counterparty.Phone != owner.Phone {
					t.Fatalf("farmer's order %+v", of)
				}
				if r := ts.Do("GET", "/api/v1/orders/"+a.ID, f2.Token, nil); r.Status != 403 {
					t.Fatalf("losing farmer reads the order: %d %s", r.Status, r.Body)
				}
				testserver.WaitFor(t, 5*time.Second, "won list", func() bool {
					return testserver.HasID(ts.ListIDs("/api/v1/me/won", f1.Token), a.ID)
				})
			}
		}},

		{"unmet reserve: no winner, no order", func(t *testing.T, ts *testserver.TS) func(*testing.T, *testserver.TS) {
			seller, b1 := ts.Register("farmer"), ts.Register("buyer")
			a := ts.CreateAuction(seller.Token, sellBody(d, map[string]any{"reservePrice": 20000}))
			ts.MustBid(b1.Token, a.ID, 15000)
			return func(t *testing.T, ts *testserver.TS) {
				got := ts.WaitClosed(a.ID, wait)
				if got.Result == nil || got.Result.Winner != nil || got.Result.ReserveMet || got.Result.Price != 15000 {
					t.Fatalf("closed: result %+v", got.Result)
				}
				noOrder(t, ts, a.ID, seller, b1)
				if testserver.HasID(ts.ListIDs("/api/v1/me/won", b1.Token), a.ID) {
					t.Fatal("an unmet reserve was won")
				}
			}
		}},

		{"reserve met exactly", func(t *testing.T, ts *testserver.TS) func(*testing.T, *testserver.TS) {
			seller, b1 := ts.Register("farmer"), ts.Register("buyer")
			a := ts.CreateAuction(seller.Token, sellBody(d, map[string]any{"reservePrice": 12000}))
			ts.MustBid(b1.Token, a.ID, 12000)
			return func(t *testing.T, ts *testserver.TS) {
				got := ts.WaitClosed(a.ID, wait)
				if got.Result == nil || str(got.Result.Winner) != b1.ID || !got.Result.ReserveMet {
					t.Fatalf("closed: result %+v", got.Result)
				}
				if o := orderOf(t, ts, a.ID, b1.Token); o.Price != 12000 {
					t.Fatalf("order %+v", o)
				}
			}
		}},

		{"no bids: no winner, no order", func(t *testing.T, ts *testserver.TS) func(*testing.T, *testserver.TS) {
			seller, b1 := ts.Register("farmer"), ts.Register("buyer")
			a := ts.CreateAuction(seller.Token, sellBody(d, nil))
			return func(t *testing.T, ts *testserver.TS) {
				got := ts.WaitClosed(a.ID, wait)
				if got.Result == nil || got.Result.Winner != nil || got.Result.ReserveMet || got.Result.Price != 10000 || got.Leader != nil {
					t.Fatalf("closed: result %+v", got.Result)
				}
				noOrder(t, ts, a.ID, seller, b1)
			}
		}},

		{"a proxy wins at its standing price", func(t *testing.T, ts *testserver.TS) func(*testing.T, *testserver.TS) {
			seller, b1, b2 := ts.Register("farmer"), ts.Register("buyer"), ts.Register("buyer")
			a := ts.CreateAuction(seller.Token, sellBody(d, nil))
			if r := ts.Do("PUT", "/api/v1/auctions/"+a.ID+"/proxy", b1.Token, map[string]any{"max": 15000}); r.Status != 200 {
				t.Fatalf("proxy: %d %s", r.Status, r.Body)
			}
			ts.MustBid(b2.Token, a.ID, 11000)
			return func(t *testing.T, ts *testserver.TS) {
				got := ts.WaitClosed(a.ID, wait)
				if got.Result == nil || str(got.Result.Winner) != b1.ID || got.Result.Price != 11100 {
					t.Fatalf("closed: result %+v", got.Result)
				}
				if o := orderOf(t, ts, a.ID, seller.Token); o.Buyer != b1.ID || o.Price != 11100 {
					t.Fatalf("order %+v", o)
				}
			}
		}},

		{"a late bid extends the end (soft close)", func(t *testing.T, ts *testserver.TS) func(*testing.T, *testserver.TS) {
			seller, b1, b2 := ts.Register("farmer"), ts.Register("buyer"), ts.Register("buyer")
			a := ts.CreateAuction(seller.Token, sellBody(6*time.Second, map[string]any{"extendSeconds": 5}))
			ts.MustBid(b1.Token, a.ID, 10000) // early: more than 5 s left, no extension
			type late struct {
				bid        testserver.Resp
				atOldEnd   testserver.Resp
				seenBefore time.Time // when atOldEnd's answer was in hand
				err        error
			}
			done := make(chan late, 1)
			go func() { // runs while the other setups go on
				var l late
				defer func() { done <- l }()
				time.Sleep(time.Until(a.EndsAt.Add(-3 * time.Second)))
				if l.bid, l.err = ts.Try("POST", bidsPath(a.ID), b2.Token, amount(10100)); l.err != nil {
					return
				}
				time.Sleep(time.Until(a.EndsAt.Add(300 * time.Millisecond)))
				l.atOldEnd, l.err = ts.Try("GET", "/api/v1/auctions/"+a.ID, "", nil)
				l.seenBefore = time.Now()
			}()
			return func(t *testing.T, ts *testserver.TS) {
				l := <-done
				if l.err != nil || l.bid.Status != 201 {
					t.Fatalf("late bid: %v %d %s", l.err, l.bid.Status, l.bid.Body)
				}
				var b bidAnswer
				l.bid.Decode(t, &b)
				newEnd := b.Auction.EndsAt
				if !newEnd.Equal(b.Bid.At.Add(5*time.Second)) || !newEnd.After(a.EndsAt) {
					t.Fatalf("late bid at %v: endsAt %v (was %v)", b.Bid.At, newEnd, a.EndsAt)
				}
				v := decodeView(t, l.atOldEnd)
				if l.seenBefore.Before(newEnd.Add(-100*time.Millisecond)) && v.Status != "live" {
					t.Fatalf("closed at the original end despite the extension: %+v", v)
				}
				got := ts.WaitClosed(a.ID, wait)
				if got.Result == nil || str(got.Result.Winner) != b2.ID || !got.EndsAt.Equal(newEnd) {
					t.Fatalf("closed: endsAt %v (want %v) result %+v", got.EndsAt, newEnd, got.Result)
				}
			}
		}},

		{"scheduled opens at startsAt", func(t *testing.T, ts *testserver.TS) func(*testing.T, *testserver.TS) {
			seller, b1 := ts.Register("farmer"), ts.Register("buyer")
			start := time.Now().Add(1500 * time.Millisecond)
			a := ts.CreateAuction(seller.Token, sellBody(time.Hour, map[string]any{"startsAt": start.Format(time.RFC3339Nano)}))
			if a.Status != "scheduled" {
				t.Fatalf("status %s", a.Status)
			}
			if r := ts.PlaceBid(b1.Token, a.ID, 10000); r.Status != 409 || r.ErrCode() != "not_live" {
				t.Fatalf("bid before the start: %d %s", r.Status, r.Body)
			}
			early := ts.PlaceBid(b1.Token, a.ID, 10000, "Idempotency-Key", "early")
			if early.Status != 409 || early.ErrCode() != "not_live" {
				t.Fatalf("keyed bid before the start: %d %s", early.Status, early.Body)
			}
			return func(t *testing.T, ts *testserver.TS) {
				time.Sleep(time.Until(start.Add(200 * time.Millisecond)))
				if r := ts.Do("GET", "/api/v1/auctions/"+a.ID, "", nil); decodeView(t, r).Status != "live" {
					t.Fatalf("after startsAt: %s", r.Body)
				}
				// a key refused before the start keeps its refusal once live
				again := ts.PlaceBid(b1.Token, a.ID, 10000, "Idempotency-Key", "early")
				if again.Status != early.Status || !bytes.Equal(again.Body, early.Body) {
					t.Fatalf("key refused while scheduled, sent again once live: %d %s (first %d %s)", again.Status, again.Body, early.Status, early.Body)
				}
				checkBid(1, 10000, b1.ID)(t, ts.MustBid(b1.Token, a.ID, 10000))
			}
		}},
	}

	checks := make([]func(*testing.T, *testserver.TS), len(cases))
	for i, c := range cases {
		t.Run(c.name+"/setup", func(t *testing.T) { checks[i] = c.setup(t, ts.Sub(t)) })
	}
	for i, c := range cases {
		if checks[i] == nil {
			continue // its setup failed
		}
		t.Run(c.name, func(t *testing.T) { checks[i](t, ts.Sub(t)) })
	}
}

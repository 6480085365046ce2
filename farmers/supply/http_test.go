package supply_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/internal/testserver"
)

type post struct {
	ID, Kind, Title, Region, Status, ValidUntil string
	Price                                       *int64
	Contact                                     struct{ Name, Phone string }
	Author                                      *struct{ Type, ID string }
}

func today(days int) string {
	return time.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, days).Format("2006-01-02")
}

func offer(title, region string, over map[string]any) map[string]any {
	b := map[string]any{"kind": "supply", "title": title, "commodity": "草莓", "variety": "红颜",
		"quantity": map[string]any{"value": 2000, "unit": "斤"}, "price": 1250, "region": region, "validUntil": today(30)}
	for k, v := range over {
		b[k] = v
	}
	return b
}

func TestSupplyHTTP(t *testing.T) {
	ts := testserver.Start(t, testserver.WithAdmin())
	admin := ts.Admin()
	organizer := ts.Register("buyer")
	ts.Grant(admin, organizer, "organizer")
	farmerA, farmerB := ts.Register("farmer"), ts.Register("farmer")
	readKey, _ := ts.APIKey(admin, "buyer", "supply:read")
	writeKey, orgID := ts.APIKey(admin, "buyer", "supply:read", "supply:write")

	create := func(token string, body map[string]any, headers ...string) post {
		t.Helper()
		r := ts.Do("POST", "/api/v1/supply", token, body, headers...)
		if r.Status != 201 {
			t.Fatalf("create post: %d %s", r.Status, r.Body)
		}
		var p post
		r.Decode(t, &p)
		return p
	}
	a := create(farmerA.Token, offer("丹东草莓 2000斤", "210681", nil)) // contact from the account
	b := create(farmerB.Token, offer("求购玉米 100吨", "210102", map[string]any{"kind": "demand", "commodity": "玉米", "price": nil,
		"quantity": map[string]any{"value": 100, "unit": "吨"}}))
	o := create("", offer("合作社供应大米", "211122", map[string]any{"commodity": "大米", "contact": map[string]any{"name": "张经理", "phone": "13900001111"}}),
		"X-API-Key", writeKey)
	if a.Contact.Phone != farmerA.Phone || a.Author == nil || a.Author.ID != farmerA.ID || a.Author.Type != "user" {
		t.Fatalf("user post %+v", a)
	}
	if o.Author == nil || o.Author.Type != "org" || o.Author.ID != orgID || o.Contact.Phone != "13900001111" {
		t.Fatalf("org post %+v", o)
	}
	if b.Price != nil {
		t.Errorf("面议 post has price %v", *b.Price)
	}
	// An expired post, as time would leave it (the API refuses past end dates).
	_, err := ts.S.Store.DB.Collection("supply_posts").InsertOne(context.Background(), bson.D{
		{Key: "_id", Value: "expired-1"}, {Key: "key", Value: "old-1"}, {Key: "kind", Value: "supply"}, {Key: "title", Value: "旧信息"},
		{Key: "commodity", Value: "草莓"}, {Key: "variety", Value: ""}, {Key: "quantity", Value: bson.D{{Key: "value", Value: 1.0}, {Key: "unit", Value: "斤"}}},
		{Key: "price", Value: nil}, {Key: "region", Value: "210681"}, {Key: "validUntil", Value: today(-1)},
		{Key: "contact", Value: bson.D{{Key: "name", Value: "老王"}, {Key: "phone", Value: "13700000000"}}},
		{Key: "description", Value: ""}, {Key: "status", Value: "open"}, {Key: "createdAt", Value: time.Now().AddDate(0, 0, -40)}})
	if err != nil {
		t.Fatal(err)
	}

	wantTitles := func(want ...string) func(t *testing.T, r testserver.Resp) {
		return func(t *testing.T, r testserver.Resp) {
			var page struct{ Items []post }
			r.Decode(t, &page)
			var got []string
			for _, p := range page.Items {
				got = append(got, p.Title)
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("posts %v, want %v", got, want)
			}
		}
	}
	phoneOf := func(id, want string) func(t *testing.T, r testserver.Resp) {
		return func(t *testing.T, r testserver.Resp) {
			var page struct{ Items []post }
			r.Decode(t, &page)
			for _, p := range page.Items {
				if p.ID == id && p.Contact.Phone != want {
					t.Errorf("phone %q, want %q", p.Contact.Phone, want)
				}
			}
		}
	}
	masked := farmerA.Phone[:3] + "****" + farmerA.Phone[7:]
	bTok := farmerB.Token
	ts.RunScenarios(t, []testserver.Scenario{
		{Name: "anonymous may not read", Method: "GET", Path: "/api/v1/supply", WantStatus: 401},
		{Name: "open posts by default", Method: "GET", Path: "/api/v1/supply", Token: bTok, WantStatus: 200, Check: wantTitles("丹东草莓 2000斤", "求购玉米 100吨", "合作社供应大米")},
		{Name: "expired", Method: "GET", Path: "/api/v1/supply?status=expired", Token: bTok, WantStatus: 200, Check: wantTitles("旧信息")},
		{Name: "kind", Method: "GET", Path: "/api/v1/supply?kind=demand", Token: bTok, WantStatus: 200, Check: wantTitles("求购玉米 100吨")},
		{Name: "city includes its counties", Method: "GET", Path: "/api/v1/supply?region=211100", Token: bTok, WantStatus: 200, Check: wantTitles("合作社供应大米")},
		{Name: "commodity", Method: "GET", Path: "/api/v1/supply?commodity=草莓&status=all", Token: bTok, WantStatus: 200, Check: wantTitles("丹东草莓 2000斤", "旧信息")},
		{Name: "bad kind", Method: "GET", Path: "/api/v1/supply?kind=$where", Token: bTok, WantStatus: 422, WantFields: []string{"kind"}},
		{Name: "platform users see phones", Method: "GET", Path: "/api/v1/supply", Token: bTok, WantStatus: 200, Check: phoneOf(a.ID, farmerA.Phone)},
		{Name: "keys see them masked", Method: "GET", Path: "/api/v1/supply", Headers: []string{"X-API-Key", readKey}, WantStatus: 200, Check: phoneOf(a.ID, masked)},
		{Name: "an org sees its own post's phone", Method: "GET", Path: "/api/v1/supply", Headers: []string{"X-API-Key", writeKey}, WantStatus: 200, Check: phoneOf(o.ID, "13900001111")},
		{Name: "one post", Method: "GET", Path: "/api/v1/supply/" + a.ID, Headers: []string{"X-API-Key", readKey}, WantStatus: 200},
		{Name: "unknown post", Method: "GET", Path: "/api/v1/supply/ffffffffffffffffffffffff", Token: bTok, WantStatus: 404},
		{Name: "read key may not post", Method: "POST", Path: "/api/v1/supply", Headers: []string{"X-API-Key", readKey}, Body: offer("x", "210681", nil), WantStatus: 403, WantCode: "scope_missing"},
		{Name: "org must give a contact", Method: "POST", Path: "/api/v1/supply", Headers: []string{"X-API-Key", writeKey}, Body: offer("x", "210681", nil), WantStatus: 422, WantFields: []string{"contact.name", "contact.phone"}},
		{Name: "end date in the past", Method: "POST", Path: "/api/v1/supply", Token: bTok, Body: offer("x", "210681", map[string]any{"validUntil": today(-1)}), WantStatus: 422, WantFields: []string{"validUntil"}},
		{Name: "province is not a place", Method: "POST", Path: "/api/v1/supply", Token: bTok, Body: offer("x", "210000", nil), WantStatus: 422, WantFields: []string{"region"}},
		{Name: "quantity", Method: "POST", Path: "/api/v1/supply", Token: bTok, Body: offer("x", "210681", map[string]any{"quantity": map[string]any{"value": 0, "unit": "斤"}}), WantStatus: 422, WantFields: []string{"quantity.value"}},
		{Name: "unknown field", Method: "POST", Path: "/api/v1/supply", Token: bTok, Body: offer("x", "210681", map[string]any{"$where": "1"}), WantStatus: 422},
		{Name: "not the author", Method: "PUT", Path: "/api/v1/supply/" + a.ID, Token: bTok, Body: offer("改", "210681", nil), WantStatus: 403},
		{Name: "another org's key", Method: "POST", Path: "/api/v1/supply/" + a.ID + "/close", Headers: []string{"X-API-Key", writeKey}, WantStatus: 403},
		{Name: "author edits", Method: "PUT", Path: "/api/v1/supply/" + a.ID, Token: farmerA.Token, Body: offer("丹东草莓 1500斤", "210681", nil), WantStatus: 200,
			Check: func(t *testing.T, r testserver.Resp) {
				var p post
				r.Decode(t, &p)
				if p.Title != "丹东草莓 1500斤" || p.Contact.Phone != farmerA.Phone {
					t.Errorf("edited %+v", p)
				}
			}},
		{Name: "org closes its own", Method: "POST", Path: "/api/v1/supply/" + o.ID + "/close", Headers: []string{"X-API-Key", writeKey}, WantStatus: 200},
		{Name: "staff close", Method: "POST", Path: "/api/v1/supply/" + a.ID + "/close", Token: organizer.Token, WantStatus: 200},
		{Name: "closing again changes nothing", Method: "POST", Path: "/api/v1/supply/" + a.ID + "/close", Token: farmerA.Token, WantStatus: 200},
		{Name: "a closed post stays closed", Method: "PUT", Path: "/api/v1/supply/" + a.ID, Token: farmerA.Token, Body: offer("再开", "210681", nil), WantStatus: 409, WantCode: "closed"},
		{Name: "closed ones leave the default list", Method: "GET", Path: "/api/v1/supply", Token: bTok, WantStatus: 200, Check: wantTitles("求购玉米 100吨")},
		{Name: "closed", Method: "GET", Path: "/api/v1/supply?status=closed", Token: bTok, WantStatus: 200, Check: wantTitles("丹东草莓 1500斤", "合作社供应大米")},
	})

	t.Run("csv for a key masks phones", func(t *testing.T) {
		r := ts.Do("GET", "/api/v1/supply?format=csv&status=all", "", nil, "X-API-Key", readKey)
		if r.Status != 200 {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		body := string(r.Body)
		if !bytes.HasPrefix(r.Body, []byte("\xEF\xBB\xBF信息编号,类型,标题")) || strings.Contains(body, farmerA.Phone) || !strings.Contains(body, masked) {
			t.Errorf("download:\n%s", body)
		}
		if !strings.Contains(body, ",供应,丹东草莓 1500斤,草莓,红颜,2000,斤,12.50,210681,") {
			t.Errorf("row in 元:\n%s", body)
		}
	})
}

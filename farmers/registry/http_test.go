package registry_test

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/liaoning12316/agrimaker/internal/testserver"
)

const v1 = "/api/v1"

// apiKey makes an organisation of audience with the registry scope and
// returns one of its key secrets.
func apiKey(t *testing.T, ts *testserver.TS, admin testserver.User, orgName, audience string) string {
	t.Helper()
	owner := ts.Register("buyer")
	r := ts.Do("POST", v1+"/developer/applications", owner.Token, map[string]any{
		"orgName": orgName, "audience": audience, "contactName": "刘经理", "contactPhone": testserver.NewPhone(),
		"purpose": "产地对接", "scopes": []string{"registry:read"}})
	if r.Status != http.StatusCreated {
		t.Fatalf("apply: %d %s", r.Status, r.Body)
	}
	var app struct{ ID string }
	r.Decode(t, &app)
	r = ts.Do("POST", v1+"/developer/applications/"+app.ID+"/approve", admin.Token,
		map[string]any{"scopes": []string{"registry:read"}, "quotaPerDay": 10000, "ratePerSecond": 100})
	if r.Status != http.StatusOK {
		t.Fatalf("approve: %d %s", r.Status, r.Body)
	}
	r = ts.Do("POST", v1+"/orgs/"+app.ID+"/keys", owner.Token, map[string]any{"name": "test"})
	if r.Status != http.StatusCreated {
		t.Fatalf("key: %d %s", r.Status, r.Body)
	}
	var k struct{ Secret string }
	r.Decode(t, &k)
	return k.Secret
}

type person struct {
	ID, Name, Phone, Address, Region, Source string
	Masked                                   []string
	Consent                                  *struct{ Name, Phone, Location []string }
	Verification                             struct{ Status, By string }
}

type fixture struct {
	ts                          *testserver.TS
	admin, staff, farmer, other testserver.User
	buyerKey, financeKey        string
	p1, p2, p3                  person // p1 is farmer's own entry
}

// setUp: 王大山 (the farmer, 辽中区 in 沈阳, 玉米, consents phone to buyers
// and location to platform users), 李四 (和平区 in 沈阳, 大豆, broker,
// verified) and 赵五 (葫芦岛, 玉米, expert).
func setUp(t *testing.T) *fixture {
	ts := testserver.Start(t, testserver.WithAdmin())
	f := &fixture{ts: ts, admin: ts.Admin(), staff: ts.Register("buyer"), farmer: ts.Register("farmer"), other: ts.Register("buyer")}
	ts.Grant(f.admin, f.staff, "buyer", "organizer")
	f.buyerKey = apiKey(t, ts, f.admin, "沈阳果蔬批发", "buyer")
	f.financeKey = apiKey(t, ts, f.admin, "农村信用社", "finance")

	r := ts.Do("PUT", v1+"/me/profile", f.farmer.Token, map[string]any{"name": "王大山", "roles": []string{"farmer", "cooperative"},
		"region": "210115", "address": "老大房村", "crops": []map[string]any{{"crop": "玉米", "areaMu": 30}}})
	must(t, r, 200).Decode(t, &f.p1)
	must(t, ts.Do("PUT", v1+"/me/consent", f.farmer.Token, map[string]any{"phone": []string{"buyer"}, "location": []string{"platform"}}), 200)
	f.p2 = f.create(t, map[string]any{"name": "李四", "phone": testserver.NewPhone(), "roles": []string{"broker"}, "region": "210102",
		"crops": []map[string]any{{"crop": "大豆", "areaMu": 12.5}}})
	f.p3 = f.create(t, map[string]any{"name": "赵五", "phone": testserver.NewPhone(), "roles": []string{"expert"}, "region": "211402",
		"crops": []map[string]any{{"crop": "玉米", "areaMu": 8}}, "livestock": []map[string]any{{"kind": "牛", "head": 3}}})
	must(t, ts.Do("POST", v1+"/registry/people/"+f.p2.ID+"/verification", f.staff.Token, map[string]any{"status": "verified", "note": "电话核实"}), 200)
	return f
}

func (f *fixture) create(t *testing.T, body map[string]any) person {
	t.Helper()
	var p person
	must(t, f.ts.Do("POST", v1+"/registry/people", f.staff.Token, body), 201).Decode(t, &p)
	return p
}

func must(t *testing.T, r testserver.Resp, status int) testserver.Resp {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	return r
}

// TestConsentMaskingHTTP: the masking matrix through HTTP, and the access
// log it leaves: the person sees exactly the organisations that looked.
func TestConsentMaskingHTTP(t *testing.T) {
	f := setUp(t)
	ts := f.ts
	get := func(headers []string, token string) person {
		var p person
		must(t, ts.Do("GET", v1+"/registry/people/"+f.p1.ID, token, nil, headers...), 200).Decode(t, &p)
		return p
	}
	full, maskedPhone := f.farmer.Phone, f.farmer.Phone[:3]+"****"+f.farmer.Phone[7:]
	for _, tc := range []struct {
		who                  string
		headers              []string
		token                string
		name, phone, address string
		masked               []string
		seesConsent          bool
	}{
		{"buyer key (phone consented)", []string{"X-API-Key", f.buyerKey}, "", "王**", full, "", []string{"name", "location"}, false},
		{"finance key (nothing consented)", []string{"X-API-Key", f.financeKey}, "", "王**", maskedPhone, "", []string{"name", "phone", "location"}, false},
		{"platform user (location consented)", nil, f.other.Token, "王**", maskedPhone, "老大房村", []string{"name", "phone"}, false},
		{"staff", nil, f.staff.Token, "王大山", full, "老大房村", []string{}, true},
		{"the person", nil, f.farmer.Token, "王大山", full, "老大房村", []string{}, true},
	} {
		p := get(tc.headers, tc.token)
		if p.Name != tc.name || p.Phone != tc.phone || p.Address != tc.address || !slices.Equal(p.Masked, tc.masked) {
			t.Errorf("%s sees name %q phone %q address %q masked %v", tc.who, p.Name, p.Phone, p.Address, p.Masked)
		}
		if (p.Consent != nil) != tc.seesConsent || (p.Verification.By != "") {
			t.Errorf("%s sees consent %v, verifier %q", tc.who, p.Consent, p.Verification.By)
		}
	}
	must(t, ts.Do("GET", v1+"/registry/people/"+f.p1.ID, "", nil), 401)

	var log struct {
		Items []struct {
			OrgName, Audience, Route string
			Disclosed, Masked        []string
		}
		Next string
	}
	must(t, ts.Do("GET", v1+"/me/access-log", f.farmer.Token, nil), 200).Decode(t, &log)
	if len(log.Items) != 2 {
		t.Fatalf("access log has %d entries, want the 2 key reads: %+v", len(log.Items), log.Items)
	}
	newest, oldest := log.Items[0], log.Items[1]
	if newest.OrgName != "农村信用社" || newest.Audience != "finance" || len(newest.Disclosed) != 0 ||
		oldest.OrgName != "沈阳果蔬批发" || !slices.Equal(oldest.Disclosed, []string{"phone"}) || !slices.Equal(oldest.Masked, []string{"name", "location"}) {
		t.Errorf("access log %+v", log.Items)
	}
	// A list read by a key logs every person it returned, each in their own log.
	must(t, ts.Do("GET", v1+"/registry/people?region=210100", "", nil, "X-API-Key", f.financeKey), 200)
	must(t, ts.Do("GET", v1+"/me/access-log?limit=2", f.farmer.Token, nil), 200).Decode(t, &log)
	if len(log.Items) != 2 || log.Items[0].Route != "GET /api/v1/registry/people" || log.Next == "" {
		t.Errorf("after a list: %+v next %q", log.Items, log.Next)
	}
	must(t, ts.Do("GET", v1+"/me/access-log?cursor="+log.Next, f.farmer.Token, nil), 200).Decode(t, &log)
	if len(log.Items) != 1 || log.Items[0].OrgName != "沈阳果蔬批发" {
		t.Errorf("second page: %+v", log.Items)
	}
	// Staff and platform reads are not third-party disclosures: nothing new.
	must(t, ts.Do("GET", v1+"/registry/people", f.staff.Token, nil), 200)
	must(t, ts.Do("GET", v1+"/me/access-log?limit=500", f.farmer.Token, nil), 200).Decode(t, &log)
	if len(log.Items) != 3 {
		t.Errorf("after staff read: %d entries, want 3", len(log.Items))
	}
}

// TestFiltersPagingDownload: filters, pagination without duplicates, and a
// CSV download masked like the JSON.
func TestFiltersPagingDownload(t *testing.T) {
	f := setUp(t)
	ts := f.ts
	ids := func(q string) []string {
		t.Helper()
		got := ts.ListIDs(v1+"/registry/people?"+q, f.staff.Token)
		slices.Sort(got)
		return got
	}
	sorted := func(s ...string) []string { slices.Sort(s); return s }
	for q, want := range map[string][]string{
		"region=210100":         sorted(f.p1.ID, f.p2.ID), // 沈阳 includes 辽中区 and 和平区
		"region=210000":         sorted(f.p1.ID, f.p2.ID, f.p3.ID),
		"region=211402":         {f.p3.ID},
		"crop=玉米":               sorted(f.p1.ID, f.p3.ID),
		"role=broker":           {f.p2.ID},
		"role=farmer":           {f.p1.ID},
		"verified=true":         {f.p2.ID},
		"verified=false":        sorted(f.p1.ID, f.p3.ID),
		"q=李":                   {f.p2.ID},
		"crop=玉米&region=210100": {f.p1.ID},
	} {
		if got := ids(q); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", q, got, want)
		}
	}
	// q by a key only matches names shown to its audience: nobody here.
	var page struct{ Items []person }
	must(t, ts.Do("GET", v1+"/registry/people?q=李", "", nil, "X-API-Key", f.buyerKey), 200).Decode(t, &page)
	if len(page.Items) != 0 {
		t.Errorf("name search by key found masked names: %+v", page.Items)
	}

	var seen []string
	cursor := ""
	for range 5 {
		var p struct {
			Items []person
			Next  string
		}
		must(t, ts.Do("GET", v1+"/registry/people?limit=1&cursor="+cursor, "", nil, "X-API-Key", f.buyerKey), 200).Decode(t, &p)
		for _, it := range p.Items {
			seen = append(seen, it.ID)
		}
		if cursor = p.Next; cursor == "" {
			break
		}
	}
	slices.Sort(seen)
	if !slices.Equal(seen, sorted(f.p1.ID, f.p2.ID, f.p3.ID)) {
		t.Errorf("pages gave %v", seen)
	}

	r := must(t, ts.Do("GET", v1+"/registry/people?format=csv", "", nil, "X-API-Key", f.buyerKey), 200)
	body := string(r.Body)
	if !bytes.HasPrefix(r.Body, []byte("\ufeff")) || !strings.Contains(body, "姓名") || !strings.Contains(r.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("not a CSV with BOM and Chinese headers: %q", body)
	}
	if !strings.Contains(body, f.farmer.Phone) || strings.Contains(body, "王大山") || strings.Contains(body, "老大房村") ||
		strings.Contains(body, f.p2.Phone) || !strings.Contains(body, f.p2.Phone[:3]+"****") || !strings.Contains(body, "李**") {
		t.Errorf("CSV not masked for a buyer: %s", body)
	}
	// The download was logged too: 王大山 sees the buyer org again.
	var log struct {
		Items []struct{ OrgName, Route string }
	}
	must(t, ts.Do("GET", v1+"/me/access-log?limit=1", f.farmer.Token, nil), 200).Decode(t, &log)
	if len(log.Items) != 1 || log.Items[0].OrgName != "沈阳果蔬批发" {
		t.Errorf("download not logged: %+v", log.Items)
	}
}

// TestRegistryErrors: bad input, auth and unknown ids.
func TestRegistryErrors(t *testing.T) {
	f := setUp(t)
	good := map[string]any{"name": "钱六", "phone": testserver.NewPhone(), "roles": []string{"maker"}, "region": "210102"}
	f.ts.RunScenarios(t, []testserver.Scenario{
		{Name: "list without credentials", Method: "GET", Path: v1 + "/registry/people", WantStatus: 401},
		{Name: "bad region filter", Method: "GET", Path: v1 + "/registry/people?region=110101", Token: f.staff.Token, WantStatus: 422, WantFields: []string{"region"}},
		{Name: "bad role and verified", Method: "GET", Path: v1 + "/registry/people?role=mayor&verified=yes", Token: f.staff.Token, WantStatus: 422, WantFields: []string{"role", "verified"}},
		{Name: "bad format", Method: "GET", Path: v1 + "/registry/people?format=xml", Token: f.staff.Token, WantStatus: 422, WantFields: []string{"format"}},
		{Name: "create by a farmer", Method: "POST", Path: v1 + "/registry/people", Token: f.farmer.Token, Body: good, WantStatus: 403},
		{Name: "create by a key-less anonymous", Method: "POST", Path: v1 + "/registry/people", Body: good, WantStatus: 401},
		{Name: "create with bad fields", Method: "POST", Path: v1 + "/registry/people", Token: f.staff.Token,
			Body: map[string]any{"name": "", "phone": "123", "roles": []string{}, "region": "210100"}, WantStatus: 422, WantFields: []string{"name", "phone", "roles", "region"}},
		{Name: "create with unknown role and negative area", Method: "POST", Path: v1 + "/registry/people", Token: f.staff.Token,
			Body:       map[string]any{"name": "甲", "phone": testserver.NewPhone(), "roles": []string{"mayor"}, "region": "210102", "crops": []map[string]any{{"crop": "玉米", "areaMu": -1}}},
			WantStatus: 422, WantFields: []string{"crops[0].areaMu"}},
		{Name: "create with unknown role", Method: "POST", Path: v1 + "/registry/people", Token: f.staff.Token,
			Body: map[string]any{"name": "甲", "phone": testserver.NewPhone(), "roles": []string{"mayor"}, "region": "210102"}, WantStatus: 422, WantFields: []string{"roles"}},
		{Name: "create with a taken phone", Method: "POST", Path: v1 + "/registry/people", Token: f.staff.Token,
			Body: map[string]any{"name": "甲", "phone": f.farmer.Phone, "roles": []string{"farmer"}, "region": "210102"}, WantStatus: 409, WantCode: "phone_taken"},
		{Name: "create", Method: "POST", Path: v1 + "/registry/people", Token: f.staff.Token, Body: good, WantStatus: 201},
		{Name: "get unknown", Method: "GET", Path: v1 + "/registry/people/nope", Token: f.staff.Token, WantStatus: 404},
		{Name: "update unknown", Method: "PUT", Path: v1 + "/registry/people/nope", Token: f.staff.Token, Body: good, WantStatus: 404},
		{Name: "verify unknown", Method: "POST", Path: v1 + "/registry/people/nope/verification", Token: f.staff.Token, Body: map[string]any{"status": "verified"}, WantStatus: 404},
		{Name: "verify with bad status", Method: "POST", Path: v1 + "/registry/people/" + f.p3.ID + "/verification", Token: f.staff.Token, Body: map[string]any{"status": "ok"}, WantStatus: 422, WantFields: []string{"status"}},
		{Name: "verify by a farmer", Method: "POST", Path: v1 + "/registry/people/" + f.p3.ID + "/verification", Token: f.farmer.Token, Body: map[string]any{"status": "verified"}, WantStatus: 403},
		{Name: "consent to an unknown audience", Method: "PUT", Path: v1 + "/me/consent", Token: f.farmer.Token, Body: map[string]any{"phone": []string{"aliens"}}, WantStatus: 422, WantFields: []string{"phone"}},
		{Name: "consent without an entry", Method: "PUT", Path: v1 + "/me/consent", Token: f.other.Token, Body: map[string]any{"phone": []string{"buyer"}}, WantStatus: 404},
		{Name: "profile without an entry", Method: "GET", Path: v1 + "/me/profile", Token: f.other.Token, WantStatus: 404},
		{Name: "profile with another phone", Method: "PUT", Path: v1 + "/me/profile", Token: f.farmer.Token,
			Body: map[string]any{"name": "王大山", "phone": testserver.NewPhone(), "roles": []string{"farmer"}, "region": "210115"}, WantStatus: 422, WantFields: []string{"phone"}},
		{Name: "access log without a token", Method: "GET", Path: v1 + "/me/access-log", WantStatus: 401},
		{Name: "access log without an entry is empty", Method: "GET", Path: v1 + "/me/access-log", Token: f.other.Token, WantStatus: 200},
		{Name: "edit keeps consent and verification", Method: "PUT", Path: v1 + "/registry/people/" + f.p1.ID, Token: f.staff.Token,
			Body: map[string]any{"name": "王大山", "phone": f.farmer.Phone, "roles": []string{"farmer"}, "region": "210115"}, WantStatus: 200,
			Check: func(t *testing.T, r testserver.Resp) {
				var p person
				r.Decode(t, &p)
				if p.Consent == nil || !slices.Equal(p.Consent.Phone, []string{"buyer"}) || p.Address != "" || p.Source != "self" {
					t.Errorf("after staff edit: %s", r.Body)
				}
			}},
	})
}

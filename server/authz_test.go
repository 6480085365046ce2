package server_test

// The authorization matrix: every route the app registers under /api/v1 is
// called by every kind of caller, and the status must match what the
// route's rule says. The route list comes from the running app, so a new
// route cannot be forgotten: it is either described by the OpenAPI
// document (whose `security` gives public / signed-in / key-or-session),
// or listed in authzExtra below, or the test fails naming it.
//
// This is package server_test, not server: internal/testserver imports
// server, so an in-package test could not start a real server.

import (
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/liaoning12316/agrimaker/internal/testserver"
	"github.com/liaoning12316/agrimaker/server"
)

// ruleKind is who may call a route.
type ruleKind int

const (
	public    ruleKind = iota // anyone, signed in or not
	signedIn                  // any valid session token
	roles                     // a session token whose user holds one of rule.roles
	keyOrUser                 // an API key with the route's scope, or any session (access.Require)
)

type rule struct {
	kind  ruleKind
	roles []string
	// keyNeedsNoScope: keyOrUser routes that take any valid key (Require("")).
	keyNeedsNoScope bool
}

var (
	admin       = []string{"admin"}
	staff       = []string{"admin", "organizer"} // registry, prices, knowledge writes
	organisers  = []string{"organizer", "admin"} // contest organisation
	judgesOnly  = []string{"judge"}              // scoring: an admin is not a judge
	rolesNeeded = map[string][]string{
		// Accounts and open access.
		"PUT /api/v1/users/{id}/roles":                     admin,
		"POST /api/v1/developer/applications/{id}/approve": admin,
		"POST /api/v1/developer/applications/{id}/reject":  admin,
		"PUT /api/v1/orgs/{id}":                            admin,
		// 12316 data.
		"POST /api/v1/datasets/{name}/imports":                  admin,
		"GET /api/v1/imports":                                   admin,
		"GET /api/v1/imports/{id}":                              admin,
		"GET /api/v1/imports/{id}/rows":                         admin,
		"POST /api/v1/registry/people":                          staff,
		"PUT /api/v1/registry/people/{id}":                      staff,
		"POST /api/v1/registry/people/{id}/verification":        staff,
		"POST /api/v1/registry/organisations":                   staff,
		"PUT /api/v1/registry/organisations/{id}":               staff,
		"POST /api/v1/registry/organisations/{id}/verification": staff,
		"POST /api/v1/prices":                                   staff,
		"POST /api/v1/knowledge":                                staff,
		// Contest organisation.
		"POST /api/v1/contest/editions":                                              organisers,
		"PUT /api/v1/contest/editions/{id}":                                          organisers,
		"POST /api/v1/contest/editions/{id}/rounds":                                  organisers,
		"GET /api/v1/contest/editions/{id}/entries":                                  organisers,
		"GET /api/v1/contest/editions/{id}/judges":                                   organisers,
		"PUT /api/v1/contest/editions/{id}/judges/{userId}":                          organisers,
		"POST /api/v1/contest/editions/{id}/publish":                                 organisers,
		"GET /api/v1/contest/editions/{id}/audit":                                    organisers,
		"GET /api/v1/contest/editions/{id}/export/{table}":                           organisers,
		"POST /api/v1/contest/entries/{id}/review":                                   organisers,
		"POST /api/v1/contest/entries/{id}/veto":                                     organisers,
		"PUT /api/v1/contest/rounds/{id}":                                            organisers,
		"GET /api/v1/contest/rounds/{id}/assignment":                                 organisers,
		"POST /api/v1/contest/rounds/{id}/assignment":                                organisers,
		"POST /api/v1/contest/rounds/{id}/assignment/locks":                          organisers,
		"POST /api/v1/contest/rounds/{id}/entries/{entryId}/sheets/{judgeId}/reopen": organisers,
		"GET /api/v1/contest/rounds/{id}/results":                                    organisers,
		"POST /api/v1/contest/rounds/{id}/advance":                                   organisers,
		"POST /api/v1/contest/rounds/{id}/awards":                                    organisers,
		// Contest judging.
		"GET /api/v1/contest/rounds/{id}/my-assignments":                  judgesOnly,
		"POST /api/v1/contest/editions/{id}/conflicts":                    judgesOnly,
		"GET /api/v1/contest/rounds/{id}/entries/{entryId}/sheet":         judgesOnly,
		"PUT /api/v1/contest/rounds/{id}/entries/{entryId}/sheet":         judgesOnly,
		"POST /api/v1/contest/rounds/{id}/entries/{entryId}/sheet/submit": judgesOnly,
		"GET /api/v1/contest/rounds/{id}/pairs/next":                      judgesOnly,
		"POST /api/v1/contest/rounds/{id}/votes":                          judgesOnly,
		"POST /api/v1/contest/rounds/{id}/votes/undo":                     judgesOnly,
	}
	// authzExtra gives the whole rule of routes the OpenAPI document does
	// not describe (yet), and overrides what `security` alone cannot say.
	authzExtra = map[string]rule{
		"GET /api/v1/users":                        {kind: roles, roles: admin},
		"GET /api/v1/developer/whoami":             {kind: keyOrUser, keyNeedsNoScope: true},
		"GET /api/v1/developer/scopecheck/{scope}": {kind: keyOrUser}, // filled with a real scope the key lacks
	}
	// consumesToken: calling these ends the caller's session, so each
	// caller gets a fresh login for them.
	consumesToken = map[string]bool{"POST /api/v1/auth/logout": true}
)

// unknownID fills every path parameter: well-formed, and no such object.
const unknownID = "000000000000000000000000"

// paramValue is what a path parameter is filled with. Most are ids; a few
// are checked before authorization and must be valid for the rule to show.
func paramValue(name string) string {
	switch name {
	case "scope":
		return "prices:read" // an unknown scope is a 404 before the key is looked at
	case "table":
		return "entries"
	case "name":
		return "nosuchdataset"
	}
	return unknownID
}

// caller is one identity the matrix calls as.
type caller struct {
	name     string
	roles    []string
	token    string // session, or ""
	apiKey   string // X-API-Key, or ""
	phone    string
	password string
}

// want is 401, 403, or 0 for "allowed": anything but 401, 403 and 5xx.
func (r rule) want(c caller) int {
	switch r.kind {
	case public:
		return 0
	case signedIn:
		if c.token == "" {
			return 401
		}
		return 0
	case roles:
		if c.token == "" {
			return 401
		}
		for _, need := range r.roles {
			if slices.Contains(c.roles, need) {
				return 0
			}
		}
		return 403
	case keyOrUser:
		switch {
		case c.token != "":
			return 0
		case c.apiKey == "":
			return 401
		case r.keyNeedsNoScope:
			return 0
		}
		return 403 // the test's key holds no scope
	}
	panic("unknown rule")
}

func (r rule) String() string {
	switch r.kind {
	case public:
		return "public"
	case signedIn:
		return "signed in"
	case roles:
		return "roles " + strings.Join(r.roles, "|")
	}
	if r.keyNeedsNoScope {
		return "any key or session"
	}
	return "scoped key or session"
}

// docRules reads each operation's rule from the served OpenAPI document.
func docRules(t *testing.T) map[string]rule {
	t.Helper()
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(server.OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]rule{}
	for p, item := range doc.Paths {
		for m, raw := range item {
			var op struct {
				Security *[]map[string][]string `json:"security"`
			}
			if json.Unmarshal(raw, &op) != nil {
				continue // "parameters" and other non-operation members
			}
			key := strings.ToUpper(m) + " " + p
			out[key] = securityRule(op.Security)
			if need, ok := rolesNeeded[key]; ok {
				out[key] = rule{kind: roles, roles: need}
			}
		}
	}
	return out
}

// securityRule: no requirement, or an empty alternative ({}), is public;
// an apiKey alternative means access.Require; else a session is needed.
// The document has no top-level security, so an absent one is public.
func securityRule(sec *[]map[string][]string) rule {
	if sec == nil || len(*sec) == 0 {
		return rule{kind: public}
	}
	r := rule{kind: signedIn}
	for _, alt := range *sec {
		if len(alt) == 0 {
			return rule{kind: public}
		}
		if _, ok := alt["apiKey"]; ok {
			r.kind = keyOrUser
		}
	}
	return r
}

var fiberParamRE = regexp.MustCompile(`:([A-Za-z0-9_]+)\??`)

// apiRoutes lists "METHOD /api/v1/path/{param}" for every registered route.
func apiRoutes(ts *testserver.TS) []string {
	seen := map[string]bool{}
	for _, r := range ts.S.App.GetRoutes(true) {
		if !strings.HasPrefix(r.Path, "/api/v1/") || r.Method == "HEAD" || r.Method == "OPTIONS" || r.Method == "CONNECT" || r.Method == "TRACE" {
			continue // HEAD is GET's twin; OPTIONS is CORS
		}
		seen[r.Method+" "+fiberParamRE.ReplaceAllString(r.Path, "{$1}")] = true
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

var docParamRE = regexp.MustCompile(`\{([A-Za-z0-9_]+)\}`)

func fillPath(p string) string {
	p = docParamRE.ReplaceAllStringFunc(p, func(m string) string { return paramValue(m[1 : len(m)-1]) })
	return strings.ReplaceAll(p, "*", "x")
}

// call sends one request as c with a minimal body and returns status and body.
func call(t *testing.T, ts *testserver.TS, method, path string, c caller) (int, string) {
	t.Helper()
	var body io.Reader
	if method == "POST" || method == "PUT" || method == "PATCH" {
		body = strings.NewReader("{}")
	}
	req, err := http.NewRequest(method, ts.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.apiKey != "" {
		req.Header.Set("X-API-Key", c.apiKey)
	}
	// Raw client on purpose: ts.Do also checks each answer against the
	// OpenAPI document, and the matrix calls routes in ways the document
	// need not describe (an unknown id on a route that never 404s, say).
	res, err := ts.Client.Do(req)
	if err != nil {
		t.Fatalf("%s %s as %s: %v", method, path, c.name, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(res.Body, 512))
	return res.StatusCode, string(b)
}

// authzCallers registers one caller of each kind.
func authzCallers(t *testing.T, ts *testserver.TS) []caller {
	const pw = "secret-123" // testserver.Register's password
	adm := ts.Admin()
	mk := func(name, registerAs string, grant ...string) caller {
		u := ts.Register(registerAs)
		if len(grant) > 0 {
			ts.Grant(adm, u, grant...)
		} else {
			grant = []string{registerAs}
		}
		return caller{name: name, roles: grant, token: u.Token, phone: u.Phone, password: pw}
	}
	// An application needs a scope; the administrator then takes it away,
	// which leaves a valid key of an organisation with no scope at all.
	key, org := ts.APIKey(adm, "enterprise", "knowledge:read")
	mustStatus(t, "take the key's scopes away", ts.Do("PUT", "/api/v1/orgs/"+org, adm.Token, map[string]any{"scopes": []string{}}), 200, nil)
	return []caller{
		{name: "anonymous"},
		mk("farmer", "farmer"),
		mk("buyer", "buyer"),
		mk("organizer", "buyer", "organizer"),
		mk("judge", "buyer", "judge"),
		{name: "admin", roles: []string{"admin"}, token: adm.Token, phone: adm.Phone, password: testserver.AdminPassword},
		{name: "api key without scopes", apiKey: key},
	}
}

func TestAuthzMatrix(t *testing.T) {
	ts := testserver.Start(t, testserver.WithAdmin())
	callers := authzCallers(t, ts)
	rules := docRules(t)
	for k, r := range authzExtra {
		rules[k] = r
	}
	routes := apiRoutes(ts)
	if len(routes) < 50 {
		t.Fatalf("only %d routes under /api/v1: is the app wired?", len(routes))
	}
	for _, route := range routes {
		r, ok := rules[route]
		if !ok {
			t.Errorf("add route %s to the authz table (authzExtra in server/authz_test.go), or document it in openapi.json", route)
			continue
		}
		method, path, _ := strings.Cut(route, " ")
		path = fillPath(path)
		for _, c := range callers {
			if consumesToken[route] && c.token != "" {
				c.token = ts.Sub(t).LoginAs(c.phone, c.password).Token
			}
			status, body := call(t, ts, method, path, c)
			want := r.want(c)
			switch {
			case status >= 500:
				t.Errorf("%s as %s: %d (never 5xx) %s", route, c.name, status, body)
			case want != 0 && status != want:
				t.Errorf("%s (%s) as %s: %d, want %d %s", route, r, c.name, status, want, body)
			case want == 0 && (status == 401 || status == 403):
				t.Errorf("%s (%s) as %s: %d, want it allowed %s", route, r, c.name, status, body)
			}
		}
	}
	// A table entry for a route that no longer exists is a stale rule that
	// would silently cover a renamed route's absence.
	for _, table := range []map[string]bool{keysOf(rolesNeeded), keysOf(authzExtra)} {
		for k := range table {
			if !slices.Contains(routes, k) {
				t.Errorf("the authz table names %s, which the app does not register", k)
			}
		}
	}
	t.Logf("%d routes × %d callers", len(routes), len(callers))
}

func keysOf[V any](m map[string]V) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

// failUnless checks one owner/not-owner answer.
func failUnless(t *testing.T, what string, r testserver.Resp, want ...int) {
	t.Helper()
	if !slices.Contains(want, r.Status) {
		t.Errorf("%s: %d, want one of %v: %s", what, r.Status, want, r.Body)
	}
}

func mustStatus(t *testing.T, what string, r testserver.Resp, want int, out any) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: %d, want %d: %s", what, r.Status, want, r.Body)
	}
	if out != nil {
		r.Decode(t, out)
	}
}

// TestAuthzOwners: objects that belong to someone, created as one user and
// touched as another. The API answers 403 for these (contract: "wrong role
// or not yours → 403"); where it answers 404 instead, existence is hidden
// on purpose, and the case says so.
func TestAuthzOwners(t *testing.T) {
	ts := testserver.Start(t, testserver.WithAdmin())
	adm := ts.Admin()
	farmerA, farmerB, buyer, stranger := ts.Register("farmer"), ts.Register("farmer"), ts.Register("buyer"), ts.Register("buyer")

	// An auction that closes with a sale, for the order check at the end.
	sold := ts.CreateAuction(farmerA.Token, testserver.SellAuction(6*time.Second, nil))
	ts.MustBid(buyer.Token, sold.ID, 10000)

	t.Run("auction", func(t *testing.T) {
		ts := ts.Sub(t)
		a := ts.CreateAuction(farmerA.Token, testserver.SellAuction(time.Hour, nil))
		for _, u := range []testserver.User{farmerB, buyer} {
			failUnless(t, "cancel another's auction", ts.Do("POST", "/api/v1/auctions/"+a.ID+"/cancel", u.Token, nil), 403)
			r := ts.Do("POST", "/api/v1/auctions/"+a.ID+"/photos", u.Token, []byte(tinyPNG), "Content-Type", "image/png")
			failUnless(t, "add a photo to another's auction", r, 403)
		}
		// The owner's view has owner-only fields; another's has not.
		var owner, other map[string]any
		mustStatus(t, "owner view", ts.Do("GET", "/api/v1/auctions/"+a.ID, farmerA.Token, nil), 200, &owner)
		mustStatus(t, "other view", ts.Do("GET", "/api/v1/auctions/"+a.ID, farmerB.Token, nil), 200, &other)
		if _, ok := other["reservePrice"]; ok && owner["reservePrice"] == nil {
			t.Errorf("a stranger sees more than the owner: %v", other)
		}
		if _, ok := other["watchers"]; ok {
			t.Errorf("a stranger sees the watcher count: %v", other)
		}
		mustStatus(t, "owner cancels", ts.Do("POST", "/api/v1/auctions/"+a.ID+"/cancel", farmerA.Token, nil), 200, nil)
	})

	t.Run("supply post", func(t *testing.T) {
		ts := ts.Sub(t)
		var p struct{ ID string }
		mustStatus(t, "post", ts.Do("POST", "/api/v1/supply", farmerA.Token, supplyOffer()), 201, &p)
		edit := supplyOffer()
		edit["title"] = "改过的标题"
		failUnless(t, "edit another's post", ts.Do("PUT", "/api/v1/supply/"+p.ID, farmerB.Token, edit), 403)
		failUnless(t, "close another's post", ts.Do("POST", "/api/v1/supply/"+p.ID+"/close", farmerB.Token, nil), 403)
		mustStatus(t, "author closes", ts.Do("POST", "/api/v1/supply/"+p.ID+"/close", farmerA.Token, nil), 200, nil)
	})

	t.Run("organisation keys", func(t *testing.T) {
		ts := ts.Sub(t)
		var app struct{ ID string }
		mustStatus(t, "apply", ts.Do("POST", "/api/v1/developer/applications", farmerA.Token, map[string]any{
			"orgName": "丹东草莓合作社", "audience": "buyer", "contactName": "王", "contactPhone": farmerA.Phone,
			"purpose": "tests", "scopes": []string{"supply:read"}}), 201, &app)
		var ok struct{ Organisation struct{ ID string } }
		mustStatus(t, "approve", ts.Do("POST", "/api/v1/developer/applications/"+app.ID+"/approve", adm.Token,
			map[string]any{"scopes": []string{"supply:read"}, "quotaPerDay": 1000, "ratePerSecond": 10}), 200, &ok)
		org := "/api/v1/orgs/" + ok.Organisation.ID
		var made struct{ Key struct{ ID string } }
		mustStatus(t, "member makes a key", ts.Do("POST", org+"/keys", farmerA.Token, map[string]any{"name": "k"}), 201, &made)
		key := org + "/keys/" + made.Key.ID
		for _, c := range []struct{ method, path string }{
			{"GET", org}, {"GET", org + "/keys"}, {"POST", org + "/keys"}, {"GET", org + "/usage"},
			{"POST", key + "/rotate"}, {"DELETE", key},
		} {
			var body any
			if c.path == org+"/keys" && c.method == "POST" {
				body = map[string]any{"name": "theirs"}
			}
			failUnless(t, c.method+" "+c.path+" as a non-member", ts.Do(c.method, c.path, stranger.Token, body), 403)
		}
		mustStatus(t, "admin reads any organisation", ts.Do("GET", org, adm.Token, nil), 200, nil)
		// Someone else's application is not theirs to see: the list is the caller's own.
		var apps struct{ Items []struct{ ID string } }
		mustStatus(t, "a stranger's applications", ts.Do("GET", "/api/v1/developer/applications", stranger.Token, nil), 200, &apps)
		for _, a := range apps.Items {
			if a.ID == app.ID {
				t.Errorf("a stranger lists farmer A's application")
			}
		}
	})

	t.Run("registry me", func(t *testing.T) {
		ts := ts.Sub(t)
		var p struct{ ID string }
		mustStatus(t, "write my entry", ts.Do("PUT", "/api/v1/me/profile", farmerA.Token, map[string]any{
			"name": "王大山", "roles": []string{"farmer"}, "region": "210115"}), 200, &p)
		// /me routes are keyed by the caller's own phone: there is no id to
		// swap, so another user simply has no entry (404), never A's.
		failUnless(t, "another user's /me/profile", ts.Do("GET", "/api/v1/me/profile", farmerB.Token, nil), 404)
		failUnless(t, "another user's /me/consent", ts.Do("GET", "/api/v1/me/consent", farmerB.Token, nil), 404)
		failUnless(t, "edit A's entry through the staff route", ts.Do("PUT", "/api/v1/registry/people/"+p.ID, farmerB.Token,
			map[string]any{"name": "冒名", "roles": []string{"farmer"}, "region": "210115"}), 403)
	})

	t.Run("contest entry", func(t *testing.T) {
		ts := ts.Sub(t)
		organizer := ts.Register("buyer")
		ts.Grant(adm, organizer, "organizer")
		var ed struct{ ID string }
		mustStatus(t, "edition", ts.Do("POST", "/api/v1/contest/editions", organizer.Token, map[string]any{
			"year": 2031, "name": "2031年全省农业创客大赛", "tracks": []string{"种植"},
			"eligibility":  map[string]any{"minMembers": 1, "maxMembers": 5, "maxAge": 45},
			"registration": map[string]any{"opens": testserver.FromNow(-time.Hour), "closes": testserver.FromNow(time.Hour)},
		}), 201, &ed)
		entry := map[string]any{"edition": ed.ID, "title": "智慧大棚", "summary": "物联网温室控制", "track": "种植",
			"stage": "startup", "region": "210102", "members": []any{map[string]any{
				"name": "队长", "phone": farmerA.Phone, "org": "沈阳农业大学", "role": "leader", "region": "210102", "birthDate": "1995-03-01"}}}
		var e struct{ ID string }
		mustStatus(t, "entry", ts.Do("POST", "/api/v1/contest/entries", farmerA.Token, entry), 201, &e)
		p := "/api/v1/contest/entries/" + e.ID
		edit := maps.Clone(entry)
		delete(edit, "edition") // fixed once registered
		for _, c := range []struct {
			method, path string
			body         any
		}{
			{"GET", p, nil}, {"PUT", p, edit}, {"POST", p + "/submit", nil}, {"POST", p + "/withdraw", nil},
			{"GET", p + "/result", nil},
		} {
			failUnless(t, c.method+" "+c.path+" as another user", ts.Do(c.method, c.path, farmerB.Token, c.body), 403)
		}
		r := ts.Do("POST", p+"/attachments?name=plan.pdf", farmerB.Token, []byte("%PDF-1.4\n"), "Content-Type", "application/pdf")
		failUnless(t, "attach to another's entry", r, 403)
		mustStatus(t, "the leader reads it", ts.Do("GET", p, farmerA.Token, nil), 200, nil)
	})

	t.Run("order", func(t *testing.T) {
		ts := ts.Sub(t)
		ts.WaitClosed(sold.ID, 30*time.Second)
		mustStatus(t, "seller", ts.Do("GET", "/api/v1/orders/"+sold.ID, farmerA.Token, nil), 200, nil)
		mustStatus(t, "buyer", ts.Do("GET", "/api/v1/orders/"+sold.ID, buyer.Token, nil), 200, nil)
		failUnless(t, "a third party reads the order", ts.Do("GET", "/api/v1/orders/"+sold.ID, stranger.Token, nil), 403)
		failUnless(t, "an admin is no party either", ts.Do("GET", "/api/v1/orders/"+sold.ID, adm.Token, nil), 403)
	})
}

func supplyOffer() map[string]any {
	return map[string]any{"kind": "supply", "title": "丹东草莓 2000斤", "commodity": "草莓", "variety": "红颜",
		"quantity": map[string]any{"value": 2000, "unit": "斤"}, "price": 1250, "region": "210681",
		"validUntil": time.Now().AddDate(0, 0, 30).Format("2006-01-02")}
}

// tinyPNG is a valid 1×1 PNG.
const tinyPNG = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
	"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"

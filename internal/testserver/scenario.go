package testserver

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/liaoning12316/agrimaker/server"
)

// Scenario is one table-driven HTTP case: a request, and what must come
// back. Path and Token are plain values, so build the table after creating
// the users and auctions it refers to.
type Scenario struct {
	Name    string
	Method  string
	Path    string
	Token   string
	Body    any      // nil, []byte/string (sent raw) or a value sent as JSON
	Headers []string // name, value, name, value …

	WantStatus int
	WantCode   string   // error.code; checked when set
	WantFields []string // keys that must be in error.fields (422)
	Check      func(t *testing.T, r Resp)
}

// RunScenarios runs the cases in order as subtests of t. Every error answer
// is also checked against the contract's error shape.
func (ts *TS) RunScenarios(t *testing.T, cases []Scenario) {
	t.Helper()
	for _, sc := range cases {
		t.Run(sc.Name, func(t *testing.T) {
			t.Helper()
			r := ts.Sub(t).Do(sc.Method, sc.Path, sc.Token, sc.Body, sc.Headers...)
			if r.Status != sc.WantStatus {
				t.Fatalf("%s %s: status %d, want %d; body %s", sc.Method, sc.Path, r.Status, sc.WantStatus, r.Body)
			}
			if r.Status >= 400 {
				e := AssertErrorShape(t, r)
				if sc.WantCode != "" && e.Code != sc.WantCode {
					t.Fatalf("error code %q, want %q; body %s", e.Code, sc.WantCode, r.Body)
				}
				for _, f := range sc.WantFields {
					if _, ok := e.Fields[f]; !ok {
						t.Fatalf("error.fields lacks %q; body %s", f, r.Body)
					}
				}
			} else if sc.WantCode != "" || len(sc.WantFields) > 0 {
				t.Fatalf("want error %q, got success %d %s", sc.WantCode, r.Status, r.Body)
			}
			if sc.Check != nil {
				sc.Check(t, r)
			}
		})
	}
}

// Sub returns ts reporting to t: the helpers that fail the test (Do,
// Register, CreateAuction, Get, Bids) then fail t, which is what a subtest,
// parallel or not, needs.
func (ts *TS) Sub(t testing.TB) *TS {
	c := *ts
	c.T = t
	return &c
}

// APIError is the "error" member of an error body.
type APIError struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields"`
}

var snakeCase = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// AssertErrorShape checks that r is {"error":{"code","message","fields"?}}
// as the contract says (fields only on 422) and returns the error.
func AssertErrorShape(t testing.TB, r Resp) APIError {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("error Content-Type %q, want application/json; body %s", ct, r.Body)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(r.Body, &raw); err != nil {
		t.Fatalf("error body is not a JSON object: %v: %s", err, r.Body)
	}
	if len(raw) != 1 || raw["error"] == nil {
		t.Fatalf("error body must have exactly the member \"error\": %s", r.Body)
	}
	var e APIError
	if err := json.Unmarshal(raw["error"], &e); err != nil {
		t.Fatalf("error member: %v: %s", err, r.Body)
	}
	if !snakeCase.MatchString(e.Code) {
		t.Fatalf("error.code %q is not snake_case: %s", e.Code, r.Body)
	}
	if e.Message == "" {
		t.Fatalf("error.message is empty: %s", r.Body)
	}
	if r.Status == http.StatusUnprocessableEntity && len(e.Fields) == 0 {
		t.Fatalf("a 422 must name the fields: %s", r.Body)
	}
	if r.Status != http.StatusUnprocessableEntity && e.Fields != nil {
		t.Fatalf("fields only belong to 422 answers: %d %s", r.Status, r.Body)
	}
	return e
}

// JSONMap decodes a JSON object body.
func (r Resp) JSONMap(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	r.Decode(t, &m)
	return m
}

// LoginAs logs in and returns the user, failing unless it is 200.
func (ts *TS) LoginAs(phone, password string) User {
	ts.T.Helper()
	return ts.auth("/api/v1/auth/login", http.StatusOK, phone, map[string]string{"phone": phone, "password": password})
}

// PlaceBid posts a bid and returns the answer whatever it is.
func (ts *TS) PlaceBid(token, auction string, amount int64, headers ...string) Resp {
	ts.T.Helper()
	return ts.Do("POST", "/api/v1/auctions/"+auction+"/bids", token, map[string]any{"amount": amount}, headers...)
}

// MustBid posts a bid and fails unless it is accepted (201).
func (ts *TS) MustBid(token, auction string, amount int64, headers ...string) Resp {
	ts.T.Helper()
	r := ts.PlaceBid(token, auction, amount, headers...)
	if r.Status != http.StatusCreated {
		ts.T.Fatalf("bid %d on %s: %d %s", amount, auction, r.Status, r.Body)
	}
	return r
}

// WaitClosed polls the auction until it is closed and returns it.
func (ts *TS) WaitClosed(id string, d time.Duration) Auction {
	ts.T.Helper()
	var a Auction
	WaitFor(ts.T, d, "auction "+id+" to close", func() bool {
		a = ts.Get(id)
		return a.Status == "closed"
	})
	return a
}

// ListIDs reads a list endpoint and returns the ids of its items.
func (ts *TS) ListIDs(path, token string) []string {
	ts.T.Helper()
	r := ts.Do("GET", path, token, nil)
	if r.Status != http.StatusOK {
		ts.T.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
	}
	var page struct {
		Items []struct{ ID string }
		Next  *string
	}
	r.Decode(ts.T, &page)
	if page.Items == nil || page.Next == nil {
		ts.T.Fatalf("GET %s: a list must have items and next: %s", path, r.Body)
	}
	ids := make([]string, len(page.Items))
	for i, it := range page.Items {
		ids[i] = it.ID
	}
	return ids
}

// HasID reports whether ids holds id.
func HasID(ids []string, id string) bool { return slices.Contains(ids, id) }

// FromNow returns the RFC 3339 time d from now.
func FromNow(d time.Duration) string { return time.Now().Add(d).Format(time.RFC3339Nano) }

// AdminPassword is the first administrator's password in servers started
// with WithAdmin.
const AdminPassword = "admin-pass-123"

// WithAdmin makes the server create a first administrator; ts.Admin logs in as it.
func WithAdmin() Option {
	return func(c *server.Config) {
		c.AdminPhone = "13800000001"
		c.AdminPassword = AdminPassword
	}
}

// Admin logs in as the administrator made by WithAdmin.
func (ts *TS) Admin() User {
	ts.T.Helper()
	if ts.Cfg.AdminPhone == "" {
		ts.T.Fatal("testserver: Admin needs a server started WithAdmin()")
	}
	return ts.LoginAs(ts.Cfg.AdminPhone, ts.Cfg.AdminPassword)
}

// Grant sets u's roles as the administrator admin; the user's token stays valid.
func (ts *TS) Grant(admin, u User, roles ...string) {
	ts.T.Helper()
	r := ts.Do("PUT", "/api/v1/users/"+u.ID+"/roles", admin.Token, map[string]any{"roles": roles})
	if r.Status != 200 {
		ts.T.Fatalf("grant %v to %s: %d %s", roles, u.ID, r.Status, r.Body)
	}
}

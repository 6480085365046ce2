package access_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/liaoning12316/agrimaker/internal/testserver"
	"github.com/liaoning12316/agrimaker/server"
)

const v1 = "/api/v1"

// start runs a server with an administrator; opts adjust its config.
func start(t *testing.T, opts ...testserver.Option) (*testserver.TS, testserver.User) {
	t.Helper()
	ts := testserver.Start(t, append([]testserver.Option{testserver.WithAdmin()}, opts...)...)
	return ts, ts.Admin()
}

// flushEvery sets how often the meters are written.
func flushEvery(d time.Duration) testserver.Option {
	return func(c *server.Config) { c.AccessFlushInterval = d }
}

// application is a valid application body; fields in over replace the defaults.
func application(over map[string]any) map[string]any {
	b := map[string]any{
		"orgName": "沈阳果蔬批发市场", "audience": "buyer", "contactName": "刘经理",
		"contactPhone": testserver.NewPhone(), "purpose": "比对收购价格与产地信息",
		"scopes": []string{"prices:read", "supply:read"}, "website": "https://example.com",
	}
	for k, v := range over {
		b[k] = v
	}
	return b
}

// grant is an approval body; nil scopes grant none.
func grant(scopes []string, quota, rate int) map[string]any {
	if scopes == nil {
		scopes = []string{}
	}
	return map[string]any{"scopes": scopes, "quotaPerDay": quota, "ratePerSecond": rate}
}

// apply files an application as u and returns its id.
func apply(t *testing.T, ts *testserver.TS, u testserver.User) string {
	t.Helper()
	r := ts.Do("POST", v1+"/developer/applications", u.Token, application(nil))
	if r.Status != http.StatusCreated {
		t.Fatalf("apply: %d %s", r.Status, r.Body)
	}
	var a struct{ ID, Status string }
	r.Decode(t, &a)
	if a.ID == "" || a.Status != "pending" {
		t.Fatalf("application %s", r.Body)
	}
	return a.ID
}

// newOrg has owner apply and admin approve with g; it returns the org id.
func newOrg(t *testing.T, ts *testserver.TS, admin, owner testserver.User, g map[string]any) string {
	t.Helper()
	id := apply(t, ts, owner)
	r := ts.Do("POST", v1+"/developer/applications/"+id+"/approve", admin.Token, g)
	if r.Status != http.StatusOK {
		t.Fatalf("approve: %d %s", r.Status, r.Body)
	}
	var o struct{ Organisation struct{ ID string } }
	r.Decode(t, &o)
	if o.Organisation.ID != id {
		t.Fatalf("organisation id %q, want the application's %q", o.Organisation.ID, id)
	}
	return id
}

type newKey struct {
	Key struct {
		ID, Org, Name, Prefix string
		RevokedAt             *time.Time
	}
	Secret string
}

// createKey makes a key of org as owner.
func createKey(t *testing.T, ts *testserver.TS, owner testserver.User, org string) newKey {
	t.Helper()
	r := ts.Do("POST", v1+"/orgs/"+org+"/keys", owner.Token, map[string]any{"name": "价格同步"})
	if r.Status != http.StatusCreated {
		t.Fatalf("create key: %d %s", r.Status, r.Body)
	}
	var k newKey
	r.Decode(t, &k)
	return k
}

// withKey calls path with the API key (and no session).
func withKey(ts *testserver.TS, path, secret string) testserver.Resp {
	ts.T.Helper()
	return ts.Do("GET", v1+path, "", nil, "X-API-Key", secret)
}

// wantErr checks status and error code, and the error shape.
func wantErr(t *testing.T, r testserver.Resp, status int, code string) testserver.APIError {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d (%s); body %s", r.Status, status, code, r.Body)
	}
	e := testserver.AssertErrorShape(t, r)
	if e.Code != code {
		t.Fatalf("code %q, want %q; body %s", e.Code, code, r.Body)
	}
	return e
}

func wantOK(t *testing.T, r testserver.Resp) {
	t.Helper()
	if r.Status != http.StatusOK {
		t.Fatalf("status %d, want 200; body %s", r.Status, r.Body)
	}
}

type caller struct {
	OrgID, OrgName, KeyID, UserID, Audience string
	Scopes                                  []string
}

func whoami(t *testing.T, ts *testserver.TS, secret string) caller {
	t.Helper()
	r := withKey(ts, "/developer/whoami", secret)
	wantOK(t, r)
	var c caller
	r.Decode(t, &c)
	return c
}

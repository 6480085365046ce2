package access_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/liaoning12316/agrimaker/internal/testserver"
)

// TestRoutesByRole runs every route as each kind of caller: nobody, the
// organisation's owner, another user, an administrator.
func TestRoutesByRole(t *testing.T) {
	ts, admin := start(t)
	owner, other := ts.Register("buyer"), ts.Register("farmer")
	org := newOrg(t, ts, admin, owner, grant([]string{"prices:read"}, 1000, 100))
	otherOrg := newOrg(t, ts, admin, other, grant(nil, 1000, 100))
	key := createKey(t, ts, owner, org)
	otherKey := createKey(t, ts, other, otherOrg)
	pendingA, pendingB := apply(t, ts, owner), apply(t, ts, other)
	const unknown = "0123456789abcdef01234567"

	apps := v1 + "/developer/applications"
	orgPath := v1 + "/orgs/" + org
	keyPath := orgPath + "/keys/" + key.Key.ID
	listed := func(path, token string, want, notWant []string) func(t *testing.T, r testserver.Resp) {
		return func(t *testing.T, _ testserver.Resp) {
			ids := ts.Sub(t).ListIDs(path, token)
			for _, id := range want {
				if !slices.Contains(ids, id) {
					t.Errorf("%s lacks %s: %v", path, id, ids)
				}
			}
			for _, id := range notWant {
				if slices.Contains(ids, id) {
					t.Errorf("%s shows %s: %v", path, id, ids)
				}
			}
		}
	}

	ts.RunScenarios(t, []testserver.Scenario{
		// applying
		{Name: "apply without a session", Method: "POST", Path: apps, Body: application(nil), WantStatus: 401, WantCode: "unauthorized"},
		{Name: "apply", Method: "POST", Path: apps, Token: other.Token, Body: application(nil), WantStatus: 201},
		{Name: "apply with bad fields", Method: "POST", Path: apps, Token: other.Token,
			Body:       application(map[string]any{"audience": "platform", "contactPhone": "12345", "scopes": []string{"prices:write"}, "purpose": strings.Repeat("字", 2001), "website": "not a url"}),
			WantStatus: 422, WantFields: []string{"audience", "contactPhone", "scopes[0]", "purpose", "website"}},
		{Name: "apply asking for no scope", Method: "POST", Path: apps, Token: other.Token, Body: application(map[string]any{"scopes": []string{}}),
			WantStatus: 422, WantFields: []string{"scopes"}},
		{Name: "apply with an unknown field", Method: "POST", Path: apps, Token: other.Token, Body: application(map[string]any{"quota": 5}),
			WantStatus: 422, WantFields: []string{"quota"}},
		{Name: "apply with broken JSON", Method: "POST", Path: apps, Token: other.Token, Body: "{", WantStatus: 400, WantCode: "bad_json"},

		// listing applications
		{Name: "list without a session", Method: "GET", Path: apps, WantStatus: 401},
		{Name: "a user lists their own", Method: "GET", Path: apps, Token: owner.Token, WantStatus: 200,
			Check: listed(apps, owner.Token, []string{org, pendingA}, []string{otherOrg, pendingB})},
		{Name: "an administrator lists all", Method: "GET", Path: apps, Token: admin.Token, WantStatus: 200,
			Check: listed(apps, admin.Token, []string{org, otherOrg, pendingA, pendingB}, nil)},
		{Name: "filter by status", Method: "GET", Path: apps + "?status=pending", Token: admin.Token, WantStatus: 200,
			Check: listed(apps+"?status=pending", admin.Token, []string{pendingA, pendingB}, []string{org, otherOrg})},
		{Name: "unknown status", Method: "GET", Path: apps + "?status=maybe", Token: admin.Token, WantStatus: 422, WantFields: []string{"status"}},
		{Name: "bad limit", Method: "GET", Path: apps + "?limit=0", Token: owner.Token, WantStatus: 422, WantFields: []string{"limit"}},

		// deciding
		{Name: "approve without a session", Method: "POST", Path: apps + "/" + pendingA + "/approve", Body: grant(nil, 1, 1), WantStatus: 401},
		{Name: "approve as a non-administrator", Method: "POST", Path: apps + "/" + pendingA + "/approve", Token: owner.Token, Body: grant(nil, 1, 1), WantStatus: 403, WantCode: "forbidden"},
		{Name: "approve an unknown application", Method: "POST", Path: apps + "/" + unknown + "/approve", Token: admin.Token, Body: grant(nil, 1, 1), WantStatus: 404, WantCode: "not_found"},
		{Name: "approve with bad limits", Method: "POST", Path: apps + "/" + pendingA + "/approve", Token: admin.Token,
			Body: grant([]string{"everything"}, 0, 1001), WantStatus: 422, WantFields: []string{"scopes[0]", "quotaPerDay", "ratePerSecond"}},
		{Name: "approve without scopes field", Method: "POST", Path: apps + "/" + pendingA + "/approve", Token: admin.Token,
			Body: map[string]any{"quotaPerDay": 10, "ratePerSecond": 1}, WantStatus: 422, WantFields: []string{"scopes"}},
		{Name: "approve over the quota limit", Method: "POST", Path: apps + "/" + pendingA + "/approve", Token: admin.Token,
			Body: grant(nil, 10_000_001, 1), WantStatus: 422, WantFields: []string{"quotaPerDay"}},
		{Name: "approve again", Method: "POST", Path: apps + "/" + org + "/approve", Token: admin.Token, Body: grant(nil, 1, 1), WantStatus: 409, WantCode: "already_decided"},
		{Name: "reject an approved one", Method: "POST", Path: apps + "/" + org + "/reject", Token: admin.Token, Body: map[string]any{"reason": "late"}, WantStatus: 409, WantCode: "already_decided"},
		{Name: "reject as a non-administrator", Method: "POST", Path: apps + "/" + pendingB + "/reject", Token: other.Token, Body: map[string]any{"reason": "x"}, WantStatus: 403},
		{Name: "reject without a reason", Method: "POST", Path: apps + "/" + pendingB + "/reject", Token: admin.Token, Body: map[string]any{}, WantStatus: 422, WantFields: []string{"reason"}},
		{Name: "reject an unknown application", Method: "POST", Path: apps + "/" + unknown + "/reject", Token: admin.Token, Body: map[string]any{"reason": "x"}, WantStatus: 404},
		{Name: "reject", Method: "POST", Path: apps + "/" + pendingB + "/reject", Token: admin.Token, Body: map[string]any{"reason": "purpose unclear"}, WantStatus: 200,
			Check: func(t *testing.T, r testserver.Resp) {
				m := r.JSONMap(t)
				if m["status"] != "rejected" || m["reason"] != "purpose unclear" || m["decidedAt"] == nil {
					t.Fatalf("rejected application: %s", r.Body)
				}
			}},
		{Name: "approve a rejected one", Method: "POST", Path: apps + "/" + pendingB + "/approve", Token: admin.Token, Body: grant(nil, 1, 1), WantStatus: 409, WantCode: "already_decided"},

		// organisations
		{Name: "org without a session", Method: "GET", Path: orgPath, WantStatus: 401},
		{Name: "org as a non-member", Method: "GET", Path: orgPath, Token: other.Token, WantStatus: 403},
		{Name: "org as its owner", Method: "GET", Path: orgPath, Token: owner.Token, WantStatus: 200,
			Check: func(t *testing.T, r testserver.Resp) {
				var b struct {
					Organisation struct {
						ID, Name, Audience string
						Scopes             []string
						QuotaPerDay        int
						Members            []struct{ User, Role string }
					}
				}
				r.Decode(t, &b)
				o := b.Organisation
				if o.ID != org || o.Audience != "buyer" || !slices.Equal(o.Scopes, []string{"prices:read"}) || o.QuotaPerDay != 1000 ||
					len(o.Members) != 1 || o.Members[0].User != owner.ID || o.Members[0].Role != "owner" {
					t.Fatalf("organisation: %s", r.Body)
				}
			}},
		{Name: "org as an administrator", Method: "GET", Path: orgPath, Token: admin.Token, WantStatus: 200},
		{Name: "unknown org", Method: "GET", Path: v1 + "/orgs/" + unknown, Token: admin.Token, WantStatus: 404},
		{Name: "change org as its owner", Method: "PUT", Path: orgPath, Token: owner.Token, Body: map[string]any{"quotaPerDay": 5}, WantStatus: 403},
		{Name: "change org with bad values", Method: "PUT", Path: orgPath, Token: admin.Token,
			Body: map[string]any{"quotaPerDay": 0, "ratePerSecond": 0, "scopes": []string{"x"}}, WantStatus: 422, WantFields: []string{"quotaPerDay", "ratePerSecond", "scopes[0]"}},
		{Name: "change unknown org", Method: "PUT", Path: v1 + "/orgs/" + unknown, Token: admin.Token, Body: map[string]any{"suspended": true}, WantStatus: 404},
		{Name: "change org", Method: "PUT", Path: orgPath, Token: admin.Token, Body: map[string]any{"quotaPerDay": 2000}, WantStatus: 200,
			Check: func(t *testing.T, r testserver.Resp) {
				var b struct {
					Organisation struct{ QuotaPerDay, RatePerSecond int }
				}
				r.Decode(t, &b)
				if b.Organisation.QuotaPerDay != 2000 || b.Organisation.RatePerSecond != 100 {
					t.Fatalf("fields left out must keep their value: %s", r.Body)
				}
			}},

		// keys
		{Name: "create key without a session", Method: "POST", Path: orgPath + "/keys", Body: map[string]any{"name": "k"}, WantStatus: 401},
		{Name: "create key as a non-member", Method: "POST", Path: orgPath + "/keys", Token: other.Token, Body: map[string]any{"name": "k"}, WantStatus: 403},
		{Name: "create key as an administrator", Method: "POST", Path: orgPath + "/keys", Token: admin.Token, Body: map[string]any{"name": "k"}, WantStatus: 403},
		{Name: "create key without a name", Method: "POST", Path: orgPath + "/keys", Token: owner.Token, Body: map[string]any{}, WantStatus: 422, WantFields: []string{"name"}},
		{Name: "create key for an unknown org", Method: "POST", Path: v1 + "/orgs/" + unknown + "/keys", Token: owner.Token, Body: map[string]any{"name": "k"}, WantStatus: 404},
		{Name: "list keys as a non-member", Method: "GET", Path: orgPath + "/keys", Token: other.Token, WantStatus: 403},
		{Name: "list keys as the owner", Method: "GET", Path: orgPath + "/keys", Token: owner.Token, WantStatus: 200,
			Check: func(t *testing.T, r testserver.Resp) {
				if strings.Contains(string(r.Body), key.Secret) || strings.Contains(string(r.Body), "hash") {
					t.Fatalf("a key list shows secrets: %s", r.Body)
				}
				listed(orgPath+"/keys", owner.Token, []string{key.Key.ID}, []string{otherKey.Key.ID})(t, r)
			}},
		{Name: "list keys as an administrator", Method: "GET", Path: orgPath + "/keys", Token: admin.Token, WantStatus: 200},
		{Name: "rotate as a non-member", Method: "POST", Path: keyPath + "/rotate", Token: other.Token, WantStatus: 403},
		{Name: "rotate an unknown key", Method: "POST", Path: orgPath + "/keys/" + unknown + "/rotate", Token: owner.Token, WantStatus: 404},
		{Name: "rotate another org's key", Method: "POST", Path: orgPath + "/keys/" + otherKey.Key.ID + "/rotate", Token: owner.Token, WantStatus: 404},
		{Name: "rotate with a bad grace", Method: "POST", Path: keyPath + "/rotate", Token: owner.Token, Body: map[string]any{"graceSeconds": -1}, WantStatus: 422, WantFields: []string{"graceSeconds"}},
		{Name: "revoke as a non-member", Method: "DELETE", Path: keyPath, Token: other.Token, WantStatus: 403},
		{Name: "revoke another org's key", Method: "DELETE", Path: orgPath + "/keys/" + otherKey.Key.ID, Token: owner.Token, WantStatus: 404},
		{Name: "revoke an unknown key", Method: "DELETE", Path: orgPath + "/keys/" + unknown, Token: admin.Token, WantStatus: 404},

		// usage
		{Name: "usage without a session", Method: "GET", Path: orgPath + "/usage", WantStatus: 401},
		{Name: "usage as a non-member", Method: "GET", Path: orgPath + "/usage", Token: other.Token, WantStatus: 403},
		{Name: "usage with a bad day", Method: "GET", Path: orgPath + "/usage?from=2026-13-01&to=yesterday", Token: owner.Token, WantStatus: 422, WantFields: []string{"from", "to"}},
		{Name: "usage backwards", Method: "GET", Path: orgPath + "/usage?from=2026-05-02&to=2026-05-01", Token: owner.Token, WantStatus: 422, WantFields: []string{"from"}},
		{Name: "usage over a year", Method: "GET", Path: orgPath + "/usage?from=2025-01-01&to=2026-05-01", Token: owner.Token, WantStatus: 422, WantFields: []string{"from"}},
		{Name: "usage of an unknown org", Method: "GET", Path: v1 + "/orgs/" + unknown + "/usage", Token: admin.Token, WantStatus: 404},
		{Name: "usage as an administrator", Method: "GET", Path: orgPath + "/usage", Token: admin.Token, WantStatus: 200},

		// the caller
		{Name: "whoami with nothing", Method: "GET", Path: v1 + "/developer/whoami", WantStatus: 401, WantCode: "unauthorized"},
		{Name: "whoami with a malformed key", Method: "GET", Path: v1 + "/developer/whoami", Headers: []string{"X-API-Key", "ak_nope"}, WantStatus: 401, WantCode: "invalid_key"},
		{Name: "whoami with an unknown key", Method: "GET", Path: v1 + "/developer/whoami", Headers: []string{"X-API-Key", "ak_" + strings.Repeat("0", 64)}, WantStatus: 401, WantCode: "invalid_key"},
		{Name: "whoami with a bad session", Method: "GET", Path: v1 + "/developer/whoami", Token: "nope", WantStatus: 401, WantCode: "unauthorized"},
		{Name: "whoami as a user", Method: "GET", Path: v1 + "/developer/whoami", Token: other.Token, WantStatus: 200,
			Check: func(t *testing.T, r testserver.Resp) {
				var c caller
				r.Decode(t, &c)
				if c.UserID != other.ID || c.Audience != "platform" || len(c.Scopes) != 5 || c.OrgID != "" || c.KeyID != "" {
					t.Fatalf("platform caller: %s", r.Body)
				}
			}},
		{Name: "whoami with a key and a session: the key wins", Method: "GET", Path: v1 + "/developer/whoami", Token: other.Token, Headers: []string{"X-API-Key", key.Secret}, WantStatus: 200,
			Check: func(t *testing.T, r testserver.Resp) {
				var c caller
				r.Decode(t, &c)
				if c.OrgID != org || c.KeyID != key.Key.ID || c.UserID != "" || c.Audience != "buyer" {
					t.Fatalf("key caller: %s", r.Body)
				}
			}},
		{Name: "scopecheck of an unknown scope", Method: "GET", Path: v1 + "/developer/scopecheck/everything", Headers: []string{"X-API-Key", key.Secret}, WantStatus: 404},
		{Name: "scopecheck with nothing", Method: "GET", Path: v1 + "/developer/scopecheck/prices:read", WantStatus: 401},
	})
}

package access_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/liaoning12316/agrimaker/farmers/access"
)

// TestScopeMatrix checks each scope, granted or not, through the same check
// Require(scope) makes (GET /developer/scopecheck/{scope}).
func TestScopeMatrix(t *testing.T) {
	ts, admin := start(t)
	owner := ts.Register("buyer")
	granted := []string{access.ScopePricesRead, access.ScopeSupplyWrite}
	org := newOrg(t, ts, admin, owner, grant(granted, 1000, 100))
	key := createKey(t, ts, owner, org).Secret

	for _, scope := range access.AllScopes {
		want := 403
		for _, g := range granted {
			if g == scope {
				want = 200
			}
		}
		t.Run(fmt.Sprintf("%s→%d", scope, want), func(t *testing.T) {
			r := withKey(ts.Sub(t), "/developer/scopecheck/"+scope, key)
			if want == 200 {
				wantOK(t, r)
				return
			}
			if e := wantErr(t, r, 403, "scope_missing"); !strings.Contains(e.Message, scope) {
				t.Fatalf("the message must name the scope: %q", e.Message)
			}
		})
	}
	t.Run("a platform user holds every scope", func(t *testing.T) {
		for _, scope := range access.AllScopes {
			wantOK(t, ts.Sub(t).Do("GET", "/api/v1/developer/scopecheck/"+scope, owner.Token, nil))
		}
	})
	t.Run("a scope withdrawn applies at once", func(t *testing.T) {
		wantOK(t, ts.Sub(t).Do("PUT", "/api/v1/orgs/"+org, admin.Token, map[string]any{"scopes": []string{access.ScopeSupplyWrite}}))
		wantErr(t, withKey(ts.Sub(t), "/developer/scopecheck/prices:read", key), 403, "scope_missing")
		wantOK(t, withKey(ts.Sub(t), "/developer/scopecheck/supply:write", key))
	})
	t.Run("suspension applies at once", func(t *testing.T) {
		wantOK(t, ts.Sub(t).Do("PUT", "/api/v1/orgs/"+org, admin.Token, map[string]any{"suspended": true}))
		wantErr(t, withKey(ts.Sub(t), "/developer/whoami", key), 403, "org_suspended")
		wantErr(t, ts.Sub(t).Do("POST", "/api/v1/orgs/"+org+"/keys", owner.Token, map[string]any{"name": "k"}), 403, "org_suspended")
		wantOK(t, ts.Sub(t).Do("PUT", "/api/v1/orgs/"+org, admin.Token, map[string]any{"suspended": false}))
		wantOK(t, withKey(ts.Sub(t), "/developer/whoami", key))
	})
}

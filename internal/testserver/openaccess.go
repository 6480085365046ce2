package testserver

import (
	"fmt"
	"net/http"
)

// APIKey makes an organisation of the given audience with scopes, as a
// third party gets one: a new user applies, admin approves, the applicant
// creates a key. It returns the key's secret (sent as X-API-Key) and the
// organisation's id. Quota and rate are high enough not to get in a test's way.
func (ts *TS) APIKey(admin User, audience string, scopes ...string) (key, orgID string) {
	ts.T.Helper()
	applicant := ts.Register("buyer")
	r := ts.Do("POST", "/api/v1/developer/applications", applicant.Token, map[string]any{
		"orgName": fmt.Sprintf("测试机构 %s", applicant.Phone), "audience": audience,
		"contactName": "联系人", "contactPhone": applicant.Phone, "purpose": "tests", "scopes": scopes,
	})
	var app struct{ ID string }
	ts.want(r, http.StatusCreated, "apply for API access", &app)

	r = ts.Do("POST", "/api/v1/developer/applications/"+app.ID+"/approve", admin.Token, map[string]any{
		"scopes": scopes, "quotaPerDay": 1_000_000, "ratePerSecond": 1000,
	})
	var approved struct{ Organisation struct{ ID string } }
	ts.want(r, http.StatusOK, "approve application", &approved)
	orgID = approved.Organisation.ID

	r = ts.Do("POST", "/api/v1/orgs/"+orgID+"/keys", applicant.Token, map[string]any{"name": "test key"})
	var made struct{ Secret string }
	ts.want(r, http.StatusCreated, "create API key", &made)
	return made.Secret, orgID
}

// want fails the test unless r has status, then decodes its body into v.
func (ts *TS) want(r Resp, status int, what string, v any) {
	ts.T.Helper()
	if r.Status != status {
		ts.T.Fatalf("%s: %d %s", what, r.Status, r.Body)
	}
	r.Decode(ts.T, v)
}

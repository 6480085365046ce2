package farmers_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/liaoning12316/agrimaker/internal/testserver"
	"github.com/liaoning12316/agrimaker/server"
)

const adminPassword = "admin-pass-123"

// startWithAdmin runs a server whose first administrator is made from the
// config, the only way to get one on a fresh install.
func startWithAdmin(t *testing.T) (*testserver.TS, testserver.User) {
	t.Helper()
	phone := testserver.NewPhone()
	ts := testserver.Start(t, func(c *server.Config) {
		c.AdminPhone = phone
		c.AdminPassword = adminPassword
	})
	return ts, ts.LoginAs(phone, adminPassword)
}

type authBody struct {
	Token string `json:"token"`
	User  struct {
		ID    string   `json:"id"`
		Phone string   `json:"phone"`
		Name  string   `json:"name"`
		Roles []string `json:"roles"`
	} `json:"user"`
}

func decodeAuth(t *testing.T, r testserver.Resp) authBody {
	t.Helper()
	var b authBody
	r.Decode(t, &b)
	return b
}

// wantUser checks an auth or /me answer describes the expected user and
// leaks nothing secret.
func wantUser(phone, name string, roles ...string) func(t *testing.T, r testserver.Resp) {
	return func(t *testing.T, r testserver.Resp) {
		t.Helper()
		b := decodeAuth(t, r)
		if b.User.ID == "" || b.User.Phone != phone || (name != "" && b.User.Name != name) || !slices.Equal(b.User.Roles, roles) {
			t.Fatalf("user = %+v, want phone %s name %q roles %v", b.User, phone, name, roles)
		}
		if low := strings.ToLower(string(r.Body)); strings.Contains(low, "password") || strings.Contains(low, "hash") {
			t.Fatalf("the answer leaks the password hash: %s", r.Body)
		}
	}
}

func wantToken(t *testing.T, r testserver.Resp) {
	t.Helper()
	if b := decodeAuth(t, r); len(b.Token) < 20 {
		t.Fatalf("token %q is missing or short", b.Token)
	}
}

func reg(phone, password, name, role string) map[string]any {
	return map[string]any{"phone": phone, "password": password, "name": name, "role": role}
}

func TestAccountsRegisterAndLogin(t *testing.T) {
	ts := testserver.Start(t)
	existing := ts.Register("farmer")
	p1, p2, p3 := testserver.NewPhone(), testserver.NewPhone(), testserver.NewPhone()
	const pw = "good-password-1"

	ts.RunScenarios(t, []testserver.Scenario{
		{Name: "register farmer", Method: "POST", Path: "/api/v1/auth/register", Body: reg(p1, pw, "李农", "farmer"),
			WantStatus: 201, Check: func(t *testing.T, r testserver.Resp) { wantToken(t, r); wantUser(p1, "李农", "farmer")(t, r) }},
		{Name: "register buyer", Method: "POST", Path: "/api/v1/auth/register", Body: reg(p2, pw, "王买", "buyer"),
			WantStatus: 201, Check: func(t *testing.T, r testserver.Resp) { wantToken(t, r); wantUser(p2, "王买", "buyer")(t, r) }},
		{Name: "same phone again", Method: "POST", Path: "/api/v1/auth/register", Body: reg(existing.Phone, pw, "重复", "buyer"),
			WantStatus: 409, WantCode: "phone_taken"},
		{Name: "phone starting 12", Method: "POST", Path: "/api/v1/auth/register", Body: reg("12912345678", pw, "x", "farmer"),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"phone"}},
		{Name: "phone of 10 digits", Method: "POST", Path: "/api/v1/auth/register", Body: reg("1391234567", pw, "x", "farmer"),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"phone"}},
		{Name: "phone with letters", Method: "POST", Path: "/api/v1/auth/register", Body: reg("1391234567a", pw, "x", "farmer"),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"phone"}},
		{Name: "short password", Method: "POST", Path: "/api/v1/auth/register", Body: reg(p3, "short", "x", "farmer"),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"password"}},
		{Name: "unknown role", Method: "POST", Path: "/api/v1/auth/register", Body: reg(p3, pw, "x", "landlord"),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"role"}},
		{Name: "organizer is not self-grantable", Method: "POST", Path: "/api/v1/auth/register", Body: reg(p3, pw, "x", "organizer"),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"role"}},
		{Name: "admin is not self-grantable", Method: "POST", Path: "/api/v1/auth/register", Body: reg(p3, pw, "x", "admin"),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"role"}},
		{Name: "judge is not self-grantable", Method: "POST", Path: "/api/v1/auth/register", Body: reg(p3, pw, "x", "judge"),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"role"}},
		{Name: "name over 50 characters", Method: "POST", Path: "/api/v1/auth/register", Body: reg(p3, pw, strings.Repeat("名", 51), "farmer"),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"name"}},
		{Name: "password over 72 bytes", Method: "POST", Path: "/api/v1/auth/register", Body: reg(p3, strings.Repeat("p", 73), "x", "farmer"),
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"password"}},
		{Name: "missing name", Method: "POST", Path: "/api/v1/auth/register", Body: map[string]any{"phone": p3, "password": pw, "role": "farmer"},
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"name"}},
		{Name: "phone as a number", Method: "POST", Path: "/api/v1/auth/register", Body: map[string]any{"phone": 13912345678, "password": pw, "name": "x", "role": "farmer"},
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"phone"}},
		{Name: "role as an array", Method: "POST", Path: "/api/v1/auth/register", Body: map[string]any{"phone": p3, "password": pw, "name": "x", "role": []string{"farmer", "admin"}},
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"role"}},
		{Name: "unknown field roles", Method: "POST", Path: "/api/v1/auth/register", Body: map[string]any{"phone": p3, "password": pw, "name": "x", "role": "farmer", "roles": []string{"admin"}},
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"roles"}},
		{Name: "malformed JSON", Method: "POST", Path: "/api/v1/auth/register", Body: `{"phone": "139`,
			WantStatus: 400, WantCode: "bad_json"},
		{Name: "empty body", Method: "POST", Path: "/api/v1/auth/register", Body: "",
			WantStatus: 400, WantCode: "bad_json"},
		{Name: "trailing data", Method: "POST", Path: "/api/v1/auth/register", Body: `{"phone":"` + p3 + `","password":"` + pw + `","name":"x","role":"farmer"} {}`,
			WantStatus: 400, WantCode: "bad_json"},
		{Name: "array instead of object", Method: "POST", Path: "/api/v1/auth/register", Body: `[]`,
			WantStatus: 422, WantCode: "invalid"},
		// none of the refused registrations above created p3
		{Name: "refused registrations stored nothing", Method: "POST", Path: "/api/v1/auth/register", Body: reg(p3, pw, "张三", "farmer"),
			WantStatus: 201, Check: wantUser(p3, "张三", "farmer")},

		{Name: "login", Method: "POST", Path: "/api/v1/auth/login", Body: map[string]any{"phone": p1, "password": pw},
			WantStatus: 200, Check: func(t *testing.T, r testserver.Resp) { wantToken(t, r); wantUser(p1, "李农", "farmer")(t, r) }},
		{Name: "login wrong password", Method: "POST", Path: "/api/v1/auth/login", Body: map[string]any{"phone": p1, "password": pw + "x"},
			WantStatus: 401, WantCode: "bad_credentials"},
		{Name: "login unknown phone", Method: "POST", Path: "/api/v1/auth/login", Body: map[string]any{"phone": testserver.NewPhone(), "password": pw},
			WantStatus: 401, WantCode: "bad_credentials"},
		{Name: "login missing password", Method: "POST", Path: "/api/v1/auth/login", Body: map[string]any{"phone": p1},
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"password"}},
		{Name: "login malformed", Method: "POST", Path: "/api/v1/auth/login", Body: `{"phone":`,
			WantStatus: 400, WantCode: "bad_json"},
		{Name: "login unknown field", Method: "POST", Path: "/api/v1/auth/login", Body: map[string]any{"phone": p1, "password": pw, "otp": "1234"},
			WantStatus: 422, WantCode: "invalid", WantFields: []string{"otp"}},
	})

	// A wrong password and an unknown phone must not be told apart.
	wrong := ts.Do("POST", "/api/v1/auth/login", "", map[string]any{"phone": p1, "password": "nope-nope-nope"})
	unknown := ts.Do("POST", "/api/v1/auth/login", "", map[string]any{"phone": testserver.NewPhone(), "password": "nope-nope-nope"})
	if wrong.Status != unknown.Status || string(wrong.Body) != string(unknown.Body) {
		t.Fatalf("wrong password %d %s vs unknown phone %d %s: must be the same answer", wrong.Status, wrong.Body, unknown.Status, unknown.Body)
	}
}

func TestAccountsMeAndLogout(t *testing.T) {
	ts := testserver.Start(t)
	u := ts.Register("buyer")
	second := ts.LoginAs(u.Phone, "secret-123") // another session of the same user
	long := strings.Repeat("a", 200)

	ts.RunScenarios(t, []testserver.Scenario{
		{Name: "me", Method: "GET", Path: "/api/v1/me", Token: u.Token, WantStatus: 200, Check: wantUser(u.Phone, "", "buyer")},
		{Name: "me without token", Method: "GET", Path: "/api/v1/me", WantStatus: 401, WantCode: "unauthorized"},
		{Name: "me with unknown token", Method: "GET", Path: "/api/v1/me", Token: "not-a-token", WantStatus: 401, WantCode: "unauthorized"},
		{Name: "me with overlong token", Method: "GET", Path: "/api/v1/me", Token: long, WantStatus: 401, WantCode: "unauthorized"},
		{Name: "me with another scheme", Method: "GET", Path: "/api/v1/me", Headers: []string{"Authorization", "Basic " + u.Token}, WantStatus: 401, WantCode: "unauthorized"},
		{Name: "logout without token", Method: "POST", Path: "/api/v1/auth/logout", WantStatus: 401, WantCode: "unauthorized"},
		{Name: "logout", Method: "POST", Path: "/api/v1/auth/logout", Token: u.Token, WantStatus: 204},
		{Name: "logged-out token is refused", Method: "GET", Path: "/api/v1/me", Token: u.Token, WantStatus: 401, WantCode: "unauthorized"},
		{Name: "logged-out token cannot log out again", Method: "POST", Path: "/api/v1/auth/logout", Token: u.Token, WantStatus: 401},
		{Name: "the other session lives on", Method: "GET", Path: "/api/v1/me", Token: second.Token, WantStatus: 200, Check: wantUser(u.Phone, "", "buyer")},
		{Name: "logged-out token cannot bid or create", Method: "POST", Path: "/api/v1/auctions", Token: u.Token,
			Body: testserver.SellAuction(time.Hour, nil), WantStatus: 401},
	})
}

func TestAccountsRoles(t *testing.T) {
	ts, admin := startWithAdmin(t)
	farmer := ts.Register("farmer")
	buyer := ts.Register("buyer")
	rolesOf := func(id string) string { return "/api/v1/users/" + id + "/roles" }
	buyBody := testserver.SellAuction(time.Hour, map[string]any{"kind": "buy"})
	sellBody := testserver.SellAuction(time.Hour, nil)

	ts.RunScenarios(t, []testserver.Scenario{
		{Name: "admin logs in with the configured password", Method: "GET", Path: "/api/v1/me", Token: admin.Token,
			WantStatus: 200, Check: wantUser(admin.Phone, "", "admin")},
		{Name: "no token", Method: "PUT", Path: rolesOf(farmer.ID), Body: map[string]any{"roles": []string{"admin"}},
			WantStatus: 401, WantCode: "unauthorized"},
		{Name: "farmer cannot grant itself admin", Method: "PUT", Path: rolesOf(farmer.ID), Token: farmer.Token,
			Body: map[string]any{"roles": []string{"farmer", "admin"}}, WantStatus: 403, WantCode: "forbidden"},
		{Name: "buyer cannot change a farmer", Method: "PUT", Path: rolesOf(farmer.ID), Token: buyer.Token,
			Body: map[string]any{"roles": []string{"buyer"}}, WantStatus: 403, WantCode: "forbidden"},
		{Name: "refused grant changed nothing", Method: "GET", Path: "/api/v1/me", Token: farmer.Token,
			WantStatus: 200, Check: wantUser(farmer.Phone, "", "farmer")},
		{Name: "farmer may not create a buy auction yet", Method: "POST", Path: "/api/v1/auctions", Token: farmer.Token,
			Body: buyBody, WantStatus: 403, WantCode: "forbidden"},
		{Name: "admin grants farmer buyer", Method: "PUT", Path: rolesOf(farmer.ID), Token: admin.Token,
			Body: map[string]any{"roles": []string{"farmer", "buyer"}}, WantStatus: 200,
			Check: func(t *testing.T, r testserver.Resp) {
				var b authBody
				r.Decode(t, &b)
				if b.User.ID != farmer.ID || !slices.Equal(b.User.Roles, []string{"farmer", "buyer"}) {
					t.Fatalf("user = %+v", b.User)
				}
			}},
		{Name: "the existing token sees the new roles", Method: "GET", Path: "/api/v1/me", Token: farmer.Token,
			WantStatus: 200, Check: wantUser(farmer.Phone, "", "farmer", "buyer")},
		{Name: "and may now create a buy auction", Method: "POST", Path: "/api/v1/auctions", Token: farmer.Token,
			Body: buyBody, WantStatus: 201},
		{Name: "admin grants organizer", Method: "PUT", Path: rolesOf(buyer.ID), Token: admin.Token,
			Body: map[string]any{"roles": []string{"buyer", "organizer"}}, WantStatus: 200},
		{Name: "admin takes farmer away", Method: "PUT", Path: rolesOf(farmer.ID), Token: admin.Token,
			Body: map[string]any{"roles": []string{"buyer"}}, WantStatus: 200},
		{Name: "a former farmer cannot create a sell auction", Method: "POST", Path: "/api/v1/auctions", Token: farmer.Token,
			Body: sellBody, WantStatus: 403, WantCode: "forbidden"},
		{Name: "unknown role", Method: "PUT", Path: rolesOf(farmer.ID), Token: admin.Token,
			Body: map[string]any{"roles": []string{"king"}}, WantStatus: 422, WantCode: "invalid", WantFields: []string{"roles[0]"}},
		{Name: "no roles", Method: "PUT", Path: rolesOf(farmer.ID), Token: admin.Token,
			Body: map[string]any{"roles": []string{}}, WantStatus: 422, WantCode: "invalid", WantFields: []string{"roles"}},
		{Name: "roles not an array", Method: "PUT", Path: rolesOf(farmer.ID), Token: admin.Token,
			Body: map[string]any{"roles": "admin"}, WantStatus: 422, WantCode: "invalid", WantFields: []string{"roles"}},
		{Name: "malformed", Method: "PUT", Path: rolesOf(farmer.ID), Token: admin.Token,
			Body: `{"roles":[`, WantStatus: 400, WantCode: "bad_json"},
		{Name: "unknown user", Method: "PUT", Path: rolesOf("000000000000000000000000"), Token: admin.Token,
			Body: map[string]any{"roles": []string{"buyer"}}, WantStatus: 404, WantCode: "not_found"},
	})
}

func TestAccountsTokenExpiry(t *testing.T) {
	const ttl = 2 * time.Second
	ts := testserver.Start(t, func(c *server.Config) { c.TokenTTL = ttl })
	u := ts.Register("farmer")
	start := time.Now()
	r := ts.Do("GET", "/api/v1/me", u.Token, nil)
	if time.Since(start) < ttl && r.Status != http.StatusOK {
		t.Fatalf("fresh token: %d %s", r.Status, r.Body)
	}
	time.Sleep(ttl + 300*time.Millisecond)
	ts.RunScenarios(t, []testserver.Scenario{
		{Name: "expired token on /me", Method: "GET", Path: "/api/v1/me", Token: u.Token, WantStatus: 401, WantCode: "token_expired"},
		{Name: "expired token on a role route", Method: "POST", Path: "/api/v1/auctions", Token: u.Token,
			Body: testserver.SellAuction(time.Hour, nil), WantStatus: 401, WantCode: "token_expired"},
		{Name: "logging in again gives a working token", Method: "POST", Path: "/api/v1/auth/login",
			Body: map[string]any{"phone": u.Phone, "password": "secret-123"}, WantStatus: 200,
			Check: func(t *testing.T, r testserver.Resp) {
				tok := decodeAuth(t, r).Token
				if me := ts.Sub(t).Do("GET", "/api/v1/me", tok, nil); me.Status != http.StatusOK {
					t.Fatalf("new token: %d %s", me.Status, me.Body)
				}
			}},
	})
}

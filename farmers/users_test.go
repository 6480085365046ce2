package farmers_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/liaoning12316/agrimaker/internal/testserver"
)

type userPage struct {
	Items []struct {
		ID    string   `json:"id"`
		Phone string   `json:"phone"`
		Roles []string `json:"roles"`
	} `json:"items"`
	Next string `json:"next"`
}

// TestListUsers: the administrators' user list, its filters, paging, and
// who may read it.
func TestListUsers(t *testing.T) {
	ts := testserver.Start(t, testserver.WithAdmin())
	admin := ts.Admin()
	farmer := ts.Register("farmer")
	buyer := ts.Register("buyer")
	judge := ts.Register("buyer")
	ts.Grant(admin, judge, "buyer", "judge")

	page := func(t *testing.T, r testserver.Resp) userPage {
		t.Helper()
		var p userPage
		r.Decode(t, &p)
		return p
	}
	ids := func(p userPage) []string {
		var out []string
		for _, u := range p.Items {
			out = append(out, u.ID)
		}
		return out
	}

	ts.RunScenarios(t, []testserver.Scenario{
		{Name: "no token", Method: "GET", Path: "/api/v1/users", WantStatus: 401},
		{Name: "not an administrator", Method: "GET", Path: "/api/v1/users", Token: farmer.Token, WantStatus: 403, WantCode: "forbidden"},
		{Name: "everyone, no secrets", Method: "GET", Path: "/api/v1/users", Token: admin.Token, WantStatus: 200,
			Check: func(t *testing.T, r testserver.Resp) {
				if low := strings.ToLower(string(r.Body)); strings.Contains(low, "password") || strings.Contains(low, "hash") {
					t.Fatalf("the list leaks password hashes: %s", r.Body)
				}
				got := ids(page(t, r))
				for _, u := range []testserver.User{admin, farmer, buyer, judge} {
					if !slices.Contains(got, u.ID) {
						t.Fatalf("user %s missing from %v", u.ID, got)
					}
				}
				if !slices.IsSorted(got) {
					t.Fatalf("not in id order: %v", got)
				}
			}},
		{Name: "by role", Method: "GET", Path: "/api/v1/users?role=judge", Token: admin.Token, WantStatus: 200,
			Check: func(t *testing.T, r testserver.Resp) {
				p := page(t, r)
				if len(p.Items) != 1 || p.Items[0].ID != judge.ID || !slices.Equal(p.Items[0].Roles, []string{"buyer", "judge"}) {
					t.Fatalf("role=judge: %s", r.Body)
				}
			}},
		{Name: "by whole phone", Method: "GET", Path: "/api/v1/users?phone=" + buyer.Phone, Token: admin.Token, WantStatus: 200,
			Check: func(t *testing.T, r testserver.Resp) {
				if got := ids(page(t, r)); !slices.Equal(got, []string{buyer.ID}) {
					t.Fatalf("phone=%s: %v", buyer.Phone, got)
				}
			}},
		{Name: "by phone prefix", Method: "GET", Path: "/api/v1/users?phone=138", Token: admin.Token, WantStatus: 200,
			Check: func(t *testing.T, r testserver.Resp) {
				for _, u := range page(t, r).Items {
					if !strings.HasPrefix(u.Phone, "138") {
						t.Fatalf("phone=138 answered %s", u.Phone)
					}
				}
			}},
		{Name: "bad role", Method: "GET", Path: "/api/v1/users?role=king", Token: admin.Token, WantStatus: 422, WantFields: []string{"role"}},
		{Name: "bad phone", Method: "GET", Path: "/api/v1/users?phone=13x", Token: admin.Token, WantStatus: 422, WantFields: []string{"phone"}},
		{Name: "bad cursor", Method: "GET", Path: "/api/v1/users?cursor=zzz", Token: admin.Token, WantStatus: 422, WantFields: []string{"cursor"}},
	})

	t.Run("pages", func(t *testing.T) {
		var all []string
		cursor := ""
		for i := 0; i < 10; i++ {
			r := ts.Sub(t).Do("GET", "/api/v1/users?limit=1&cursor="+cursor, admin.Token, nil)
			if r.Status != 200 {
				t.Fatalf("page: %d %s", r.Status, r.Body)
			}
			p := page(t, r)
			all = append(all, ids(p)...)
			if p.Next == "" {
				break
			}
			cursor = p.Next
		}
		if len(all) != 4 || !slices.IsSorted(all) {
			t.Fatalf("paged one by one: %v, want the 4 users in id order", all)
		}
	})
}

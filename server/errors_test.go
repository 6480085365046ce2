package server_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/liaoning12316/agrimaker/internal/testserver"
	"github.com/liaoning12316/agrimaker/server"
)

func TestErrorsRoutesAndHealth(t *testing.T) {
	ts := testserver.Start(t)
	u := ts.Register("farmer")

	ts.RunScenarios(t, []testserver.Scenario{
		{Name: "healthz", Method: "GET", Path: "/healthz", WantStatus: 200, Check: func(t *testing.T, r testserver.Resp) {
			if m := r.JSONMap(t); m["status"] != "ok" {
				t.Fatalf("healthz body %s", r.Body)
			}
		}},
		{Name: "readyz", Method: "GET", Path: "/readyz", WantStatus: 200},
		{Name: "openapi", Method: "GET", Path: "/api/openapi.json", WantStatus: 200, Check: func(t *testing.T, r testserver.Resp) {
			m := r.JSONMap(t)
			if v, _ := m["openapi"].(string); !strings.HasPrefix(v, "3.") {
				t.Fatalf("openapi version %v", m["openapi"])
			}
		}},
		{Name: "unknown root route", Method: "GET", Path: "/nope", WantStatus: 404, WantCode: "not_found"},
		{Name: "unknown api route", Method: "GET", Path: "/api/v1/nope", WantStatus: 404, WantCode: "not_found"},
		{Name: "unknown api version", Method: "POST", Path: "/api/v2/auctions", Body: map[string]any{}, WantStatus: 404, WantCode: "not_found"},
		{Name: "unknown route with a token", Method: "GET", Path: "/api/v1/nope", Token: u.Token, WantStatus: 404, WantCode: "not_found"},
		{Name: "unknown method on a known path", Method: "DELETE", Path: "/api/v1/me", Token: u.Token, WantStatus: 404, WantCode: "not_found"},
		{Name: "request line over 8 KiB", Method: "GET", Path: "/api/v1/nope?q=" + strings.Repeat("长", 4000),
			WantStatus: 431, WantCode: "headers_too_large"},
		{Name: "websocket route without upgrade", Method: "GET", Path: "/ws/auctions/000000000000000000000000", WantStatus: 426, WantCode: "upgrade_required"},
		{Name: "request id is echoed", Method: "GET", Path: "/api/v1/nope", Headers: []string{"X-Request-Id", "rid-abc-123"},
			WantStatus: 404, Check: func(t *testing.T, r testserver.Resp) {
				if got := r.Header.Get("X-Request-Id"); got != "rid-abc-123" {
					t.Fatalf("X-Request-Id %q", got)
				}
			}},
		{Name: "request id is made when absent", Method: "GET", Path: "/healthz", WantStatus: 200, Check: func(t *testing.T, r testserver.Resp) {
			if r.Header.Get("X-Request-Id") == "" {
				t.Fatal("no X-Request-Id")
			}
		}},
	})
}

// Every route the app serves is in the OpenAPI document (the contract says
// everything the server offers is described there).
func TestErrorsOpenAPICoversRoutes(t *testing.T) {
	ts := testserver.Start(t)
	r := ts.Do("GET", "/api/openapi.json", "", nil)
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(r.Body, &doc); err != nil {
		t.Fatal(err)
	}
	param := regexp.MustCompile(`:([A-Za-z]+)`)
	checked := 0
	for _, rt := range ts.S.App.GetRoutes(true) {
		if rt.Method == "HEAD" || rt.Path == "/" || strings.HasSuffix(rt.Path, "*") || rt.Method == "USE" {
			continue
		}
		p := param.ReplaceAllString(rt.Path, "{$1}")
		ops, ok := doc.Paths[p]
		if !ok {
			t.Errorf("route %s %s is not in openapi.json", rt.Method, p)
			continue
		}
		if _, ok := ops[strings.ToLower(rt.Method)]; !ok {
			t.Errorf("route %s %s: method not in openapi.json", rt.Method, p)
		}
		checked++
	}
	if checked < 20 {
		t.Fatalf("only %d routes checked; the app serves more", checked)
	}
}

func TestErrorsRateLimit(t *testing.T) {
	ts := testserver.Start(t, func(c *server.Config) { c.RateLimit = 2 })
	u := ts.Register("buyer") // one request from this address before the burst

	const n = 40
	resps := make([]testserver.Resp, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := ts.Try("GET", "/api/v1/auctions", "", nil)
			if err != nil {
				t.Errorf("request %d: %v", i, err)
			}
			resps[i] = r
		}()
	}
	wg.Wait()
	ok, limited := 0, 0
	for _, r := range resps {
		switch r.Status {
		case http.StatusOK:
			ok++
		case http.StatusTooManyRequests:
			limited++
			e := testserver.AssertErrorShape(t, r)
			if e.Code != "rate_limited" {
				t.Errorf("429 code %q", e.Code)
			}
			if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 1 {
				t.Errorf("429 Retry-After %q", r.Header.Get("Retry-After"))
			}
		default:
			t.Errorf("unexpected %d %s", r.Status, r.Body)
		}
	}
	if limited == 0 || ok == 0 {
		t.Fatalf("%d ok, %d limited: want some of each", ok, limited)
	}
	// limits are per client: the address is limited now, but a client with
	// a token has its own allowance, and health checks are never limited.
	// (a 10 s window may have turned over: keep asking until limited again)
	limitedAgain := false
	for range 25 {
		if r := ts.Do("GET", "/api/v1/auctions", "", nil); r.Status == http.StatusTooManyRequests {
			limitedAgain = true
			break
		}
	}
	if !limitedAgain {
		t.Fatal("the address is not limited any more")
	}
	if r := ts.Do("GET", "/api/v1/me", u.Token, nil); r.Status != http.StatusOK {
		t.Fatalf("a token's own allowance: %d %s", r.Status, r.Body)
	}
	if r := ts.Do("GET", "/healthz", "", nil); r.Status != http.StatusOK {
		t.Fatalf("healthz while limited: %d", r.Status)
	}
}

// A JSON body over 1 MiB is answered 413 with the error shape, and the
// client gets to read that answer (every time, not only when the timing
// is lucky).
func TestErrorsBodyTooLarge(t *testing.T) {
	ts := testserver.Start(t)
	for _, n := range []int{1<<20 + 10, 1_200_000, 4 << 20} {
		body := `{"phone":"13900000000","password":"` + strings.Repeat("x", n) + `","name":"x","role":"farmer"}`
		resets := 0
		for range 10 {
			r, err := ts.Try("POST", "/api/v1/auth/register", "", body)
			if err != nil {
				resets++
				continue
			}
			if r.Status != http.StatusRequestEntityTooLarge {
				t.Fatalf("%d bytes: %d %s", len(body), r.Status, r.Body)
			}
			if e := testserver.AssertErrorShape(t, r); e.Code != "too_large" {
				t.Fatalf("%d bytes: code %q", len(body), e.Code)
			}
		}
		if resets > 0 {
			t.Errorf("%d bytes: %d of 10 requests got a reset connection instead of the 413", len(body), resets)
		}
	}
	// exactly at the limit is still read (and refused only for its content)
	pw := strings.Repeat("x", 1<<20-80)
	body := `{"phone":"13900000000","password":"` + pw + `","name":"x","role":"farmer"}`
	for len(body) < 1<<20 {
		body += " "
	}
	r := ts.Do("POST", "/api/v1/auth/register", "", body)
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a body of exactly 1 MiB: %d %s", r.Status, r.Body)
	}
}

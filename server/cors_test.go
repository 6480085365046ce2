package server_test

import (
	"testing"

	"github.com/liaoning12316/agrimaker/internal/testserver"
)

// TestCORS: browser programs on other origins may call the API (preflight
// and actual requests), and read the headers they need (ETag, Retry-After).
func TestCORS(t *testing.T) {
	ts := testserver.Start(t)
	ts.RunScenarios(t, []testserver.Scenario{
		{Name: "preflight for a keyed GET", Method: "OPTIONS", Path: "/api/v1/datasets",
			Headers: []string{"Origin", "https://dev.example.cn", "Access-Control-Request-Method", "GET",
				"Access-Control-Request-Headers", "x-api-key,if-none-match"},
			WantStatus: 204, Check: func(t *testing.T, r testserver.Resp) {
				if r.Header.Get("Access-Control-Allow-Origin") != "*" {
					t.Fatalf("allow-origin %q", r.Header.Get("Access-Control-Allow-Origin"))
				}
				if h := r.Header.Get("Access-Control-Allow-Headers"); h == "" {
					t.Fatal("no Access-Control-Allow-Headers")
				}
			}},
		{Name: "actual request exposes ETag", Method: "GET", Path: "/api/v1/datasets",
			Headers: []string{"Origin", "https://dev.example.cn"}, WantStatus: 200, Check: func(t *testing.T, r testserver.Resp) {
				if r.Header.Get("Access-Control-Allow-Origin") != "*" || r.Header.Get("Access-Control-Expose-Headers") == "" {
					t.Fatalf("CORS headers missing: %v", r.Header)
				}
				if r.Header.Get("ETag") == "" {
					t.Fatal("the catalogue has no ETag")
				}
			}},
	})
}

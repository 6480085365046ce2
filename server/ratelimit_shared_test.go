package server_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/liaoning12316/agrimaker/internal/testserver"
	"github.com/liaoning12316/agrimaker/server"
)

// TestRateLimitSharedAcrossProcesses: with two processes on one database,
// each allows half the limit, so a client spread over both by a balancer
// meets the configured limit whichever process answers.
func TestRateLimitSharedAcrossProcesses(t *testing.T) {
	limit := func(c *server.Config) { c.RateLimit = 3 } // 30 requests per 10-second window in all
	a := testserver.Start(t, limit)
	b := testserver.Start(t, limit, testserver.SharingDB(a))
	testserver.WaitFor(t, 10*time.Second, "both processes to see each other", func() bool {
		return a.S.Market.Processes() == 2 && b.S.Market.Processes() == 2
	})
	ok := 0
	for i := 0; i < 60; i++ {
		ts := a
		if i%2 == 1 {
			ts = b
		}
		r := ts.Do("GET", "/api/v1/datasets", "", nil)
		switch r.Status {
		case http.StatusOK:
			ok++
		case http.StatusTooManyRequests:
		default:
			t.Fatalf("request %d: %d %s", i, r.Status, r.Body)
		}
	}
	// 15 a window on each of two processes: 30 in all, not 60.
	if ok < 28 || ok > 32 {
		t.Fatalf("%d of 60 requests admitted across two processes, want about 30", ok)
	}
}

// TestRateLimitBehindProxy: behind a trusted balancer, each client behind
// it has its own limit (by X-Forwarded-For); without one configured, the
// header is ignored, so a client cannot dodge its limit by forging it.
func TestRateLimitBehindProxy(t *testing.T) {
	admitted := func(ts *testserver.TS, forwardedFor string) int {
		ok := 0
		for i := 0; i < 15; i++ {
			if r := ts.Do("GET", "/api/v1/datasets", "", nil, "X-Forwarded-For", forwardedFor); r.Status == http.StatusOK {
				ok++
			}
		}
		return ok
	}
	limit := func(c *server.Config) { c.RateLimit = 1 } // 10 per window
	behind := testserver.Start(t, limit, func(c *server.Config) { c.TrustedProxies = []string{"127.0.0.1"} })
	if a, b := admitted(behind, "10.0.0.1"), admitted(behind, "10.0.0.2, 127.0.0.1"); a != 10 || b != 10 {
		t.Fatalf("behind a trusted proxy: %d and %d admitted, want 10 each (one limit per client)", a, b)
	}
	direct := testserver.Start(t, limit)
	if a, b := admitted(direct, "10.0.0.1"), admitted(direct, "10.0.0.2"); a+b != 10 {
		t.Fatalf("no trusted proxy: %d + %d admitted, want 10 in all (the header ignored)", a, b)
	}
}

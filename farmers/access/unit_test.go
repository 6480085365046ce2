package access

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

func TestCallerHas(t *testing.T) {
	key := &Caller{OrgID: "o", KeyID: "k", Audience: AudienceFinance, Scopes: []string{ScopePricesRead}}
	user := userCaller(&farmers.User{ID: "u"})
	for _, tc := range []struct {
		c     *Caller
		scope string
		want  bool
	}{
		{key, "", true},
		{key, ScopePricesRead, true},
		{key, ScopeRegistryRead, false},
		{key, ScopeSupplyWrite, false},
		{&Caller{}, "", true},
		{&Caller{}, ScopePricesRead, false},
		{user, ScopeSupplyWrite, true},
		{user, ScopeRegistryRead, true},
	} {
		if got := tc.c.Has(tc.scope); got != tc.want {
			t.Errorf("%+v.Has(%q) = %v, want %v", tc.c, tc.scope, got, tc.want)
		}
	}
	if !key.ViaKey() || user.ViaKey() || user.Audience != AudiencePlatform {
		t.Error("ViaKey / platform audience")
	}
	user.Scopes[0] = "changed"
	if AllScopes[0] != ScopeRegistryRead {
		t.Fatal("a caller's scopes alias AllScopes")
	}
}

func TestBucket(t *testing.T) {
	b := newBuckets()
	t0 := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	for i := range 6 { // rate 3: burst 6
		if ok, _ := b.take("k", 3.0, t0); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, wait := b.take("k", 3.0, t0)
	if ok || wait <= 0 || wait > time.Second/3+time.Millisecond || retrySeconds(wait) != 1 {
		t.Fatalf("over the burst: ok=%v wait=%v", ok, wait)
	}
	if ok, _ := b.take("other", 3.0, t0); !ok {
		t.Fatal("buckets are per key")
	}
	if ok, _ := b.take("k", 3.0, t0.Add(wait)); !ok {
		t.Fatal("not admitted once the wait is over")
	}
	b.prune(t0.Add(idleBucket + time.Second))
	if len(b.m) != 0 {
		t.Fatalf("idle buckets kept: %d", len(b.m))
	}
}

func TestUntilMidnight(t *testing.T) {
	at := time.Date(2026, 5, 1, 23, 59, 30, 0, tz.Shanghai)
	if got := untilMidnight(at); got != 30 {
		t.Errorf("untilMidnight(23:59:30) = %d", got)
	}
	if got := untilMidnight(time.Date(2026, 5, 1, 23, 59, 59, 999e6, tz.Shanghai)); got != 1 {
		t.Errorf("a moment before midnight = %d, want 1", got)
	}
	utc := time.Date(2026, 5, 1, 15, 0, 0, 0, time.UTC) // 23:00 in Shanghai
	if got := untilMidnight(utc); got != 3600 {
		t.Errorf("untilMidnight(15:00Z) = %d, want 3600", got)
	}
	if dayOf(utc) != "2026-05-01" || dayOf(utc.Add(time.Hour)) != "2026-05-02" {
		t.Error("days are Shanghai days")
	}
}

func TestSecrets(t *testing.T) {
	s := newSecret()
	if !wellFormed(s) || len(s) != secretLen || secretHash(s) == secretHash(newSecret()) {
		t.Fatalf("secret %q", s)
	}
	for _, bad := range []string{"", "ak_", s[:len(s)-1], "xx" + s[2:], s[:10] + "zz" + s[12:]} {
		if wellFormed(bad) {
			t.Errorf("wellFormed(%q)", bad)
		}
	}
}

// TestQuotaCounts: the first request of an org reads the others' count
// once, concurrent requests never admit past the limit, and a failing read
// fails open.
func TestQuotaCounts(t *testing.T) {
	var reads int
	var mu sync.Mutex
	others := func(_ context.Context, _ string, orgs []string) (map[string]int64, error) {
		mu.Lock()
		defer mu.Unlock()
		reads++
		if orgs[0] == "broken" {
			return nil, errors.New("down")
		}
		return map[string]int64{"o": 40}, nil
	}
	q := newQuotas(time.Hour, others, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx := context.Background()
	var admitted sync.WaitGroup
	var n, refused int64
	var cmu sync.Mutex
	for range 50 {
		admitted.Go(func() {
			ok := q.admit(ctx, "o", "2026-05-01", 50)
			cmu.Lock()
			if ok {
				n++
			} else {
				refused++
			}
			cmu.Unlock()
		})
	}
	admitted.Wait()
	if n != 10 || refused != 40 || reads != 1 {
		t.Fatalf("admitted %d, refused %d, reads %d; want 10, 40, 1", n, refused, reads)
	}
	if !q.admit(ctx, "broken", "2026-05-01", 1) {
		t.Fatal("a failed read must fail open")
	}
}

// TestKeyCacheForgetDuringLoad: a load that began before a revocation is
// not cached, so the revocation is not undone by a stale read.
func TestKeyCacheForgetDuringLoad(t *testing.T) {
	c := newKeyCache(time.Hour)
	org := &Org{ID: "o"}
	stale := authEntry{key: &Key{ID: "k"}, org: org}
	_, _ = c.get(context.Background(), "h", func(string) (authEntry, error) {
		c.forgetOrg("o") // an administrator suspends the org meanwhile
		return stale, nil
	})
	loads := 0
	_, _ = c.get(context.Background(), "h", func(string) (authEntry, error) { loads++; return stale, nil })
	if loads != 1 {
		t.Fatal("an entry loaded across a forget was cached")
	}
	_, _ = c.get(context.Background(), "h", func(string) (authEntry, error) { loads++; return stale, nil })
	if loads != 1 {
		t.Fatal("a clean load was not cached")
	}
}

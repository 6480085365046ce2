package access_test

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/liaoning12316/agrimaker/internal/testserver"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

// TestRateLimit: a key at 1 request a second may burst 2, then gets 429
// with Retry-After, then is admitted again once a token is back.
func TestRateLimit(t *testing.T) {
	ts, admin := start(t)
	owner := ts.Register("buyer")
	org := newOrg(t, ts, admin, owner, grant(nil, 1000, 1))
	key := createKey(t, ts, owner, org).Secret

	whoami(t, ts, key) // the burst: 2
	whoami(t, ts, key)
	// The third is refused unless a second went by meanwhile (a slow
	// machine): then one of the next few is.
	var r testserver.Resp
	for range 5 {
		if r = withKey(ts, "/developer/whoami", key); r.Status != http.StatusOK {
			break
		}
	}
	wantErr(t, r, http.StatusTooManyRequests, "rate_limited")
	wait, err := strconv.Atoi(r.Header.Get("Retry-After"))
	if err != nil || wait < 1 || wait > 2 {
		t.Fatalf("Retry-After %q, want 1 or 2 seconds", r.Header.Get("Retry-After"))
	}
	time.Sleep(time.Duration(wait) * time.Second)
	whoami(t, ts, key)

	// Another key of the same organisation has its own bucket.
	whoami(t, ts, createKey(t, ts, owner, org).Secret)
}

// TestQuota: with quotaPerDay 5 the 6th request of the day is refused until
// midnight in Shanghai, for every key of the organisation; refusals are
// not metered.
func TestQuota(t *testing.T) {
	ts, admin := start(t)
	owner := ts.Register("buyer")
	org := newOrg(t, ts, admin, owner, grant([]string{"prices:read"}, 5, 100))
	k1, k2 := createKey(t, ts, owner, org).Secret, createKey(t, ts, owner, org).Secret

	for i := range 5 {
		wantOK(t, withKey(ts, "/developer/whoami", []string{k1, k2}[i%2]))
	}
	for _, k := range []string{k1, k2} {
		r := withKey(ts, "/developer/scopecheck/prices:read", k)
		wantErr(t, r, http.StatusTooManyRequests, "quota_exceeded")
		now := time.Now().In(tz.Shanghai)
		midnight := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, tz.Shanghai)
		want := int(midnight.Sub(now).Seconds())
		got, err := strconv.Atoi(r.Header.Get("Retry-After"))
		if err != nil || got < want-2 || got > want+2 || got < 1 {
			t.Fatalf("Retry-After %q, want about %d (seconds to Shanghai midnight)", r.Header.Get("Retry-After"), want)
		}
	}
	u := usage(t, ts, owner.Token, org, "")
	if u.UsedToday != 5 || u.QuotaPerDay != 5 {
		t.Fatalf("usage after refusals: %+v", u)
	}

	// Raising the quota applies at once.
	wantOK(t, ts.Do("PUT", v1+"/orgs/"+org, admin.Token, map[string]any{"quotaPerDay": 6}))
	wantOK(t, withKey(ts, "/developer/whoami", k1))
	wantErr(t, withKey(ts, "/developer/whoami", k2), http.StatusTooManyRequests, "quota_exceeded")
}

type usageAnswer struct {
	Items []struct {
		Day, Scope string
		Count      int64
	}
	QuotaPerDay, UsedToday int64
}

func usage(t *testing.T, ts *testserver.TS, token, org, query string) usageAnswer {
	t.Helper()
	r := ts.Do("GET", v1+"/orgs/"+org+"/usage"+query, token, nil)
	wantOK(t, r)
	var u usageAnswer
	r.Decode(t, &u)
	return u
}

// counts maps "scope" to today's count in a usage answer.
func (u usageAnswer) counts(day string) map[string]int64 {
	m := map[string]int64{}
	for _, it := range u.Items {
		if it.Day == day {
			m[it.Scope] += it.Count
		}
	}
	return m
}

// TestUsageAcrossProcesses: two servers on one database, meters flushed
// only at shutdown. What the stopped one flushed and what the live one has
// not flushed yet add up, in usage and in the quota.
func TestUsageAcrossProcesses(t *testing.T) {
	a, admin := start(t, flushEvery(time.Hour))
	b := testserver.Start(t, testserver.SharingDB(a), flushEvery(time.Hour))
	owner := a.Register("buyer")
	org := newOrg(t, a, admin, owner, grant([]string{"prices:read", "supply:read"}, 10, 100))
	key := createKey(t, a, owner, org).Secret

	for range 3 {
		wantOK(t, withKey(b, "/developer/scopecheck/prices:read", key))
	}
	wantOK(t, withKey(b, "/developer/whoami", key))
	b.Stop() // flushes 4 readings' worth

	for range 2 {
		wantOK(t, withKey(a, "/developer/scopecheck/supply:read", key))
	}
	today := time.Now().In(tz.Shanghai).Format("2006-01-02")
	u := usage(t, a, owner.Token, org, "?from="+today+"&to="+today)
	got := u.counts(today)
	if got["prices:read"] != 3 || got["none"] != 1 || got["supply:read"] != 2 || u.UsedToday != 6 || len(u.Items) != 3 {
		t.Fatalf("usage = %+v, want prices:read 3, none 1, supply:read 2, usedToday 6", u)
	}
	// A range without today still reports today's total.
	if u := usage(t, a, owner.Token, org, "?from=2020-01-01&to=2020-01-31"); len(u.Items) != 0 || u.UsedToday != 6 {
		t.Fatalf("usage of 2020: %+v", u)
	}

	// The quota (10) counts the other process's 4 and this one's 2.
	for range 4 {
		wantOK(t, withKey(a, "/developer/whoami", key))
	}
	wantErr(t, withKey(a, "/developer/whoami", key), http.StatusTooManyRequests, "quota_exceeded")
}

// TestUsageFlushed: with a short flush interval the readings reach the
// database, and usage reads them once (no double count with memory).
func TestUsageFlushed(t *testing.T) {
	ts, admin := start(t, flushEvery(50*time.Millisecond))
	owner := ts.Register("buyer")
	org := newOrg(t, ts, admin, owner, grant(nil, 1000, 100))
	key := createKey(t, ts, owner, org).Secret
	for range 7 {
		wantOK(t, withKey(ts, "/developer/whoami", key))
	}
	testserver.WaitFor(t, 5*time.Second, "readings in the database", func() bool {
		n, err := ts.S.Store.DB.Collection("access_usage").CountDocuments(t.Context(), map[string]any{"org": org})
		return err == nil && n > 0
	})
	time.Sleep(200 * time.Millisecond)
	for range 3 {
		wantOK(t, withKey(ts, "/developer/whoami", key))
	}
	if u := usage(t, ts, owner.Token, org, ""); u.UsedToday != 10 {
		t.Fatalf("usedToday = %d, want 10: %+v", u.UsedToday, u)
	}
}

// TestApproveConcurrently: 20 administrators' requests racing to approve
// one application make exactly one organisation; approvals racing
// rejections of another let exactly one decision through.
func TestApproveConcurrently(t *testing.T) {
	ts, admin := start(t)
	owner := ts.Register("buyer")
	race := func(id string, body func(i int) (string, map[string]any)) map[int]int {
		var mu sync.Mutex
		statuses := map[int]int{}
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Go(func() {
				verb, b := body(i)
				r, err := ts.Try("POST", v1+"/developer/applications/"+id+"/"+verb, admin.Token, b)
				if err != nil {
					t.Error(err)
					return
				}
				if r.Status == 409 && r.ErrCode() != "already_decided" {
					t.Errorf("409 with code %q", r.ErrCode())
				}
				mu.Lock()
				statuses[r.Status]++
				mu.Unlock()
			})
		}
		wg.Wait()
		return statuses
	}

	id := apply(t, ts, owner)
	got := race(id, func(i int) (string, map[string]any) { return "approve", grant(nil, 100+i, 1) })
	if got[200] != 1 || got[409] != 19 {
		t.Fatalf("statuses of 20 approvals: %v, want one 200 and 19 409", got)
	}
	n, err := ts.S.Store.DB.Collection("access_orgs").CountDocuments(t.Context(), map[string]any{"_id": id})
	if err != nil || n != 1 {
		t.Fatalf("%d organisations for the application (%v)", n, err)
	}

	id = apply(t, ts, owner)
	got = race(id, func(i int) (string, map[string]any) {
		if i%2 == 0 {
			return "approve", grant(nil, 100, 1)
		}
		return "reject", map[string]any{"reason": fmt.Sprint("no ", i)}
	})
	if got[200] != 1 || got[409] != 19 {
		t.Fatalf("statuses of 10 approvals racing 10 rejections: %v", got)
	}
}

package contest_test

import (
	"net/http"
	"testing"

	"github.com/liaoning12316/agrimaker/internal/testserver"
)

// TestContestExactlyOnce races one-time actions from several goroutines:
// on the embedded store, whose updates are not atomic, each must still
// happen exactly once (they rest on unique-key inserts).
func TestContestExactlyOnce(t *testing.T) {
	f := newFixture(t)
	ts := f.ts
	ed := f.edition(editionBody(2030, 0))
	const n = 6

	// The same person joins n teams at once: one team gets them.
	shared := testserver.NewPhone()
	leaders := make([]testserver.User, n)
	for i := range leaders {
		leaders[i] = ts.Register("farmer")
	}
	var created []string
	codes := concurrently(n, func(i int) int {
		b := entryBody(ed, leaders[i], i, "合作社")
		b["members"] = append(b["members"].([]any), map[string]any{"name": "共享队员", "phone": shared, "org": "x", "role": "member", "region": "210100"})
		r, err := ts.Try("POST", api+"/entries", leaders[i].Token, b)
		if err == nil && r.Status == http.StatusConflict && r.ErrCode() != "member_taken" {
			return -2
		}
		return status(r, err)
	})
	if !sameCounts(codes, map[int]int{201: 1, 409: n - 1}) {
		t.Fatalf("joining %d teams at once: %v", n, codes)
	}
	var mine struct{ Items []struct{ ID string } }
	for i, c := range codes {
		if c == http.StatusCreated {
			f.must(http.StatusOK, "GET", api+"/me/entries", leaders[i].Token, nil, &mine)
			created = append(created, mine.Items[0].ID)
			leaders[0] = leaders[i]
		}
	}
	entry, leader := created[0], leaders[0]

	// Submitted from n tabs at once, through two server processes sharing
	// the database: one submission.
	peer := testserver.Start(t, testserver.SharingDB(ts))
	codes = concurrently(n, func(i int) int {
		return status([]*testserver.TS{ts, peer}[i%2].Try("POST", api+"/entries/"+entry+"/submit", leader.Token, nil))
	})
	if !sameCounts(codes, map[int]int{200: 1, 409: n - 1}) {
		t.Fatalf("submitting %d times at once: %v", n, codes)
	}
	// Vetoed by n organisers at once: one veto.
	codes = concurrently(n, func(int) int {
		return status(ts.Try("POST", api+"/entries/"+entry+"/veto", f.org.Token, map[string]string{"reason": "重复报名"}))
	})
	if !sameCounts(codes, map[int]int{200: 1, 409: n - 1}) {
		t.Fatalf("vetoing %d times at once: %v", n, codes)
	}
	var log struct{ Items []struct{ Kind string } }
	f.must(http.StatusOK, "GET", api+"/editions/"+ed+"/audit?entry="+entry, f.org.Token, nil, &log)
	if len(log.Items) != 2 || log.Items[0].Kind != "entry_submitted" || log.Items[1].Kind != "entry_vetoed" {
		t.Fatalf("audit of the raced entry: %+v", log.Items)
	}
}

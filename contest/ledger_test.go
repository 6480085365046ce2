package contest

import (
	"math"
	"testing"
)

// TestLedgerSheetVersions: a submission locks version v; a reopen of v
// unlocks it and the next submission is v+1, which is what makes the
// resubmission's id differ from the first one's.
func TestLedgerSheetVersions(t *testing.T) {
	sub := func(v int, x float64) AuditEvent {
		return AuditEvent{ID: scoreKey("r", "e", "j", v), Kind: EvScoreSubmit, Round: "r", Entry: "e", Judge: "j", Version: v, Sheet: ScoreSheet{"a": x}}
	}
	reopen := func(v int) AuditEvent {
		return AuditEvent{ID: reopenKey("r", "e", "j", v), Kind: EvScoreReopen, Round: "r", Entry: "e", Judge: "j", Version: v}
	}
	for _, c := range []struct {
		name    string
		evs     []AuditEvent
		locked  bool
		value   float64
		version int
	}{
		{"nothing", nil, false, 0, 0},
		{"submitted", []AuditEvent{sub(0, 3)}, true, 3, 0},
		{"reopened", []AuditEvent{sub(0, 3), reopen(0)}, false, 0, 1},
		{"resubmitted", []AuditEvent{sub(0, 3), reopen(0), sub(1, 5)}, true, 5, 1},
	} {
		l := newLedger(c.evs)
		ev, locked := l.lockedSheet("r", "e", "j")
		st := l.sheets[sheetKey{"r", "e", "j"}]
		if locked != c.locked || ev.Sheet["a"] != c.value || st.version() != c.version {
			t.Errorf("%s: locked %v value %v version %d; want %v %v %d", c.name, locked, ev.Sheet["a"], st.version(), c.locked, c.value, c.version)
		}
	}
}

// TestLedgerEntryStatus: the log alone says whether an entry competes.
func TestLedgerEntryStatus(t *testing.T) {
	l := newLedger([]AuditEvent{
		{Kind: EvSubmitted, Entry: "a"}, {Kind: EvReviewed, Entry: "a", Verdict: VerdictIneligible},
		{Kind: EvReviewed, Entry: "a", Verdict: VerdictEligible}, // a later review wins
		{Kind: EvSubmitted, Entry: "b"}, {Kind: EvReviewed, Entry: "b", Verdict: VerdictEligible}, {ID: "veto/b", Kind: EvVetoed, Entry: "b"},
		{Kind: EvSubmitted, Entry: "c"}, {ID: "withdraw/c", Kind: EvWithdrawn, Entry: "c"},
	})
	for id, want := range map[string]bool{"a": true, "b": false, "c": false, "d": false} {
		if got := l.competing(id); got != want {
			t.Errorf("competing(%s) = %v, want %v", id, got, want)
		}
	}
	if l.status("c") != StatusWithdrawn || l.status("d") != StatusDraft {
		t.Errorf("statuses: c %s, d %s", l.status("c"), l.status("d"))
	}
}

// TestLedgerUndoneVotes: undone votes are not replayed, and their seq is
// never reused.
func TestLedgerUndoneVotes(t *testing.T) {
	vote := func(seq int64, w, l string) AuditEvent {
		return AuditEvent{ID: voteKey("r", seq), Kind: EvVote, Round: "r", Judge: "j", Seq: seq, Winner: w, Loser: l}
	}
	led := newLedger([]AuditEvent{vote(1, "a", "b"), vote(2, "b", "c"), {Kind: EvVoteUndone, Round: "r", Seq: 2}, vote(3, "a", "c")})
	vs := led.votes["r"]
	if len(vs) != 2 || vs[0].Seq != 1 || vs[1].Seq != 3 || led.lastSeq["r"] != 3 {
		t.Fatalf("votes %+v, last seq %d", vs, led.lastSeq["r"])
	}
}

// TestPairwiseRanking: the ranking a pairwise round reports is Crowd-BT's
// order by mu, without entries never compared; a judge who always prefers
// the same direction yields that order.
func TestPairwiseRanking(t *testing.T) {
	m, err := NewCrowdBT([]string{"a", "b", "c", "d"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range [][2]string{{"c", "b"}, {"c", "a"}, {"b", "a"}} {
		if _, err := m.Vote("j", p[0], p[1]); err != nil {
			t.Fatal(err)
		}
	}
	got := pairwiseRanking(m)
	if len(got) != 3 || got[0].EntryID != "c" || got[1].EntryID != "b" || got[2].EntryID != "a" {
		t.Fatalf("ranking %+v", got)
	}
	for i, r := range got {
		if r.Rank != i+1 || r.Score != r.Raw || len(r.Keys) != 1 || math.Abs(r.Keys[0]-r.Score) > 1e-9 {
			t.Errorf("line %d: %+v", i, r)
		}
	}
}

// TestCountedScoresDropped: a submitted sheet counts only while its pair
// is assigned; a pair an organiser removed no longer moves the score.
// Hand computation: totals 80 (j1) and 40 (j2) give a mean of 60; with
// j2's pair dropped, 80.
func TestCountedScoresDropped(t *testing.T) {
	r := Rubric{Criteria: []Criterion{{Key: "a", Name: "A", Weight: 1, Min: 0, Max: 100}}}
	subs := []AuditEvent{
		{ID: "s1", Kind: EvScoreSubmit, Round: "r", Entry: "e", Judge: "j1", Sheet: ScoreSheet{"a": 80}},
		{ID: "s2", Kind: EvScoreSubmit, Round: "r", Entry: "e", Judge: "j2", Sheet: ScoreSheet{"a": 40}},
	}
	rd := &roundData{round: &Round{ID: "r", Mode: ModeScores, Rubric: r, Aggregate: AggregateConfig{Method: MethodWeightedMean}},
		ids: []string{"e"}, ledger: newLedger(subs),
		assignment: &assignmentDoc{Result: AssignResult{Assignments: []Assignment{{EntryID: "e", JudgeID: "j1"}, {EntryID: "e", JudgeID: "j2"}}}}}
	for _, c := range []struct {
		pairs int
		want  float64
	}{{2, 60}, {1, 80}} {
		rd.assignment.Result.Assignments = rd.assignment.Result.Assignments[:c.pairs]
		res, _, err := rd.rank()
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != 1 || res[0].Score != c.want {
			t.Errorf("with %d pairs: %+v, want score %v", c.pairs, res, c.want)
		}
	}
}

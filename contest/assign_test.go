package contest

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// checkAssignment verifies the properties every Assign result must have,
// whatever the input: no conflicted, forbidden or duplicate pair; every
// entry has min(K, allowed) judges and exactly the short ones are reported,
// with a reason; loads match; and no single move of a movable assignment
// from a judge to one carrying two or more fewer reviews is possible.
func checkAssignment(t *testing.T, in AssignInput, res AssignResult) {
	t.Helper()
	ent := map[string]Entry{}
	for _, e := range in.Entries {
		ent[e.ID] = e
	}
	jud := map[string]Judge{}
	for _, j := range in.Judges {
		jud[j.ID] = j
	}
	forbid := map[[2]string]bool{}
	for _, l := range in.Locks {
		if l.Kind == LockForbid {
			forbid[[2]string{l.EntryID, l.JudgeID}] = true
		}
	}
	allowed := func(e Entry, j Judge) bool {
		c, _ := Conflicted(j, e, in.CityRule)
		return !c && !forbid[[2]string{e.ID, j.ID}]
	}
	has := map[[2]string]Assignment{}
	got := map[string]int{}
	load := map[string]int{}
	for _, a := range res.Assignments {
		k := [2]string{a.EntryID, a.JudgeID}
		if _, dup := has[k]; dup {
			t.Fatalf("pair %v assigned twice", k)
		}
		has[k] = a
		e, j := ent[a.EntryID], jud[a.JudgeID]
		if c, why := Conflicted(j, e, in.CityRule); c {
			t.Fatalf("conflicted pair assigned: %s", why)
		}
		if forbid[k] {
			t.Fatalf("forbidden pair %v assigned", k)
		}
		if j.Inactive && a.Origin != OriginFinished {
			t.Fatalf("inactive judge %s got %s assignment", j.ID, a.Origin)
		}
		got[a.EntryID]++
		load[a.JudgeID]++
	}
	for _, j := range in.Judges {
		if res.Loads[j.ID] != load[j.ID] {
			t.Fatalf("judge %s: reported load %d, counted %d", j.ID, res.Loads[j.ID], load[j.ID])
		}
	}
	short := map[string]Shortfall{}
	for _, s := range res.Shortfalls {
		short[s.EntryID] = s
	}
	for _, e := range in.Entries {
		avail := 0
		for _, j := range in.Judges {
			_, assigned := has[[2]string{e.ID, j.ID}]
			if assigned || (allowed(e, j) && !j.Inactive) {
				avail++
			}
		}
		want := min(in.K, avail)
		if got[e.ID] < want {
			t.Fatalf("entry %s got %d judges, %d were possible", e.ID, got[e.ID], want)
		}
		s, reported := short[e.ID]
		if (got[e.ID] < in.K) != reported {
			t.Fatalf("entry %s: got %d of %d, shortfall reported %v", e.ID, got[e.ID], in.K, reported)
		}
		if reported && (s.Got != got[e.ID] || s.Available != avail || s.Reason == "" ||
			s.Available+s.Declared+s.SameOrg+s.SameCity+s.Forbidden+s.Inactive != len(in.Judges)) {
			t.Fatalf("entry %s: inconsistent shortfall %+v (available %d)", e.ID, s, avail)
		}
	}
	// Local optimality of the load objective.
	for _, a := range res.Assignments {
		if a.Origin != OriginNew && a.Origin != OriginKept {
			continue
		}
		e := ent[a.EntryID]
		for _, b := range in.Judges {
			if b.Inactive || load[b.ID] > load[a.JudgeID]-2 || !allowed(e, b) {
				continue
			}
			if _, ok := has[[2]string{e.ID, b.ID}]; !ok {
				t.Fatalf("entry %s could move from %s (load %d) to %s (load %d)", e.ID, a.JudgeID, load[a.JudgeID], b.ID, load[b.ID])
			}
		}
	}
}

func TestConflictedRules(t *testing.T) {
	j := Judge{ID: "J1", Org: "沈阳农业大学（园艺学院）", City: "210102", DeclaredConflicts: []string{"E9"}}
	cases := []struct {
		e        Entry
		cityRule bool
		want     bool
		kind     string
	}{
		{Entry{ID: "E1", MemberOrgs: []string{"某合作社", "沈阳农业大学(园艺学院)"}}, false, true, "both from"},
		{Entry{ID: "E2", MemberOrgs: []string{" 沈阳农业大学（园艺学院） "}}, false, true, "both from"},
		{Entry{ID: "E3", MemberOrgs: []string{"沈阳农业大学"}}, false, false, ""},
		{Entry{ID: "E9"}, false, true, "declared"},
		{Entry{ID: "E4", City: "210111"}, true, true, "city 210100"},
		{Entry{ID: "E5", City: "210111"}, false, false, ""},
		{Entry{ID: "E6", City: "210200"}, true, false, ""},
	}
	for _, c := range cases {
		got, why := Conflicted(j, c.e, c.cityRule)
		if got != c.want || !strings.Contains(why, c.kind) {
			t.Errorf("%s: got %v %q, want %v containing %q", c.e.ID, got, why, c.want, c.kind)
		}
	}
	if c, _ := Conflicted(Judge{ID: "J2"}, Entry{ID: "E1", MemberOrgs: []string{""}}, true); c {
		t.Error("empty organisation and city must not conflict")
	}
}

// The precomputed conflict check used by Assign must agree with the public
// one on every pair of a random contest.
func TestConflictFactsAgree(t *testing.T) {
	es, js := randomContest(7, 200, 30)
	for _, cityRule := range []bool{false, true} {
		for _, j := range js {
			jf := factsOfJudge(j)
			for _, e := range es {
				ef := factsOfEntry(e)
				k1, _ := conflictOf(j, e, cityRule)
				k2, _ := conflictFacts(&jf, &ef, cityRule)
				if k1 != k2 {
					t.Fatalf("%s/%s city=%v: %q vs %q", j.ID, e.ID, cityRule, k1, k2)
				}
			}
		}
	}
}

func handMadeContest() AssignInput {
	return AssignInput{
		K: 2,
		Entries: []Entry{
			{ID: "E1", Track: "种植", MemberOrgs: []string{"沈阳农业大学"}},
			{ID: "E2", Track: "养殖", MemberOrgs: []string{"某合作社"}},
			{ID: "E3", Track: "种植", MemberOrgs: []string{"大连海洋大学"}},
			{ID: "E4", Track: "养殖", MemberOrgs: []string{"沈阳农业大学"}},
		},
		Judges: []Judge{
			{ID: "J1", Org: "沈阳农业大学", Expertise: []string{"种植"}},
			{ID: "J2", Org: "大连海洋大学", Expertise: []string{"养殖"}},
			{ID: "J3", Org: "辽宁省农业科学院", Expertise: []string{"种植"}, DeclaredConflicts: []string{"E4"}},
		},
	}
}

// Worked by hand: E1 can only have J2, J3 (J1 same org); E3 only J1, J3
// (J2 same org); E4 only J2 (J1 same org, J3 declared), so it is short by
// one. That fixes loads J1=1, J2=2, J3=2 before E2, which may take anyone:
// balance wants J1 plus one of J2/J3, and expertise (E2 is 养殖) picks J2.
func TestAssignHandMade(t *testing.T) {
	in := handMadeContest()
	res, err := Assign(in)
	if err != nil {
		t.Fatal(err)
	}
	checkAssignment(t, in, res)
	var pairs []string
	for _, a := range res.Assignments {
		pairs = append(pairs, a.EntryID+"/"+a.JudgeID)
	}
	want := []string{"E1/J2", "E1/J3", "E2/J1", "E2/J2", "E3/J1", "E3/J3", "E4/J2"}
	if !slices.Equal(pairs, want) {
		t.Fatalf("assignments %v, want %v", pairs, want)
	}
	if !reflect.DeepEqual(res.Loads, map[string]int{"J1": 2, "J2": 3, "J3": 2}) {
		t.Fatalf("loads %v", res.Loads)
	}
	if len(res.Shortfalls) != 1 {
		t.Fatalf("shortfalls %+v", res.Shortfalls)
	}
	s := res.Shortfalls[0]
	wantS := Shortfall{EntryID: "E4", Want: 2, Got: 1, Available: 1, Declared: 1, SameOrg: 1,
		Reason: "only 1 of 2 judges without conflicts: 2 of 3 judges excluded (1 same organisation, 1 declared conflict)"}
	if s != wantS {
		t.Fatalf("shortfall %+v\nwant      %+v", s, wantS)
	}
	// Experts: E1/J3, E2/J2, E3/J1, E3/J3, E4/J2; not E1/J2, E2/J1.
	if res.Stats.ExpertiseMatched != 5 {
		t.Fatalf("expertise matched %d, want 5", res.Stats.ExpertiseMatched)
	}
}

// Organisers' manual changes: a forbid lock removes a finished review (to
// be voided) and the entry is refilled if it can be; a force lock on a
// conflicted pair is refused with a notice; a force lock on an allowed pair
// is honoured even where balance would not choose it.
func TestAssignLocks(t *testing.T) {
	in := handMadeContest()
	in.Existing = []Assignment{{EntryID: "E1", JudgeID: "J2", Finished: true}, {EntryID: "E2", JudgeID: "J3"}}
	in.Locks = []Lock{
		{EntryID: "E1", JudgeID: "J2", Kind: LockForbid},
		{EntryID: "E3", JudgeID: "J2", Kind: LockForce}, // same org: refused
		{EntryID: "E2", JudgeID: "J3", Kind: LockForce},
	}
	res, err := Assign(in)
	if err != nil {
		t.Fatal(err)
	}
	checkAssignment(t, in, res)
	if len(res.Dropped) != 1 || res.Dropped[0].EntryID != "E1" || !res.Dropped[0].Finished ||
		res.Dropped[0].Reason != "removed by an organiser" {
		t.Fatalf("dropped %+v", res.Dropped)
	}
	if len(res.Notices) != 1 || !strings.Contains(res.Notices[0], "force lock E3/J2 refused") {
		t.Fatalf("notices %q", res.Notices)
	}
	origin := map[string]Origin{}
	for _, a := range res.Assignments {
		origin[a.EntryID+"/"+a.JudgeID] = a.Origin
	}
	if origin["E2/J3"] != OriginForced {
		t.Fatalf("E2/J3 origin %q, want forced", origin["E2/J3"])
	}
	// E1 now has only J3 left.
	if _, ok := origin["E1/J3"]; !ok || len(res.Shortfalls) != 2 {
		t.Fatalf("E1 should have J3 and be short: %v %+v", origin, res.Shortfalls)
	}
	if _, err := Assign(AssignInput{Entries: in.Entries, Judges: in.Judges, K: 2, Locks: []Lock{
		{EntryID: "E1", JudgeID: "J3", Kind: LockForce}, {EntryID: "E1", JudgeID: "J3", Kind: LockForbid},
	}}); err == nil {
		t.Fatal("contradictory locks accepted")
	}
}

func TestAssignRejectsBadInput(t *testing.T) {
	in := handMadeContest()
	for name, mod := range map[string]func(*AssignInput){
		"negative k":      func(in *AssignInput) { in.K = -1 },
		"duplicate entry": func(in *AssignInput) { in.Entries = append(in.Entries, in.Entries[0]) },
		"empty judge id":  func(in *AssignInput) { in.Judges = append(in.Judges, Judge{}) },
		"unknown existing": func(in *AssignInput) {
			in.Existing = []Assignment{{EntryID: "E1", JudgeID: "J9"}}
		},
		"unknown lock kind": func(in *AssignInput) { in.Locks = []Lock{{EntryID: "E1", JudgeID: "J3", Kind: "maybe"}} },
	} {
		c := in
		mod(&c)
		if _, err := Assign(c); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func shuffled[T any](r *rand.Rand, xs []T) []T {
	out := slices.Clone(xs)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// Randomised contests of realistic size: 300 entries, 40 judges, k = 5,
// with and without the city rule.
func TestAssignRandomContests(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		for _, cityRule := range []bool{false, true} {
			es, js := randomContest(seed, 300, 40)
			in := AssignInput{Entries: es, Judges: js, K: 5, CityRule: cityRule}
			res, err := Assign(in)
			if err != nil {
				t.Fatal(err)
			}
			checkAssignment(t, in, res)
			if res.Stats.MaxLoad-res.Stats.MinLoad > 1 {
				t.Errorf("seed %d city %v: loads from %d to %d", seed, cityRule, res.Stats.MinLoad, res.Stats.MaxLoad)
			}
			if res.Stats.New != len(res.Assignments) || res.Stats.Placed != res.Stats.New {
				t.Errorf("fresh run stats %+v", res.Stats)
			}
			checkExpertiseOptimal(t, in, res)

			// Determinism: same contest, input slices in another order.
			r := rand.New(rand.NewPCG(seed, 99))
			again, err := Assign(AssignInput{Entries: shuffled(r, es), Judges: shuffled(r, js), K: 5, CityRule: cityRule})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(res, again) {
				t.Fatalf("seed %d: result depends on input order", seed)
			}
		}
	}
}

// checkExpertiseOptimal: on a fresh run no single move gives an entry an
// expert in place of a non-expert without making loads less even (moving
// to a judge with one fewer review keeps Σload² the same).
func checkExpertiseOptimal(t *testing.T, in AssignInput, res AssignResult) {
	t.Helper()
	has := map[[2]string]bool{}
	for _, a := range res.Assignments {
		has[[2]string{a.EntryID, a.JudgeID}] = true
	}
	ent := map[string]Entry{}
	for _, e := range in.Entries {
		ent[e.ID] = e
	}
	for _, a := range res.Assignments {
		if a.ExpertiseMatch {
			continue
		}
		e := ent[a.EntryID]
		for _, b := range in.Judges {
			if res.Loads[b.ID] >= res.Loads[a.JudgeID] || !slices.Contains(b.Expertise, e.Track) || has[[2]string{e.ID, b.ID}] {
				continue
			}
			if c, _ := Conflicted(b, e, in.CityRule); !c {
				t.Fatalf("entry %s could go from non-expert %s (load %d) to expert %s (load %d)",
					e.ID, a.JudgeID, res.Loads[a.JudgeID], b.ID, res.Loads[b.ID])
			}
		}
	}
}

// A re-run after the contest changed: half the reviews are finished, new
// entries arrived, one judge withdrew, a new judge joined and another
// declared a conflict with an entry they hold. Finished reviews stay
// (except the now-conflicted one, reported for voiding), unfinished ones
// stay unless they must move, and every property still holds.
func TestAssignRerunKeepsFinished(t *testing.T) {
	es, js := randomContest(11, 300, 40)
	in := AssignInput{Entries: es, Judges: js, K: 5}
	first, err := Assign(in)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(11, 1))
	var existing []Assignment
	for _, a := range first.Assignments {
		existing = append(existing, Assignment{EntryID: a.EntryID, JudgeID: a.JudgeID, Finished: r.IntN(2) == 0})
	}
	more, _ := randomContest(12, 330, 40)
	es2 := append(slices.Clone(es), more[300:]...)
	js2 := slices.Clone(js)
	js2[3].Inactive = true
	js2 = append(js2, Judge{ID: "J999", Org: "新增评委单位", Expertise: []string{"种植"}})
	// J001 declares a conflict with one of its finished entries.
	var conflicted Assignment
	for _, a := range existing {
		if a.JudgeID == js2[0].ID && a.Finished {
			conflicted = a
			break
		}
	}
	js2[0].DeclaredConflicts = append(slices.Clone(js2[0].DeclaredConflicts), conflicted.EntryID)

	in2 := AssignInput{Entries: es2, Judges: js2, K: 5, Existing: existing}
	res, err := Assign(in2)
	if err != nil {
		t.Fatal(err)
	}
	checkAssignment(t, in2, res)
	has := map[[2]string]Assignment{}
	for _, a := range res.Assignments {
		has[[2]string{a.EntryID, a.JudgeID}] = a
	}
	keptUnfinished, unfinished := 0, 0
	for _, a := range existing {
		b, ok := has[[2]string{a.EntryID, a.JudgeID}]
		switch {
		case a == conflicted:
			if ok {
				t.Fatal("now-conflicted finished review kept")
			}
		case a.Finished:
			if !ok || b.Origin != OriginFinished || !b.Finished {
				t.Fatalf("finished review %v moved (%+v)", a, b)
			}
		default:
			unfinished++
			if ok {
				keptUnfinished++
				if b.Origin != OriginKept {
					t.Fatalf("unfinished %v came back as %s", a, b.Origin)
				}
			} else if a.JudgeID != js2[3].ID && !strings.Contains(reason(res.Dropped, a), "balance") {
				t.Fatalf("unfinished %v dropped: %q", a, reason(res.Dropped, a))
			}
		}
	}
	var sawConflict bool
	for _, d := range res.Dropped {
		if d.Assignment.EntryID == conflicted.EntryID && d.JudgeID == conflicted.JudgeID {
			sawConflict = d.Finished && strings.HasPrefix(d.Reason, "conflict: ")
		}
	}
	if !sawConflict {
		t.Fatalf("conflicted finished review not reported: %+v", res.Dropped)
	}
	// Most unfinished work stays where it was: only the inactive judge's
	// and a few for balance (the new judge takes a share) move.
	if keptUnfinished < unfinished*3/4 {
		t.Fatalf("kept only %d of %d unfinished assignments", keptUnfinished, unfinished)
	}
	t.Logf("kept %d of %d unfinished, dropped %d, stats %+v", keptUnfinished, unfinished, len(res.Dropped), res.Stats)

	// Running again on its own output changes nothing.
	var existing2 []Assignment
	for _, a := range res.Assignments {
		existing2 = append(existing2, Assignment{EntryID: a.EntryID, JudgeID: a.JudgeID, Finished: a.Finished})
	}
	res2, err := Assign(AssignInput{Entries: es2, Judges: js2, K: 5, Existing: existing2})
	if err != nil {
		t.Fatal(err)
	}
	if res2.Stats.New != 0 || len(res2.Dropped) != 0 {
		t.Fatalf("second re-run moved work: %+v, dropped %v", res2.Stats, res2.Dropped)
	}
}

func reason(ds []Dropped, a Assignment) string {
	for _, d := range ds {
		if d.EntryID == a.EntryID && d.JudgeID == a.JudgeID {
			return d.Reason
		}
	}
	return "(not reported)"
}

func benchmarkAssign(b *testing.B, entries, judges int) {
	es, js := randomContest(2026, entries, judges)
	in := AssignInput{Entries: es, Judges: js, K: 5}
	b.ReportAllocs()
	var res AssignResult
	for b.Loop() {
		var err error
		if res, err = Assign(in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(res.Stats.MaxLoad-res.Stats.MinLoad), "load-gap")
	b.ReportMetric(float64(len(res.Shortfalls)), "short-entries")
}

func BenchmarkAssign300x40k5(b *testing.B) { benchmarkAssign(b, 300, 40) }

func BenchmarkAssign3000x200k5(b *testing.B) {
	if testing.Short() {
		b.Skip("large contest; skipped under -short")
	}
	benchmarkAssign(b, 3000, 200)
}

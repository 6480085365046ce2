package contest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// A network small enough to solve by hand. s→a (cap 2, cost 1), s→b (cap
// 1, cost 2), a→t convex (base 1, step 10), a→b (cap 1, cost 0), b→t (cap
// 2, cost 1). Three units leave s. Cheapest: s-a-t (2), s-a-b-t (2) and
// s-b-t (3) = 7; a second unit on a→t would cost 11 on its own.
func TestFlowNetByHand(t *testing.T) {
	const s, a, b, tt = 0, 1, 2, 3
	g := newFlowNet(4)
	g.addArc(s, a, 2, 1)
	g.addArc(s, b, 1, 2)
	at := g.addConvexArc(a, tt, 5, 1, 10)
	g.addArc(a, b, 1, 0)
	g.addArc(b, tt, 2, 1)
	flow, cost := g.run(s, tt)
	if flow != 3 || cost != 7 || g.pairFlow(at) != 1 {
		t.Fatalf("flow %d cost %d (a→t carries %d), want 3, 7, 1", flow, cost, g.pairFlow(at))
	}
}

// Assign's result is compared with exhaustive search on many small random
// contests. The search knows nothing of flows or weights: it enumerates
// every way to give each entry its missing judges and keeps the one with
// the fewest (Σ load², moved unfinished assignments, expertise
// mismatches), compared in that order. Assign must reach the same value.
func TestAssignMatchesExhaustiveSearch(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	for trial := 0; trial < 300; trial++ {
		n, m, k := 3+r.IntN(3), 2+r.IntN(3), 1+r.IntN(2)
		var in AssignInput
		in.K = k
		for i := range n {
			in.Entries = append(in.Entries, Entry{ID: fmt.Sprintf("E%d", i), Track: testTracks[r.IntN(2)]})
		}
		for j := range m {
			jd := Judge{ID: fmt.Sprintf("J%d", j), Expertise: []string{testTracks[r.IntN(2)]}}
			for _, e := range in.Entries {
				if r.IntN(5) == 0 {
					jd.DeclaredConflicts = append(jd.DeclaredConflicts, e.ID)
				}
			}
			in.Judges = append(in.Judges, jd)
		}
		for _, e := range in.Entries {
			for _, j := range in.Judges {
				if c, _ := Conflicted(j, e, false); !c && r.IntN(4) == 0 {
					in.Existing = append(in.Existing, Assignment{EntryID: e.ID, JudgeID: j.ID, Finished: r.IntN(2) == 0})
				}
			}
		}
		res, err := Assign(in)
		if err != nil {
			t.Fatal(err)
		}
		checkAssignment(t, in, res)
		got := objective(in, res.Assignments)
		want, wantCover := exhaustive(in)
		if got != want || res.Stats.Placed != wantCover {
			t.Fatalf("trial %d: Assign reached %v placing %d, search %v placing %d\ninput %+v\nresult %+v",
				trial, got, res.Stats.Placed, want, wantCover, in, res.Assignments)
		}
	}
}

type lexCost struct{ squares, moved, mismatch int }

func (a lexCost) less(b lexCost) bool {
	if a.squares != b.squares {
		return a.squares < b.squares
	}
	if a.moved != b.moved {
		return a.moved < b.moved
	}
	return a.mismatch < b.mismatch
}

// objective values a full assignment: moved counts unfinished existing
// pairs not kept; mismatch counts non-finished pairs without expertise
// (finished ones are fixed and add the same to every candidate).
func objective(in AssignInput, as []Assignment) lexCost {
	load := map[string]int{}
	kept := map[[2]string]bool{}
	var c lexCost
	jud := map[string]Judge{}
	for _, j := range in.Judges {
		jud[j.ID] = j
	}
	track := map[string]string{}
	for _, e := range in.Entries {
		track[e.ID] = e.Track
	}
	for _, a := range as {
		load[a.JudgeID]++
		kept[[2]string{a.EntryID, a.JudgeID}] = true
		if !a.Finished && !slices.Contains(jud[a.JudgeID].Expertise, track[a.EntryID]) {
			c.mismatch++
		}
	}
	for _, l := range load {
		c.squares += l * l
	}
	for _, a := range in.Existing {
		if !a.Finished && !kept[[2]string{a.EntryID, a.JudgeID}] {
			c.moved++
		}
	}
	return c
}

func exhaustive(in AssignInput) (best lexCost, cover int) {
	var fixed []Assignment
	var options [][][]string
	for _, e := range in.Entries {
		var have, elig []string
		for _, a := range in.Existing {
			if a.EntryID == e.ID && a.Finished {
				have = append(have, a.JudgeID)
				fixed = append(fixed, a)
			}
		}
		for _, j := range in.Judges {
			if c, _ := Conflicted(j, e, false); !c && !slices.Contains(have, j.ID) {
				elig = append(elig, j.ID)
			}
		}
		need := min(max(0, in.K-len(have)), len(elig))
		cover += need
		options = append(options, subsets(elig, need))
	}
	first := true
	cur := slices.Clone(fixed)
	var rec func(i int)
	rec = func(i int) {
		if i == len(options) {
			if c := objective(in, cur); first || c.less(best) {
				best, first = c, false
			}
			return
		}
		for _, set := range options[i] {
			n := len(cur)
			for _, j := range set {
				cur = append(cur, Assignment{EntryID: in.Entries[i].ID, JudgeID: j})
			}
			rec(i + 1)
			cur = cur[:n]
		}
	}
	rec(0)
	return best, cover
}

func subsets(xs []string, k int) [][]string {
	if k == 0 {
		return [][]string{nil}
	}
	if len(xs) < k {
		return nil
	}
	var out [][]string
	for _, rest := range subsets(xs[1:], k-1) {
		out = append(out, append([]string{xs[0]}, rest...))
	}
	return append(out, subsets(xs[1:], k)...)
}

package contest

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Origin says why a pair is in an assignment result, so the storage layer
// knows what to create, keep or notify.
type Origin string

const (
	// OriginFinished: an existing finished review, kept as it is.
	OriginFinished Origin = "finished"
	// OriginForced: added by an organiser's force lock.
	OriginForced Origin = "forced"
	// OriginKept: an existing unfinished assignment the optimiser kept.
	OriginKept Origin = "kept"
	// OriginNew: a pair the optimiser added in this run.
	OriginNew Origin = "new"
)

// Assignment is one judge reviewing one entry. On input (existing
// assignments) Origin is ignored; Finished marks reviews already submitted,
// which are never moved.
type Assignment struct {
	EntryID  string `json:"entryId"`
	JudgeID  string `json:"judgeId"`
	Finished bool   `json:"finished,omitempty"`
	Origin   Origin `json:"origin,omitempty"`
	// ExpertiseMatch is set on results when the judge's expertise includes
	// the entry's track.
	ExpertiseMatch bool `json:"expertiseMatch,omitempty"`
}

// LockKind is an organiser's manual decision about one pair.
type LockKind string

const (
	// LockForce adds the pair whatever the optimiser would do (manual add).
	// It is refused, with a notice, for a conflicted pair or an inactive
	// judge: conflict rules are not an organiser's to waive.
	LockForce LockKind = "force"
	// LockForbid keeps the pair out (manual remove). On a finished review it
	// drops the review, which the caller must then void.
	LockForbid LockKind = "forbid"
)

// Lock pins one pair in or out of the assignment.
type Lock struct {
	EntryID string   `json:"entryId"`
	JudgeID string   `json:"judgeId"`
	Kind    LockKind `json:"kind"`
}

// AssignInput is everything one assignment run depends on.
type AssignInput struct {
	Entries []Entry
	Judges  []Judge
	// K is the number of judges each entry should get.
	K int
	// CityRule excludes judges from the entry's own city (city rounds).
	CityRule bool
	// Existing are the round's current assignments, finished or not.
	Existing []Assignment
	Locks    []Lock
}

// Shortfall explains why an entry got fewer than K judges. Since judges
// have no load caps, the only cause is that too few judges may review it:
// the counts say which rules excluded the rest.
type Shortfall struct {
	EntryID string `json:"entryId"`
	Want    int    `json:"want"`
	Got     int    `json:"got"`
	// Available counts the judges allowed to review the entry, including
	// those holding finished reviews of it.
	Available int    `json:"available"`
	Declared  int    `json:"declared"`
	SameOrg   int    `json:"sameOrg"`
	SameCity  int    `json:"sameCity"`
	Forbidden int    `json:"forbidden"`
	Inactive  int    `json:"inactive"`
	Reason    string `json:"reason"`
}

// Dropped is an existing assignment that is not in the result. Finished
// ones (conflicted since, or removed by an organiser) mean a submitted
// review whose score must no longer count.
type Dropped struct {
	Assignment
	Reason string `json:"reason"`
}

// AssignStats summarises a run for the organiser's screen and for tests.
type AssignStats struct {
	Demand           int `json:"demand"` // judge slots the optimiser had to fill
	Placed           int `json:"placed"` // of which it filled
	Finished         int `json:"finished"`
	Forced           int `json:"forced"`
	Kept             int `json:"kept"`
	New              int `json:"new"`
	ExpertiseMatched int `json:"expertiseMatched"`
	// MinLoad and MaxLoad are over active judges with at least one entry
	// they may review.
	MinLoad int `json:"minLoad"`
	MaxLoad int `json:"maxLoad"`
}

// AssignResult is the outcome of Assign. Every slice is sorted, so equal
// inputs give equal results.
type AssignResult struct {
	// Assignments by entry ID, then judge ID.
	Assignments []Assignment   `json:"assignments"`
	Loads       map[string]int `json:"loads"`
	Shortfalls  []Shortfall    `json:"shortfalls"`
	Dropped     []Dropped      `json:"dropped"`
	// Notices are locks that could not be honoured and other remarks.
	Notices []string    `json:"notices"`
	Stats   AssignStats `json:"stats"`
}

// Cost weights. Loads come first, then keeping existing unfinished
// assignments (a judge may already have opened the files), then expertise.
// A flow that is worse on a higher objective always costs more than any
// flow that is only better on lower ones: two min-cost flows differ by
// simple residual cycles, a simple cycle meets each of m judges once and so
// changes at most 2m entry–judge arcs, and each weight exceeds 2m times the
// largest change of everything below it. The weights therefore depend on
// the number of judges only, which keeps costs far from int64 overflow.
func assignWeights(m int) (mismatch, churn, load int64) {
	mismatch = 1
	churn = 2*int64(m)*mismatch + 1
	load = 2*int64(m)*(churn+mismatch) + 1
	return
}

// Assign gives each entry up to K judges without conflicts, by min-cost
// max-flow (as HotCRP's autoassigner does): a unit of flow runs source →
// entry → judge → sink for each new review. Source→entry arcs carry the
// entry's missing reviews; entry→judge arcs exist only for allowed pairs
// and cost more for unfinished assignments that would move and for
// expertise mismatches; judge→sink arcs have convex costs (the L-th review
// of a judge costs L×load), so among maximum flows the optimum has the
// smallest Σ load², which puts loads within one of each other wherever the
// conflict rules allow an exchange. Finished reviews and forced pairs are
// fixed before the flow: they count in entry totals and judge loads and
// never move.
//
// The maximum flow guarantees every entry gets K judges when the allowed
// judges suffice; when they do not, the Shortfalls say why. Inputs are
// sorted by ID first, so the order of the input slices does not matter.
func Assign(in AssignInput) (AssignResult, error) {
	if in.K < 0 {
		return AssignResult{}, fmt.Errorf("k must be >= 0, not %d", in.K)
	}
	entries := slices.Clone(in.Entries)
	judges := slices.Clone(in.Judges)
	slices.SortFunc(entries, func(a, b Entry) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(judges, func(a, b Judge) int { return strings.Compare(a.ID, b.ID) })
	entryIx, err := indexIDs(len(entries), func(i int) string { return entries[i].ID }, "entry")
	if err != nil {
		return AssignResult{}, err
	}
	judgeIx, err := indexIDs(len(judges), func(i int) string { return judges[i].ID }, "judge")
	if err != nil {
		return AssignResult{}, err
	}
	n, m := len(entries), len(judges)
	type pair struct{ e, j int }
	lookup := func(entryID, judgeID, what string) (pair, error) {
		e, ok := entryIx[entryID]
		if !ok {
			return pair{}, fmt.Errorf("%s names unknown entry %q", what, entryID)
		}
		j, ok := judgeIx[judgeID]
		if !ok {
			return pair{}, fmt.Errorf("%s names unknown judge %q", what, judgeID)
		}
		return pair{e, j}, nil
	}

	locks := make(map[pair]LockKind)
	for _, l := range in.Locks {
		p, err := lookup(l.EntryID, l.JudgeID, "lock")
		if err != nil {
			return AssignResult{}, err
		}
		if l.Kind != LockForce && l.Kind != LockForbid {
			return AssignResult{}, fmt.Errorf("lock on %s/%s has unknown kind %q", l.EntryID, l.JudgeID, l.Kind)
		}
		if prev, ok := locks[p]; ok && prev != l.Kind {
			return AssignResult{}, fmt.Errorf("pair %s/%s is both forced and forbidden", l.EntryID, l.JudgeID)
		}
		locks[p] = l.Kind
	}
	existing := make(map[pair]bool) // pair → finished
	for _, a := range in.Existing {
		p, err := lookup(a.EntryID, a.JudgeID, "existing assignment")
		if err != nil {
			return AssignResult{}, err
		}
		existing[p] = existing[p] || a.Finished
	}

	// Conflicts are checked on pre-normalised fields: 3,000 × 200 pairs
	// would otherwise normalise organisation names 600,000 times.
	ji := make([]judgeFacts, m)
	for j := range judges {
		ji[j] = factsOfJudge(judges[j])
	}
	ei := make([]entryFacts, n)
	for e := range entries {
		ei[e] = factsOfEntry(entries[e])
	}

	res := AssignResult{Loads: make(map[string]int, m)}
	notify := func(format string, args ...any) { res.Notices = append(res.Notices, fmt.Sprintf(format, args...)) }
	fixedCount := make([]int, n)
	fixedLoad := make([]int, m)
	fixed := make(map[pair]Origin)
	sticky := make(map[pair]bool)
	var dropped []Dropped

	sortedPairs := func(set map[pair]bool) []pair {
		ps := make([]pair, 0, len(set))
		for p := range set {
			ps = append(ps, p)
		}
		slices.SortFunc(ps, func(a, b pair) int { return cmp.Or(cmp.Compare(a.e, b.e), cmp.Compare(a.j, b.j)) })
		return ps
	}
	for _, p := range sortedPairs(existing) {
		finished := existing[p]
		e, j := entries[p.e], judges[p.j]
		a := Assignment{EntryID: e.ID, JudgeID: j.ID, Finished: finished}
		kind, _ := conflictFacts(&ji[p.j], &ei[p.e], in.CityRule)
		switch {
		case kind != NoConflict:
			_, why := Conflicted(j, e, in.CityRule)
			dropped = append(dropped, Dropped{a, "conflict: " + why})
		case locks[p] == LockForbid:
			dropped = append(dropped, Dropped{a, "removed by an organiser"})
		case finished:
			fixed[p] = OriginFinished
		case locks[p] == LockForce:
			// handled with the locks below
		case j.Inactive:
			dropped = append(dropped, Dropped{a, "judge " + j.ID + " is inactive"})
		default:
			sticky[p] = true
		}
	}
	forced := make(map[pair]bool)
	for p, k := range locks {
		if k == LockForce {
			forced[p] = true
		}
	}
	for _, p := range sortedPairs(forced) {
		e, j := entries[p.e], judges[p.j]
		if _, ok := fixed[p]; ok {
			continue // already a finished review
		}
		if c, why := Conflicted(j, e, in.CityRule); c {
			notify("force lock %s/%s refused: %s", e.ID, j.ID, why)
			continue
		}
		if j.Inactive {
			notify("force lock %s/%s refused: judge %s is inactive", e.ID, j.ID, j.ID)
			if _, was := existing[p]; was {
				dropped = append(dropped, Dropped{Assignment{EntryID: e.ID, JudgeID: j.ID}, "judge " + j.ID + " is inactive"})
			}
			continue
		}
		fixed[p] = OriginForced
	}
	for p := range fixed {
		fixedCount[p.e]++
		fixedLoad[p.j]++
	}

	// The network: 0 source, 1..n entries, n+1..n+m judges, n+m+1 sink.
	const src = 0
	sink := n + m + 1
	mismatch, churn, loadW := assignWeights(m)
	g := newFlowNet(n + m + 2)
	g.reserve(n*m + n + m)
	type arcRef struct{ p, e, j int }
	arcs := make([]arcRef, 0, n*m)
	eligible := make([]int, m) // allowed, not-yet-fixed entries per judge
	need := make([]int, n)
	excl := make([]Shortfall, n)
	for e := range entries {
		need[e] = max(0, in.K-fixedCount[e])
		for j := range judges {
			p := pair{e, j}
			if _, ok := fixed[p]; ok {
				excl[e].Available++
				continue
			}
			kind, _ := conflictFacts(&ji[j], &ei[e], in.CityRule)
			switch {
			case kind == ConflictDeclared:
				excl[e].Declared++
			case kind == ConflictOrg:
				excl[e].SameOrg++
			case kind == ConflictCity:
				excl[e].SameCity++
			case locks[p] == LockForbid:
				excl[e].Forbidden++
			case judges[j].Inactive:
				excl[e].Inactive++
			default:
				excl[e].Available++
				if need[e] == 0 {
					continue
				}
				eligible[j]++
				cost := int64(0)
				if !sticky[p] {
					cost += churn
				}
				if !ji[j].expert[ei[e].track] {
					cost += mismatch
				}
				arcs = append(arcs, arcRef{g.addArc(1+e, 1+n+j, 1, cost), e, j})
			}
		}
		if need[e] > 0 {
			g.addArc(src, 1+e, need[e], 0)
			res.Stats.Demand += need[e]
		}
	}
	for j := range judges {
		if eligible[j] > 0 {
			g.addConvexArc(1+n+j, sink, eligible[j], loadW*int64(fixedLoad[j]+1), loadW)
		}
	}
	flow, _ := g.run(src, sink)
	res.Stats.Placed = flow

	for p, o := range fixed {
		res.Assignments = append(res.Assignments, Assignment{
			EntryID: entries[p.e].ID, JudgeID: judges[p.j].ID, Finished: o == OriginFinished, Origin: o,
		})
	}
	got := slices.Clone(fixedCount)
	load := slices.Clone(fixedLoad)
	placed := make(map[pair]bool)
	newCount := make([]int, n)
	for _, a := range arcs {
		if g.pairFlow(a.p) == 0 {
			continue
		}
		p := pair{a.e, a.j}
		placed[p] = true
		got[a.e]++
		load[a.j]++
		o := OriginNew
		if sticky[p] {
			o = OriginKept
		} else {
			newCount[a.e]++
		}
		res.Assignments = append(res.Assignments, Assignment{EntryID: entries[a.e].ID, JudgeID: judges[a.j].ID, Origin: o})
	}
	for _, p := range sortedPairs(sticky) {
		if placed[p] {
			continue
		}
		why := "moved to balance judge loads"
		switch {
		case need[p.e] == 0:
			why = fmt.Sprintf("entry already has %d finished or forced reviews", fixedCount[p.e])
		case newCount[p.e] == 0:
			why = fmt.Sprintf("entry needs only %d judges", in.K)
		}
		dropped = append(dropped, Dropped{Assignment{EntryID: entries[p.e].ID, JudgeID: judges[p.j].ID}, why})
	}
	for i := range res.Assignments {
		a := &res.Assignments[i]
		a.ExpertiseMatch = ji[judgeIx[a.JudgeID]].expert[ei[entryIx[a.EntryID]].track]
		if a.ExpertiseMatch {
			res.Stats.ExpertiseMatched++
		}
		switch a.Origin {
		case OriginFinished:
			res.Stats.Finished++
		case OriginForced:
			res.Stats.Forced++
		case OriginKept:
			res.Stats.Kept++
		case OriginNew:
			res.Stats.New++
		}
	}
	slices.SortFunc(res.Assignments, func(a, b Assignment) int {
		return cmp.Or(strings.Compare(a.EntryID, b.EntryID), strings.Compare(a.JudgeID, b.JudgeID))
	})
	slices.SortFunc(dropped, func(a, b Dropped) int {
		return cmp.Or(strings.Compare(a.EntryID, b.EntryID), strings.Compare(a.JudgeID, b.JudgeID))
	})
	res.Dropped = dropped
	slices.Sort(res.Notices)

	first := true
	for j := range judges {
		res.Loads[judges[j].ID] = load[j]
		if judges[j].Inactive || eligible[j]+fixedLoad[j] == 0 {
			continue
		}
		if first || load[j] < res.Stats.MinLoad {
			res.Stats.MinLoad = load[j]
		}
		if first || load[j] > res.Stats.MaxLoad {
			res.Stats.MaxLoad = load[j]
		}
		first = false
	}
	for e := range entries {
		if got[e] >= in.K {
			continue
		}
		s := excl[e]
		s.EntryID, s.Want, s.Got = entries[e].ID, in.K, got[e]
		s.Reason = shortfallReason(s, m)
		res.Shortfalls = append(res.Shortfalls, s)
	}
	return res, nil
}

// shortfallReason says in one line why an entry is short of judges.
func shortfallReason(s Shortfall, m int) string {
	var parts []string
	for _, c := range []struct {
		n    int
		what string
	}{
		{s.SameOrg, "same organisation"},
		{s.SameCity, "same city"},
		{s.Declared, "declared conflict"},
		{s.Forbidden, "removed by organisers"},
		{s.Inactive, "inactive"},
	} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.what))
		}
	}
	if s.Available >= s.Want {
		// Cannot happen while judges have no load caps; say so plainly
		// rather than invent a cause.
		return fmt.Sprintf("only %d of %d judges assigned although %d may review it", s.Got, s.Want, s.Available)
	}
	if len(parts) == 0 {
		return fmt.Sprintf("only %d of %d judges: the panel has %d judges", s.Got, s.Want, m)
	}
	return fmt.Sprintf("only %d of %d judges without conflicts: %d of %d judges excluded (%s)",
		s.Got, s.Want, m-s.Available, m, strings.Join(parts, ", "))
}

// indexIDs maps IDs to positions and rejects empty or repeated IDs, which
// would make results ambiguous.
func indexIDs(n int, id func(int) string, what string) (map[string]int, error) {
	ix := make(map[string]int, n)
	var errs []error
	for i := 0; i < n; i++ {
		s := id(i)
		if s == "" {
			errs = append(errs, fmt.Errorf("a %s has an empty ID", what))
			continue
		}
		if _, dup := ix[s]; dup {
			errs = append(errs, fmt.Errorf("%s ID %q is used twice", what, s))
			continue
		}
		ix[s] = i
	}
	return ix, errors.Join(errs...)
}

// judgeFacts and entryFacts hold the normalised fields conflict checks and
// expertise matching need, computed once per run.
type judgeFacts struct {
	org      string
	city     string
	declared map[string]bool
	expert   map[string]bool
}

type entryFacts struct {
	id    string
	orgs  []string
	city  string
	track string
}

func factsOfJudge(j Judge) judgeFacts {
	f := judgeFacts{org: normOrg(j.Org), city: CityOf(j.City), declared: map[string]bool{}, expert: map[string]bool{}}
	for _, id := range j.DeclaredConflicts {
		f.declared[id] = true
	}
	for _, t := range j.Expertise {
		f.expert[strings.TrimSpace(t)] = true
	}
	return f
}

func factsOfEntry(e Entry) entryFacts {
	f := entryFacts{id: e.ID, city: CityOf(e.City), track: strings.TrimSpace(e.Track)}
	for _, o := range e.MemberOrgs {
		f.orgs = append(f.orgs, normOrg(o))
	}
	return f
}

// conflictFacts is conflictOf on precomputed facts; the two must agree
// (a test checks it).
func conflictFacts(j *judgeFacts, e *entryFacts, cityRule bool) (ConflictKind, string) {
	if j.declared[e.id] {
		return ConflictDeclared, ""
	}
	if j.org != "" {
		for _, o := range e.orgs {
			if o == j.org {
				return ConflictOrg, o
			}
		}
	}
	if cityRule && j.city != "" && j.city == e.city {
		return ConflictCity, j.city
	}
	return NoConflict, ""
}

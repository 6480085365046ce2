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
	r, err := newAssignRun(in)
	if err != nil {
		return AssignResult{}, err
	}
	r.classifyExisting()
	r.applyForceLocks()
	r.countFixed()
	nw := r.buildNetwork()
	flow, _ := nw.g.run(nw.src, nw.sink)
	r.res.Stats.Placed = flow
	got, load := r.collectAssignments(nw)
	r.annotateAssignments()
	r.sortResult()
	r.loadStats(load, nw.eligible)
	r.addShortfalls(got, nw.excl)
	return r.res, nil
}

// ejPair is an entry–judge pair by index into the run's sorted entries and
// judges; indexes rather than IDs keep the n×m loops cheap.
type ejPair struct{ e, j int }

// comparePairs orders pairs by entry, then judge, the order every result
// slice is reported in.
func comparePairs(a, b ejPair) int {
	return cmp.Or(cmp.Compare(a.e, b.e), cmp.Compare(a.j, b.j))
}

// sortedPairs lists a set's pairs in a fixed order, so that nothing
// depends on map iteration order.
func sortedPairs(set map[ejPair]bool) []ejPair {
	ps := make([]ejPair, 0, len(set))
	for p := range set {
		ps = append(ps, p)
	}
	slices.SortFunc(ps, comparePairs)
	return ps
}

// assignRun is the state of one Assign call. Keeping it in one struct lets
// each step of the run be its own short method without passing a dozen
// maps and slices around.
type assignRun struct {
	k        int
	cityRule bool
	entries  []Entry // sorted by ID
	judges   []Judge // sorted by ID
	entryIx  map[string]int
	judgeIx  map[string]int
	ei       []entryFacts
	ji       []judgeFacts
	locks    map[ejPair]LockKind
	existing map[ejPair]bool // pair → finished
	// fixed pairs (finished or forced) are settled before the flow runs.
	fixed      map[ejPair]Origin
	fixedCount []int // fixed pairs per entry
	fixedLoad  []int // fixed pairs per judge
	// sticky pairs are unfinished existing assignments the flow should
	// prefer to keep.
	sticky  map[ejPair]bool
	dropped []Dropped
	res     AssignResult
}

// newAssignRun sorts and indexes the input and reads its locks and
// existing assignments, rejecting whatever would make the run ambiguous.
// Sorting first is what makes the result independent of input order.
func newAssignRun(in AssignInput) (*assignRun, error) {
	if in.K < 0 {
		return nil, fmt.Errorf("k must be >= 0, not %d", in.K)
	}
	r := &assignRun{k: in.K, cityRule: in.CityRule}
	r.entries = slices.Clone(in.Entries)
	r.judges = slices.Clone(in.Judges)
	slices.SortFunc(r.entries, func(a, b Entry) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(r.judges, func(a, b Judge) int { return strings.Compare(a.ID, b.ID) })
	var err error
	if r.entryIx, err = indexIDs(len(r.entries), func(i int) string { return r.entries[i].ID }, "entry"); err != nil {
		return nil, err
	}
	if r.judgeIx, err = indexIDs(len(r.judges), func(i int) string { return r.judges[i].ID }, "judge"); err != nil {
		return nil, err
	}
	if err := r.readLocks(in.Locks); err != nil {
		return nil, err
	}
	if err := r.readExisting(in.Existing); err != nil {
		return nil, err
	}
	r.computeFacts()
	n, m := len(r.entries), len(r.judges)
	r.res = AssignResult{Loads: make(map[string]int, m)}
	r.fixedCount = make([]int, n)
	r.fixedLoad = make([]int, m)
	r.fixed = make(map[ejPair]Origin)
	r.sticky = make(map[ejPair]bool)
	return r, nil
}

// lookup turns IDs into a pair; an unknown ID is an error rather than a
// silent skip, since the caller's data would then be inconsistent.
func (r *assignRun) lookup(entryID, judgeID, what string) (ejPair, error) {
	e, ok := r.entryIx[entryID]
	if !ok {
		return ejPair{}, fmt.Errorf("%s names unknown entry %q", what, entryID)
	}
	j, ok := r.judgeIx[judgeID]
	if !ok {
		return ejPair{}, fmt.Errorf("%s names unknown judge %q", what, judgeID)
	}
	return ejPair{e, j}, nil
}

// readLocks indexes the locks. Repeating a lock is harmless, but forcing
// and forbidding the same pair has no meaning and is refused.
func (r *assignRun) readLocks(locks []Lock) error {
	r.locks = make(map[ejPair]LockKind)
	for _, l := range locks {
		p, err := r.lookup(l.EntryID, l.JudgeID, "lock")
		if err != nil {
			return err
		}
		if l.Kind != LockForce && l.Kind != LockForbid {
			return fmt.Errorf("lock on %s/%s has unknown kind %q", l.EntryID, l.JudgeID, l.Kind)
		}
		if prev, ok := r.locks[p]; ok && prev != l.Kind {
			return fmt.Errorf("pair %s/%s is both forced and forbidden", l.EntryID, l.JudgeID)
		}
		r.locks[p] = l.Kind
	}
	return nil
}

// readExisting indexes the existing assignments; a pair listed twice is
// finished if either listing says so, so a submitted review is never lost.
func (r *assignRun) readExisting(existing []Assignment) error {
	r.existing = make(map[ejPair]bool)
	for _, a := range existing {
		p, err := r.lookup(a.EntryID, a.JudgeID, "existing assignment")
		if err != nil {
			return err
		}
		r.existing[p] = r.existing[p] || a.Finished
	}
	return nil
}

// computeFacts pre-normalises the fields conflict checks use: 3,000 × 200
// pairs would otherwise normalise organisation names 600,000 times.
func (r *assignRun) computeFacts() {
	r.ji = make([]judgeFacts, len(r.judges))
	for j := range r.judges {
		r.ji[j] = factsOfJudge(r.judges[j])
	}
	r.ei = make([]entryFacts, len(r.entries))
	for e := range r.entries {
		r.ei[e] = factsOfEntry(r.entries[e])
	}
}

// conflict is the conflict kind of a pair under this run's rules.
func (r *assignRun) conflict(p ejPair) ConflictKind {
	kind, _ := conflictFacts(&r.ji[p.j], &r.ei[p.e], r.cityRule)
	return kind
}

// drop records an existing assignment that will not be in the result, so
// the caller can void or withdraw it.
func (r *assignRun) drop(p ejPair, finished bool, why string) {
	a := Assignment{EntryID: r.entries[p.e].ID, JudgeID: r.judges[p.j].ID, Finished: finished}
	r.dropped = append(r.dropped, Dropped{a, why})
}

// classifyExisting decides the fate of each existing assignment before the
// flow: conflicts and organisers' removals drop it, finished reviews are
// fixed, forced pairs wait for applyForceLocks, inactive judges lose it,
// and the rest become sticky (kept if the optimiser can afford it).
func (r *assignRun) classifyExisting() {
	for _, p := range sortedPairs(r.existing) {
		finished := r.existing[p]
		switch {
		case r.conflict(p) != NoConflict:
			_, why := Conflicted(r.judges[p.j], r.entries[p.e], r.cityRule)
			r.drop(p, finished, "conflict: "+why)
		case r.locks[p] == LockForbid:
			r.drop(p, finished, "removed by an organiser")
		case finished:
			r.fixed[p] = OriginFinished
		case r.locks[p] == LockForce:
			// handled by applyForceLocks
		case r.judges[p.j].Inactive:
			r.drop(p, finished, "judge "+r.judges[p.j].ID+" is inactive")
		default:
			r.sticky[p] = true
		}
	}
}

// applyForceLocks fixes the forced pairs. Conflicts and inactive judges
// are not an organiser's to waive, so those locks are refused with a
// notice instead.
func (r *assignRun) applyForceLocks() {
	forced := make(map[ejPair]bool)
	for p, k := range r.locks {
		if k == LockForce {
			forced[p] = true
		}
	}
	for _, p := range sortedPairs(forced) {
		e, j := r.entries[p.e], r.judges[p.j]
		if _, ok := r.fixed[p]; ok {
			continue // already a finished review
		}
		if c, why := Conflicted(j, e, r.cityRule); c {
			r.notify("force lock %s/%s refused: %s", e.ID, j.ID, why)
			continue
		}
		if j.Inactive {
			r.notify("force lock %s/%s refused: judge %s is inactive", e.ID, j.ID, j.ID)
			if _, was := r.existing[p]; was {
				r.drop(p, false, "judge "+j.ID+" is inactive")
			}
			continue
		}
		r.fixed[p] = OriginForced
	}
}

// notify adds a remark for the organiser.
func (r *assignRun) notify(format string, args ...any) {
	r.res.Notices = append(r.res.Notices, fmt.Sprintf(format, args...))
}

// countFixed counts fixed pairs per entry and per judge: they reduce what
// an entry still needs and start each judge's load.
func (r *assignRun) countFixed() {
	for p := range r.fixed {
		r.fixedCount[p.e]++
		r.fixedLoad[p.j]++
	}
}

// arcRef ties a flow arc back to the pair it stands for.
type arcRef struct{ p, e, j int }

// assignNet is the flow network of one run, with what the later steps
// need to read results and explain shortfalls.
type assignNet struct {
	g         *flowNet
	src, sink int
	arcs      []arcRef
	eligible  []int // allowed, not-yet-fixed entries per judge
	need      []int // reviews each entry still needs
	excl      []Shortfall
}

// buildNetwork lays out the network: 0 source, 1..n entries, n+1..n+m
// judges, n+m+1 sink.
func (r *assignRun) buildNetwork() *assignNet {
	n, m := len(r.entries), len(r.judges)
	nw := &assignNet{
		g:        newFlowNet(n + m + 2),
		src:      0,
		sink:     n + m + 1,
		arcs:     make([]arcRef, 0, n*m),
		eligible: make([]int, m),
		need:     make([]int, n),
		excl:     make([]Shortfall, n),
	}
	nw.g.reserve(n*m + n + m)
	for e := range r.entries {
		nw.need[e] = max(0, r.k-r.fixedCount[e])
		r.addEntryArcs(nw, e)
		if nw.need[e] > 0 {
			nw.g.addArc(nw.src, 1+e, nw.need[e], 0)
			r.res.Stats.Demand += nw.need[e]
		}
	}
	r.addJudgeArcs(nw)
	return nw
}

// addEntryArcs adds an arc from entry e to each judge allowed to review it
// and, as it goes, counts the judges each rule excludes, which is what a
// shortfall report needs.
func (r *assignRun) addEntryArcs(nw *assignNet, e int) {
	n := len(r.entries)
	x := &nw.excl[e]
	for j := range r.judges {
		p := ejPair{e, j}
		if _, ok := r.fixed[p]; ok {
			x.Available++
			continue
		}
		switch kind := r.conflict(p); {
		case kind == ConflictDeclared:
			x.Declared++
		case kind == ConflictOrg:
			x.SameOrg++
		case kind == ConflictCity:
			x.SameCity++
		case r.locks[p] == LockForbid:
			x.Forbidden++
		case r.judges[j].Inactive:
			x.Inactive++
		default:
			x.Available++
			if nw.need[e] == 0 {
				continue
			}
			nw.eligible[j]++
			nw.arcs = append(nw.arcs, arcRef{nw.g.addArc(1+e, 1+n+j, 1, r.arcCost(p)), e, j})
		}
	}
}

// arcCost prices an entry→judge arc: moving an unfinished assignment
// (churn) and missing the judge's expertise (mismatch) both cost, with
// weights chosen so that loads always matter most (see assignWeights).
func (r *assignRun) arcCost(p ejPair) int64 {
	mismatch, churn, _ := assignWeights(len(r.judges))
	cost := int64(0)
	if !r.sticky[p] {
		cost += churn
	}
	if !r.ji[p.j].expert[r.ei[p.e].track] {
		cost += mismatch
	}
	return cost
}

// addJudgeArcs adds each judge's convex arc to the sink. Its first unit
// costs as the judge's first review after the fixed ones, which is what
// lets fixed reviews count towards load balance.
func (r *assignRun) addJudgeArcs(nw *assignNet) {
	n := len(r.entries)
	_, _, loadW := assignWeights(len(r.judges))
	for j := range r.judges {
		if nw.eligible[j] > 0 {
			nw.g.addConvexArc(1+n+j, nw.sink, nw.eligible[j], loadW*int64(r.fixedLoad[j]+1), loadW)
		}
	}
}

// collectAssignments turns fixed pairs and the flow into result
// assignments and reports the sticky pairs the flow moved. It returns the
// final judges per entry and reviews per judge.
func (r *assignRun) collectAssignments(nw *assignNet) (got, load []int) {
	for p, o := range r.fixed {
		r.res.Assignments = append(r.res.Assignments, Assignment{
			EntryID: r.entries[p.e].ID, JudgeID: r.judges[p.j].ID, Finished: o == OriginFinished, Origin: o,
		})
	}
	got = slices.Clone(r.fixedCount)
	load = slices.Clone(r.fixedLoad)
	placed := make(map[ejPair]bool)
	newCount := make([]int, len(r.entries))
	for _, a := range nw.arcs {
		if nw.g.pairFlow(a.p) == 0 {
			continue
		}
		p := ejPair{a.e, a.j}
		placed[p] = true
		got[a.e]++
		load[a.j]++
		o := OriginNew
		if r.sticky[p] {
			o = OriginKept
		} else {
			newCount[a.e]++
		}
		r.res.Assignments = append(r.res.Assignments, Assignment{EntryID: r.entries[a.e].ID, JudgeID: r.judges[a.j].ID, Origin: o})
	}
	r.dropUnplaced(nw, placed, newCount)
	return got, load
}

// dropUnplaced reports the sticky pairs the flow did not keep, with the
// likeliest reason, so the judge can be told why the entry went away.
func (r *assignRun) dropUnplaced(nw *assignNet, placed map[ejPair]bool, newCount []int) {
	for _, p := range sortedPairs(r.sticky) {
		if placed[p] {
			continue
		}
		why := "moved to balance judge loads"
		switch {
		case nw.need[p.e] == 0:
			why = fmt.Sprintf("entry already has %d finished or forced reviews", r.fixedCount[p.e])
		case newCount[p.e] == 0:
			why = fmt.Sprintf("entry needs only %d judges", r.k)
		}
		r.drop(p, false, why)
	}
}

// annotateAssignments marks expertise matches and counts assignments by
// origin for the stats.
func (r *assignRun) annotateAssignments() {
	st := &r.res.Stats
	for i := range r.res.Assignments {
		a := &r.res.Assignments[i]
		a.ExpertiseMatch = r.ji[r.judgeIx[a.JudgeID]].expert[r.ei[r.entryIx[a.EntryID]].track]
		if a.ExpertiseMatch {
			st.ExpertiseMatched++
		}
		switch a.Origin {
		case OriginFinished:
			st.Finished++
		case OriginForced:
			st.Forced++
		case OriginKept:
			st.Kept++
		case OriginNew:
			st.New++
		}
	}
}

// sortResult puts every result slice in a fixed order: the assignments
// were gathered partly from a map, and equal inputs must give equal
// results.
func (r *assignRun) sortResult() {
	slices.SortFunc(r.res.Assignments, func(a, b Assignment) int {
		return cmp.Or(strings.Compare(a.EntryID, b.EntryID), strings.Compare(a.JudgeID, b.JudgeID))
	})
	slices.SortFunc(r.dropped, func(a, b Dropped) int {
		return cmp.Or(strings.Compare(a.EntryID, b.EntryID), strings.Compare(a.JudgeID, b.JudgeID))
	})
	r.res.Dropped = r.dropped
	slices.Sort(r.res.Notices)
}

// loadStats records every judge's load and the min and max over judges
// who could have had work: an inactive judge, or one every entry conflicts
// with, would otherwise make loads look uneven.
func (r *assignRun) loadStats(load, eligible []int) {
	st := &r.res.Stats
	first := true
	for j := range r.judges {
		r.res.Loads[r.judges[j].ID] = load[j]
		if r.judges[j].Inactive || eligible[j]+r.fixedLoad[j] == 0 {
			continue
		}
		if first || load[j] < st.MinLoad {
			st.MinLoad = load[j]
		}
		if first || load[j] > st.MaxLoad {
			st.MaxLoad = load[j]
		}
		first = false
	}
}

// addShortfalls explains each entry that got fewer than K judges, from
// the exclusion counts gathered while building the network.
func (r *assignRun) addShortfalls(got []int, excl []Shortfall) {
	for e := range r.entries {
		if got[e] >= r.k {
			continue
		}
		s := excl[e]
		s.EntryID, s.Want, s.Got = r.entries[e].ID, r.k, got[e]
		s.Reason = shortfallReason(s, len(r.judges))
		r.res.Shortfalls = append(r.res.Shortfalls, s)
	}
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

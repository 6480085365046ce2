package contest

import "sort"

// ledger is an edition's log folded into current state. Every handler
// that needs to know whether an entry is submitted, which sheets are
// locked or who advanced builds one from a single read of the log, so
// state derived from one-time events is never stale or half-written.
type ledger struct {
	submitted map[string]AuditEvent // entry → submission
	withdrawn map[string]AuditEvent
	vetoed    map[string]AuditEvent
	review    map[string]AuditEvent // entry → latest review
	// sheets holds, per round|entry|judge, the submission history.
	sheets    map[sheetKey]*sheetState
	votes     map[string][]PairVote // round → live votes in seq order
	lastSeq   map[string]int64      // round → highest vote seq ever used
	voteOf    map[string]AuditEvent // vote id → event (for undo checks)
	undone    map[string]bool       // vote id → undone
	advanced  map[string]AuditEvent // round → advancement
	awarded   map[string]AuditEvent // round → awards
	published *AuditEvent
	events    []AuditEvent
}

type sheetKey struct{ round, entry, judge string }

// sheetState: version v counts reopens. Submission v locks the sheet until
// reopen v; the next submission is v+1.
type sheetState struct {
	submissions map[int]AuditEvent
	reopens     map[int]AuditEvent
}

// version is the number of the next submission.
func (st *sheetState) version() int {
	if st == nil {
		return 0
	}
	return len(st.reopens)
}

// current is the locked submission, if the sheet is locked.
func (st *sheetState) current() (AuditEvent, bool) {
	if st == nil {
		return AuditEvent{}, false
	}
	ev, ok := st.submissions[st.version()]
	return ev, ok
}

// lastReopen is the reopening that unlocked the sheet's current version.
func (st *sheetState) lastReopen() (AuditEvent, bool) {
	if st == nil || st.version() == 0 {
		return AuditEvent{}, false
	}
	ev, ok := st.reopens[st.version()-1]
	return ev, ok
}

func newLedger(evs []AuditEvent) *ledger {
	l := &ledger{
		submitted: map[string]AuditEvent{}, withdrawn: map[string]AuditEvent{},
		vetoed: map[string]AuditEvent{}, review: map[string]AuditEvent{},
		sheets: map[sheetKey]*sheetState{}, votes: map[string][]PairVote{},
		lastSeq: map[string]int64{}, voteOf: map[string]AuditEvent{}, undone: map[string]bool{},
		advanced: map[string]AuditEvent{}, awarded: map[string]AuditEvent{},
		events: evs,
	}
	for _, ev := range evs {
		l.apply(ev)
	}
	l.collectVotes()
	return l
}

func (l *ledger) apply(ev AuditEvent) {
	switch ev.Kind {
	case EvSubmitted:
		l.submitted[ev.Entry] = ev
	case EvWithdrawn:
		l.withdrawn[ev.Entry] = ev
	case EvVetoed:
		l.vetoed[ev.Entry] = ev
	case EvReviewed:
		l.review[ev.Entry] = ev
	case EvScoreSubmit:
		l.sheet(ev).submissions[ev.Version] = ev
	case EvScoreReopen:
		l.sheet(ev).reopens[ev.Version] = ev
	case EvVote:
		l.voteOf[ev.ID] = ev
		l.lastSeq[ev.Round] = max(l.lastSeq[ev.Round], ev.Seq)
	case EvVoteUndone:
		l.undone[voteKey(ev.Round, ev.Seq)] = true
	case EvAdvanced:
		l.advanced[ev.Round] = ev
	case EvAwarded:
		l.awarded[ev.Round] = ev
	case EvPublished:
		p := ev
		l.published = &p
	}
}

func (l *ledger) sheet(ev AuditEvent) *sheetState {
	k := sheetKey{ev.Round, ev.Entry, ev.Judge}
	st := l.sheets[k]
	if st == nil {
		st = &sheetState{submissions: map[int]AuditEvent{}, reopens: map[int]AuditEvent{}}
		l.sheets[k] = st
	}
	return st
}

// collectVotes lists each round's votes that were not undone, by seq: the
// log Crowd-BT replays.
func (l *ledger) collectVotes() {
	for id, ev := range l.voteOf {
		if !l.undone[id] {
			l.votes[ev.Round] = append(l.votes[ev.Round], PairVote{Seq: ev.Seq, JudgeID: ev.Judge, Winner: ev.Winner, Loser: ev.Loser})
		}
	}
	for _, vs := range l.votes {
		sort.Slice(vs, func(i, j int) bool { return vs[i].Seq < vs[j].Seq })
	}
}

// Entry statuses, derived from the log.
const (
	StatusDraft     = "draft"
	StatusSubmitted = "submitted"
	StatusWithdrawn = "withdrawn"
)

// status is an entry's lifecycle status.
func (l *ledger) status(entry string) string {
	if _, ok := l.withdrawn[entry]; ok {
		return StatusWithdrawn
	}
	if _, ok := l.submitted[entry]; ok {
		return StatusSubmitted
	}
	return StatusDraft
}

// competing reports whether an entry takes part in judging: submitted,
// not withdrawn, reviewed eligible and not vetoed.
func (l *ledger) competing(entry string) bool {
	_, vetoed := l.vetoed[entry]
	return l.status(entry) == StatusSubmitted && l.review[entry].Verdict == VerdictEligible && !vetoed
}

// lockedSheet returns the submitted sheet of a judge for an entry, if any.
func (l *ledger) lockedSheet(round, entry, judge string) (AuditEvent, bool) {
	return l.sheets[sheetKey{round, entry, judge}].current()
}

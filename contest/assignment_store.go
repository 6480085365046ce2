package contest

import (
	"context"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

// assignmentDoc is a round's current assignment, one document per round
// replaced whole by each run: runs are deterministic functions of the
// round's data, so two concurrent runs write the same pairs and a crash
// leaves either the old or the new assignment, never a mix.
type assignmentDoc struct {
	ID      string       `bson:"_id"` // the round
	Edition string       `bson:"edition"`
	Result  AssignResult `bson:"result"`
	RunAt   time.Time    `bson:"runAt"`
	RunBy   string       `bson:"runBy"`
}

type lockDoc struct {
	ID    string   `bson:"_id"` // round/entry/judge
	Round string   `bson:"round"`
	Entry string   `bson:"entry"`
	Judge string   `bson:"judge"`
	Kind  LockKind `bson:"kind"`
}

// AssignmentView is what organisers see of a round's assignment.
type AssignmentView struct {
	Round string    `json:"round"`
	RunAt time.Time `json:"runAt"`
	RunBy string    `json:"runBy"`
	AssignResult
}

// roundData is everything about one round, loaded with one query per
// collection rather than one per entry (the embedded store scans a whole
// collection on every read).
type roundData struct {
	round      *Round
	edition    *Edition
	rounds     []Round
	docs       map[string]*entryDoc // the edition's entries
	ids        []string             // the round's entries, sorted
	ledger     *ledger
	judges     []PoolJudge
	assignment *assignmentDoc
}

func (s *Service) loadRound(ctx context.Context, id string) (*roundData, error) {
	r, err := s.round(ctx, id)
	if err != nil {
		return nil, err
	}
	rd := &roundData{round: r, docs: map[string]*entryDoc{}}
	if rd.edition, err = s.edition(ctx, r.Edition); err != nil {
		return nil, err
	}
	if rd.rounds, err = s.editionRounds(ctx, r.Edition); err != nil {
		return nil, err
	}
	docs, err := s.editionEntries(ctx, r.Edition)
	if err != nil {
		return nil, err
	}
	for i := range docs {
		rd.docs[docs[i].ID] = &docs[i]
	}
	if rd.ledger, err = s.ledger(ctx, r.Edition); err != nil {
		return nil, err
	}
	if rd.judges, err = s.pool(ctx, r.Edition); err != nil {
		return nil, err
	}
	if rd.assignment, err = s.assignment(ctx, id); err != nil {
		return nil, err
	}
	rd.ids = roundEntryIDs(rd.rounds, r, rd.ledger, rd.docs)
	return rd, nil
}

// roundEntryIDs: the first round judges every competing entry; a later
// round judges what the round before advanced, less entries vetoed since.
func roundEntryIDs(rounds []Round, r *Round, l *ledger, docs map[string]*entryDoc) []string {
	var ids []string
	i := slices.IndexFunc(rounds, func(x Round) bool { return x.ID == r.ID })
	if i <= 0 {
		for id := range docs {
			if l.competing(id) {
				ids = append(ids, id)
			}
		}
	} else {
		for _, id := range l.advanced[rounds[i-1].ID].Entries {
			if l.competing(id) && docs[id] != nil {
				ids = append(ids, id)
			}
		}
	}
	slices.Sort(ids)
	return ids
}

func (rd *roundData) inRound(entry string) bool {
	_, ok := slices.BinarySearch(rd.ids, entry)
	return ok
}

func (rd *roundData) entriesForAlgo() []Entry {
	out := make([]Entry, len(rd.ids))
	for i, id := range rd.ids {
		out[i] = rd.docs[id].asEntry()
	}
	return out
}

func (rd *roundData) judge(user string) (*PoolJudge, bool) {
	for i := range rd.judges {
		if rd.judges[i].User == user {
			return &rd.judges[i], true
		}
	}
	return nil, false
}

// assigned reports whether the current assignment gives entry to judge.
func (rd *roundData) assigned(entry, judge string) bool {
	if rd.assignment == nil {
		return false
	}
	return slices.ContainsFunc(rd.assignment.Result.Assignments, func(a Assignment) bool {
		return a.EntryID == entry && a.JudgeID == judge
	})
}

func (s *Service) assignment(ctx context.Context, round string) (*assignmentDoc, error) {
	var a assignmentDoc
	err := s.assignments.FindOne(ctx, bson.D{{Key: "_id", Value: round}}).Decode(&a)
	if store.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load assignment of %s: %w", round, err)
	}
	a.RunAt = tz.In(a.RunAt)
	return &a, nil
}

// runAssignment (re-)assigns a scored round. Finished reviews stay where
// they are (Assign fixes them), unfinished ones move only when forced to.
func (s *Service) runAssignment(ctx context.Context, actor, roundID string) (*AssignmentView, error) {
	rd, err := s.loadRound(ctx, roundID)
	if err != nil {
		return nil, err
	}
	if rd.round.Mode != ModeScores {
		return nil, httpx.Errorf(409, "pairwise_round", "a pairwise round has no assignment: every judge compares entries")
	}
	if err := rd.round.decided(rd.ledger); err != nil {
		return nil, err
	}
	locks, err := store.FindAll[lockDoc](ctx, s.locks, "locks of "+roundID, bson.D{{Key: "round", Value: roundID}})
	if err != nil {
		return nil, err
	}
	res, err := Assign(rd.assignInput(locks))
	if err != nil {
		return nil, fmt.Errorf("assign round %s: %w", roundID, err)
	}
	doc := assignmentDoc{ID: roundID, Edition: rd.round.Edition, Result: res, RunAt: tz.In(s.now()), RunBy: actor}
	if _, err := s.assignments.ReplaceOne(ctx, bson.D{{Key: "_id", Value: roundID}}, doc, options.Replace().SetUpsert(true)); err != nil {
		return nil, fmt.Errorf("store assignment of %s: %w", roundID, err)
	}
	// The run is logged after it is stored: a crash in between loses only
	// the log line of a run that a re-run reproduces exactly.
	_, err = s.record(ctx, AuditEvent{Edition: rd.round.Edition, Round: roundID, Kind: EvAssigned, Actor: actor,
		Reason: fmt.Sprintf("%d pairs, %d shortfalls", len(res.Assignments), len(res.Shortfalls))})
	return doc.view(), err
}

func (a *assignmentDoc) view() *AssignmentView {
	return &AssignmentView{Round: a.ID, RunAt: a.RunAt, RunBy: a.RunBy, AssignResult: a.Result}
}

// assignInput gathers a run's input. Existing pairs and locks naming
// entries or judges no longer in the round are left out: Assign treats
// unknown ids as errors, and such pairs are gone anyway.
func (rd *roundData) assignInput(locks []lockDoc) AssignInput {
	in := AssignInput{Entries: rd.entriesForAlgo(), K: rd.round.K, CityRule: rd.round.CityRule}
	for i := range rd.judges {
		in.Judges = append(in.Judges, rd.judges[i].judge())
	}
	known := func(entry, judge string) bool {
		_, ok := rd.judge(judge)
		return ok && rd.inRound(entry)
	}
	if rd.assignment != nil {
		for _, a := range rd.assignment.Result.Assignments {
			if known(a.EntryID, a.JudgeID) {
				_, finished := rd.ledger.lockedSheet(rd.round.ID, a.EntryID, a.JudgeID)
				in.Existing = append(in.Existing, Assignment{EntryID: a.EntryID, JudgeID: a.JudgeID, Finished: finished})
			}
		}
	}
	for _, l := range locks {
		if known(l.Entry, l.Judge) {
			in.Locks = append(in.Locks, Lock{EntryID: l.Entry, JudgeID: l.Judge, Kind: l.Kind})
		}
	}
	return in
}

type lockReq struct {
	EntryID string   `json:"entryId" validate:"required"`
	JudgeID string   `json:"judgeId" validate:"required"`
	Kind    LockKind `json:"kind" validate:"oneof=force forbid"`
}

// setLock stores an organiser's manual add (force) or remove (forbid) and
// re-runs the assignment. The lock is one document per pair, replaced, so
// it survives any number of later runs.
func (s *Service) setLock(ctx context.Context, actor, roundID string, req *lockReq) (*AssignmentView, error) {
	rd, err := s.loadRound(ctx, roundID)
	if err != nil {
		return nil, err
	}
	fields := map[string]string{}
	if !rd.inRound(req.EntryID) {
		fields["entryId"] = "is not an entry of this round"
	}
	if _, ok := rd.judge(req.JudgeID); !ok {
		fields["judgeId"] = "is not a judge of this edition"
	}
	if len(fields) > 0 {
		return nil, httpx.Invalid(fields)
	}
	l := lockDoc{ID: roundID + "/" + req.EntryID + "/" + req.JudgeID, Round: roundID, Entry: req.EntryID, Judge: req.JudgeID, Kind: req.Kind}
	if _, err := s.locks.ReplaceOne(ctx, bson.D{{Key: "_id", Value: l.ID}}, l, options.Replace().SetUpsert(true)); err != nil {
		return nil, fmt.Errorf("store lock: %w", err)
	}
	if _, err := s.record(ctx, AuditEvent{Edition: rd.round.Edition, Round: roundID, Entry: req.EntryID, Judge: req.JudgeID,
		Kind: EvLockSet, Actor: actor, Verdict: string(req.Kind)}); err != nil {
		return nil, err
	}
	return s.runAssignment(ctx, actor, roundID)
}

package contest

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

// sheetDoc is a judge's draft, overwritten at each save: drafts are the
// judge's scratch space and carry no state of the contest.
type sheetDoc struct {
	ID       string            `bson:"_id"` // round/entry/judge
	Round    string            `bson:"round"`
	Entry    string            `bson:"entry"`
	Judge    string            `bson:"judge"`
	Scores   ScoreSheet        `bson:"scores"`
	Comments map[string]string `bson:"comments"`
	SavedAt  time.Time         `bson:"savedAt"`
}

// sheetReq is a draft save or a submission.
type sheetReq struct {
	Scores   ScoreSheet        `json:"scores" validate:"required"`
	Comments map[string]string `json:"comments" validate:"max=50,dive,max=2000"`
}

// Sheet statuses.
const (
	SheetEmpty     = "empty"
	SheetDraft     = "draft"
	SheetSubmitted = "submitted"
)

// SheetView is a judge's score sheet for one entry.
type SheetView struct {
	Round       string            `json:"round"`
	Entry       string            `json:"entry"`
	Judge       string            `json:"judge"`
	Status      string            `json:"status"`
	Version     int               `json:"version"`
	Scores      ScoreSheet        `json:"scores"`
	Comments    map[string]string `json:"comments"`
	Total       *float64          `json:"total"`
	SavedAt     *time.Time        `json:"savedAt"`
	SubmittedAt *time.Time        `json:"submittedAt"`
}

func sheetID(round, entry, judge string) string { return round + "/" + entry + "/" + judge }

// judgeSheetScope loads the round and checks that the caller may score
// the entry: in the pool, assigned, not conflicted, judging open.
func (s *Service) judgeSheetScope(ctx context.Context, judge, roundID, entry string) (*roundData, error) {
	rd, err := s.loadRound(ctx, roundID)
	if err != nil {
		return nil, err
	}
	if rd.round.Mode != ModeScores {
		return nil, httpx.Errorf(409, "pairwise_round", "this round is judged by pairwise votes, not score sheets")
	}
	pj, ok := rd.judge(judge)
	if !ok {
		return nil, httpx.Errorf(403, "not_in_pool", "you are not a judge of this edition")
	}
	if !rd.inRound(entry) {
		return nil, httpx.ErrNotFound
	}
	if c, why := Conflicted(pj.judge(), rd.docs[entry].asEntry(), rd.round.CityRule); c {
		return nil, httpx.Errorf(403, "conflict", "conflict of interest: %s", why)
	}
	if !rd.assigned(entry, judge) {
		return nil, httpx.Errorf(403, "not_assigned", "this entry is not assigned to you")
	}
	return rd, nil
}

// checkScores validates a sheet: complete for a submission; for a draft
// only the values given. A draft is checked against the rubric narrowed
// to its keys, so one check serves both.
func checkScores(r Rubric, req *sheetReq, complete bool) error {
	rub := r
	if !complete {
		rub = Rubric{}
		for _, c := range r.Criteria {
			if _, ok := req.Scores[c.Key]; ok {
				rub.Criteria = append(rub.Criteria, c)
			}
		}
	}
	fields := map[string]string{}
	if err := rub.CheckSheet(req.Scores); err != nil {
		fields["scores"] = err.Error()
	}
	for k := range req.Comments {
		if _, ok := r.Criterion(k); !ok && k != "overall" {
			fields["comments."+k] = "must be a criterion key or overall"
		}
	}
	if len(fields) > 0 {
		return httpx.Invalid(fields)
	}
	return nil
}

// saveDraft stores a judge's unfinished sheet; a locked sheet refuses.
func (s *Service) saveDraft(ctx context.Context, judge, roundID, entry string, req *sheetReq) (*SheetView, error) {
	rd, err := s.judgeSheetScope(ctx, judge, roundID, entry)
	if err != nil {
		return nil, err
	}
	if err := checkScores(rd.round.Rubric, req, false); err != nil {
		return nil, err
	}
	if err := rd.round.judgingOpen(rd.ledger, s.now()); err != nil {
		return nil, err
	}
	if _, locked := rd.ledger.lockedSheet(roundID, entry, judge); locked {
		return nil, httpx.Errorf(409, "sheet_locked", "the sheet is submitted; an organiser must reopen it first")
	}
	d := sheetDoc{ID: sheetID(roundID, entry, judge), Round: roundID, Entry: entry, Judge: judge,
		Scores: req.Scores, Comments: req.Comments, SavedAt: tz.In(s.now())}
	if _, err := s.sheets.ReplaceOne(ctx, bson.D{{Key: "_id", Value: d.ID}}, d, options.Replace().SetUpsert(true)); err != nil {
		return nil, fmt.Errorf("save draft: %w", err)
	}
	return sheetView(rd, entry, judge, &d), nil
}

// submitSheet locks a complete sheet. The submission is one insert with
// id score/round/entry/judge/version: of two tabs submitting at once,
// exactly one insert succeeds and the other answers 409.
func (s *Service) submitSheet(ctx context.Context, judge, roundID, entry string, req *sheetReq) (*SheetView, error) {
	rd, err := s.judgeSheetScope(ctx, judge, roundID, entry)
	if err != nil {
		return nil, err
	}
	if err := checkScores(rd.round.Rubric, req, true); err != nil {
		return nil, err
	}
	if err := rd.round.judgingOpen(rd.ledger, s.now()); err != nil {
		return nil, err
	}
	st := rd.ledger.sheets[sheetKey{roundID, entry, judge}]
	if _, locked := st.current(); locked {
		return nil, errSheetSubmitted
	}
	ev, err := s.once(ctx, AuditEvent{ID: scoreKey(roundID, entry, judge, st.version()), Edition: rd.round.Edition,
		Round: roundID, Entry: entry, Judge: judge, Kind: EvScoreSubmit, Actor: judge,
		Version: st.version(), Sheet: req.Scores, Comments: req.Comments}, errSheetSubmitted.Code, "%s", errSheetSubmitted.Message)
	if err != nil {
		return nil, err
	}
	rd.ledger.apply(ev)
	return sheetView(rd, entry, judge, nil), nil
}

var errSheetSubmitted = httpx.Errorf(409, "already_submitted", "this score sheet has already been submitted")

// reopenSheet unlocks a submitted sheet with a reason for the log; the
// reopen id names the version, so two organisers reopening at once
// reopen it once.
func (s *Service) reopenSheet(ctx context.Context, actor, roundID, entry, judge, reason string) (*SheetView, error) {
	rd, err := s.loadRound(ctx, roundID)
	if err != nil {
		return nil, err
	}
	if err := rd.round.decided(rd.ledger); err != nil {
		return nil, err
	}
	st := rd.ledger.sheets[sheetKey{roundID, entry, judge}]
	if _, locked := st.current(); !locked {
		return nil, httpx.Errorf(409, "not_submitted", "there is no submitted sheet to reopen")
	}
	ev, err := s.once(ctx, AuditEvent{ID: reopenKey(roundID, entry, judge, st.version()), Edition: rd.round.Edition,
		Round: roundID, Entry: entry, Judge: judge, Kind: EvScoreReopen, Actor: actor, Reason: reason, Version: st.version()},
		"already_reopened", "this sheet has already been reopened")
	if err != nil {
		return nil, err
	}
	rd.ledger.apply(ev)
	return sheetView(rd, entry, judge, nil), nil
}

// getSheet shows the caller's sheet: the submission when locked, else the
// draft (which a reopened sheet starts from: the last submission).
func (s *Service) getSheet(ctx context.Context, judge, roundID, entry string) (*SheetView, error) {
	rd, err := s.judgeSheetScope(ctx, judge, roundID, entry)
	if err != nil {
		return nil, err
	}
	d, err := s.draft(ctx, roundID, entry, judge)
	if err != nil {
		return nil, err
	}
	return sheetView(rd, entry, judge, d), nil
}

func (s *Service) draft(ctx context.Context, roundID, entry, judge string) (*sheetDoc, error) {
	var d sheetDoc
	err := s.sheets.FindOne(ctx, bson.D{{Key: "_id", Value: sheetID(roundID, entry, judge)}}).Decode(&d)
	if store.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load draft: %w", err)
	}
	d.SavedAt = tz.In(d.SavedAt)
	return &d, nil
}

func sheetView(rd *roundData, entry, judge string, d *sheetDoc) *SheetView {
	st := rd.ledger.sheets[sheetKey{rd.round.ID, entry, judge}]
	v := &SheetView{Round: rd.round.ID, Entry: entry, Judge: judge, Status: SheetEmpty, Version: st.version(),
		Scores: ScoreSheet{}, Comments: map[string]string{}}
	if ev, ok := st.current(); ok {
		v.Status, v.Scores, v.SubmittedAt = SheetSubmitted, ev.Sheet, &ev.At
		if ev.Comments != nil {
			v.Comments = ev.Comments
		}
		if t, err := rd.round.Rubric.Total(ev.Sheet); err == nil {
			v.Total = &t
		}
		return v
	}
	// A reopened sheet starts from its last submission, unless the judge
	// saved a draft since the reopening.
	reopened, isReopened := st.lastReopen()
	switch {
	case d != nil && (!isReopened || d.SavedAt.After(reopened.At)):
		v.Status, v.Scores, v.Comments, v.SavedAt = SheetDraft, d.Scores, d.Comments, &d.SavedAt
	case isReopened:
		prev := st.submissions[st.version()-1]
		v.Status, v.Scores, v.Comments = SheetDraft, prev.Sheet, prev.Comments
	}
	if v.Comments == nil {
		v.Comments = map[string]string{}
	}
	return v
}

// AssignedEntry is one line of a judge's worklist.
type AssignedEntry struct {
	Entry          EntryBrief `json:"entry"`
	ExpertiseMatch bool       `json:"expertiseMatch"`
	Sheet          string     `json:"sheet"`
}

// EntryBrief is what judges see of an entry: no phones.
type EntryBrief struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Summary string `json:"summary"`
	Track   string `json:"track"`
	Stage   string `json:"stage"`
	Region  string `json:"region"`
}

func (e *entryDoc) brief() EntryBrief {
	return EntryBrief{ID: e.ID, Title: e.Title, Summary: e.Summary, Track: e.Track, Stage: e.Stage, Region: e.Region}
}

// myAssignments lists the caller's entries in a scored round.
func (s *Service) myAssignments(ctx context.Context, judge, roundID string) ([]AssignedEntry, error) {
	rd, err := s.loadRound(ctx, roundID)
	if err != nil {
		return nil, err
	}
	if _, ok := rd.judge(judge); !ok {
		return nil, httpx.Errorf(403, "not_in_pool", "you are not a judge of this edition")
	}
	drafts, err := store.FindAll[sheetDoc](ctx, s.sheets, "drafts", bson.D{{Key: "round", Value: roundID}, {Key: "judge", Value: judge}})
	if err != nil {
		return nil, err
	}
	hasDraft := map[string]bool{}
	for _, d := range drafts {
		hasDraft[d.Entry] = true
	}
	out := []AssignedEntry{}
	if rd.assignment == nil {
		return out, nil
	}
	for _, a := range rd.assignment.Result.Assignments {
		if a.JudgeID != judge || rd.docs[a.EntryID] == nil {
			continue
		}
		st := SheetEmpty
		if _, ok := rd.ledger.lockedSheet(roundID, a.EntryID, judge); ok {
			st = SheetSubmitted
		} else if hasDraft[a.EntryID] {
			st = SheetDraft
		}
		out = append(out, AssignedEntry{Entry: rd.docs[a.EntryID].brief(), ExpertiseMatch: a.ExpertiseMatch, Sheet: st})
	}
	return out, nil
}

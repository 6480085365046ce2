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

// Audit event kinds. One-time kinds have deterministic ids (see the
// *Key functions below); the others get a fresh id.
const (
	EvEditionSaved     = "edition_saved"
	EvRoundSaved       = "round_saved"
	EvSubmitted        = "entry_submitted"
	EvWithdrawn        = "entry_withdrawn"
	EvReviewed         = "entry_reviewed"
	EvVetoed           = "entry_vetoed"
	EvJudgeSaved       = "judge_saved"
	EvConflictDeclared = "conflict_declared"
	EvAssigned         = "assignment_run"
	EvLockSet          = "assignment_lock"
	EvScoreSubmit      = "score_submitted"
	EvScoreReopen      = "score_reopened"
	EvVote             = "vote"
	EvVoteUndone       = "vote_undone"
	EvAdvanced         = "advanced"
	EvAwarded          = "awarded"
	EvPublished        = "published"
)

// AuditEvent is one line of the append-only log. The payload fields are
// set by the kinds that need them.
type AuditEvent struct {
	ID      string    `bson:"_id" json:"id"`
	Edition string    `bson:"edition" json:"edition"`
	Kind    string    `bson:"kind" json:"kind"`
	Round   string    `bson:"round,omitempty" json:"round,omitempty"`
	Entry   string    `bson:"entry,omitempty" json:"entry,omitempty"`
	Judge   string    `bson:"judge,omitempty" json:"judge,omitempty"`
	Actor   string    `bson:"actor" json:"actor"`
	Reason  string    `bson:"reason,omitempty" json:"reason,omitempty"`
	At      time.Time `bson:"at" json:"at"`
	// TS orders the log (nanoseconds): At is kept to the millisecond only.
	TS int64 `bson:"ts" json:"-"`

	Verdict  string            `bson:"verdict,omitempty" json:"verdict,omitempty"`
	Version  int               `bson:"version,omitempty" json:"version,omitempty"`
	Sheet    ScoreSheet        `bson:"sheet,omitempty" json:"sheet,omitempty"`
	Comments map[string]string `bson:"comments,omitempty" json:"comments,omitempty"`
	Seq      int64             `bson:"seq,omitempty" json:"seq,omitempty"`
	Winner   string            `bson:"winner,omitempty" json:"winner,omitempty"`
	Loser    string            `bson:"loser,omitempty" json:"loser,omitempty"`
	Entries  []string          `bson:"entries,omitempty" json:"entries,omitempty"`
	Awards   []Award           `bson:"awards,omitempty" json:"awards,omitempty"`
	// Published is the publication's snapshot; the audit list leaves it
	// out (it is served by the results routes).
	Published []PublishedEntry `bson:"published,omitempty" json:"-"`
}

// Deterministic ids of one-time events: inserting one a second time fails
// on the unique _id, which is how "exactly once" holds on FerretDB too.
func submitKey(entry string) string   { return "submit/" + entry }
func withdrawKey(entry string) string { return "withdraw/" + entry }
func vetoKey(entry string) string     { return "veto/" + entry }
func advanceKey(round string) string  { return "advance/" + round }
func awardsKey(round string) string   { return "awards/" + round }
func publishKey(edition string) string {
	return "publish/" + edition
}
func scoreKey(round, entry, judge string, v int) string {
	return fmt.Sprintf("score/%s/%s/%s/%d", round, entry, judge, v)
}
func reopenKey(round, entry, judge string, v int) string {
	return fmt.Sprintf("reopen/%s/%s/%s/%d", round, entry, judge, v)
}

// voteKey zero-pads seq so that ids sort in vote order.
func voteKey(round string, seq int64) string { return fmt.Sprintf("vote/%s/%010d", round, seq) }
func undoKey(round string, seq int64) string { return fmt.Sprintf("undo/%s/%010d", round, seq) }

// errAlready is returned by record when a one-time event exists.
type errAlready struct{ id string }

func (e errAlready) Error() string { return "event " + e.id + " already recorded" }

// record appends ev. An empty ev.ID gets a fresh one (repeatable events);
// a set ID is a one-time event and a duplicate returns errAlready, which
// callers turn into their 409.
func (s *Service) record(ctx context.Context, ev AuditEvent) (AuditEvent, error) {
	if ev.ID == "" {
		ev.ID = ev.Kind + "/" + newID()
	}
	now := s.now()
	ev.At, ev.TS = tz.In(now), now.UnixNano()
	if _, err := s.audit.InsertOne(ctx, ev); err != nil {
		if store.IsDuplicate(err) {
			return ev, errAlready{ev.ID}
		}
		return ev, fmt.Errorf("record %s: %w", ev.Kind, err)
	}
	return ev, nil
}

// once records a one-time event, answering 409 with code and message when
// it was already recorded.
func (s *Service) once(ctx context.Context, ev AuditEvent, code, format string, args ...any) (AuditEvent, error) {
	ev, err := s.record(ctx, ev)
	if _, dup := err.(errAlready); dup {
		return ev, httpx.Errorf(409, code, format, args...)
	}
	return ev, err
}

// loadAudit reads an edition's whole log in order: one query, which the
// ledger folds into every derived state.
func (s *Service) loadAudit(ctx context.Context, edition string) ([]AuditEvent, error) {
	evs, err := store.FindAll[AuditEvent](ctx, s.audit, "audit of "+edition,
		bson.D{{Key: "edition", Value: edition}},
		options.Find().SetSort(bson.D{{Key: "ts", Value: 1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return nil, err
	}
	for i := range evs {
		evs[i].At = tz.In(evs[i].At)
	}
	return evs, nil
}

// auditView filters the log for the audit route: ?kind= and ?entry=.
func auditView(evs []AuditEvent, kind, entry string) []AuditEvent {
	out := make([]AuditEvent, 0, len(evs))
	for _, ev := range evs {
		if (kind == "" || ev.Kind == kind) && (entry == "" || ev.Entry == entry) {
			ev.Published = nil
			out = append(out, ev)
		}
	}
	return out
}

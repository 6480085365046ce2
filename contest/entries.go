package contest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

// entryDoc is what a team edits while its entry is a draft. Its status
// (submitted, withdrawn, reviewed, vetoed) lives in the audit log.
type entryDoc struct {
	ID        string    `bson:"_id"`
	Edition   string    `bson:"edition"`
	Leader    string    `bson:"leader"`
	Title     string    `bson:"title"`
	Summary   string    `bson:"summary"`
	Track     string    `bson:"track"`
	Stage     string    `bson:"stage"`
	Region    string    `bson:"region"`
	Members   []Member  `bson:"members"`
	CreatedAt time.Time `bson:"createdAt"`
	UpdatedAt time.Time `bson:"updatedAt"`
}

// entryReq is the body of create (with edition) and edit (without).
type entryReq struct {
	Edition string `json:"edition,omitempty"`
	Title   string `json:"title" validate:"required,max=100"`
	Summary string `json:"summary" validate:"max=2000"`
	Track   string `json:"track" validate:"required,max=30"`
	// Stage: idea (创意), startup (初创) or growing (成长).
	Stage   string   `json:"stage" validate:"oneof=idea startup growing"`
	Region  string   `json:"region" validate:"region"`
	Members []Member `json:"members" validate:"required,min=1,max=50,dive"`
}

// check adds the rules tags cannot express: the track exists, phones are
// distinct and the team has exactly one leader.
func (r *entryReq) check(ed *Edition) error {
	fields := map[string]string{}
	if !ed.hasTrack(r.Track) {
		fields["track"] = fmt.Sprintf("must be one of the edition's tracks %v", ed.Tracks)
	}
	leaders := 0
	seen := map[string]bool{}
	for i, m := range r.Members {
		if seen[m.Phone] {
			fields[fmt.Sprintf("members[%d].phone", i)] = "is listed twice"
		}
		seen[m.Phone] = true
		if m.Role == "leader" {
			leaders++
		}
	}
	if leaders != 1 {
		fields["members"] = "must have exactly one member with role leader"
	}
	if len(fields) > 0 {
		return httpx.Invalid(fields)
	}
	return nil
}

// Review verdicts.
const (
	VerdictEligible   = "eligible"
	VerdictIneligible = "ineligible"
)

// EntryView is an entry as the API shows it, with its status from the log.
type EntryView struct {
	ID          string       `json:"id"`
	Edition     string       `json:"edition"`
	Leader      string       `json:"leader"`
	Title       string       `json:"title"`
	Summary     string       `json:"summary"`
	Track       string       `json:"track"`
	Stage       string       `json:"stage"`
	Region      string       `json:"region"`
	Members     []Member     `json:"members"`
	Status      string       `json:"status"`
	SubmittedAt *time.Time   `json:"submittedAt"`
	Review      *Decision    `json:"review"`
	Veto        *Decision    `json:"veto"`
	Attachments []Attachment `json:"attachments"`
	CreatedAt   time.Time    `json:"createdAt"`
	UpdatedAt   time.Time    `json:"updatedAt"`
}

// Decision is an organiser's review or veto.
type Decision struct {
	Verdict string    `json:"verdict,omitempty"`
	Reason  string    `json:"reason"`
	By      string    `json:"by"`
	At      time.Time `json:"at"`
}

func (e *entryDoc) view(l *ledger, files []Attachment) *EntryView {
	v := &EntryView{
		ID: e.ID, Edition: e.Edition, Leader: e.Leader, Title: e.Title, Summary: e.Summary,
		Track: e.Track, Stage: e.Stage, Region: e.Region, Members: e.Members,
		Status: l.status(e.ID), CreatedAt: tz.In(e.CreatedAt), UpdatedAt: tz.In(e.UpdatedAt),
		Attachments: make([]Attachment, 0),
	}
	if ev, ok := l.submitted[e.ID]; ok {
		v.SubmittedAt = &ev.At
	}
	if ev, ok := l.review[e.ID]; ok {
		v.Review = &Decision{Verdict: ev.Verdict, Reason: ev.Reason, By: ev.Actor, At: ev.At}
	}
	if ev, ok := l.vetoed[e.ID]; ok {
		v.Veto = &Decision{Reason: ev.Reason, By: ev.Actor, At: ev.At}
	}
	for _, f := range files {
		if f.Entry == e.ID {
			v.Attachments = append(v.Attachments, f)
		}
	}
	return v
}

// asEntry is the entry as assignment and ranking see it.
func (e *entryDoc) asEntry() Entry {
	orgs := make([]string, 0, len(e.Members))
	for _, m := range e.Members {
		if m.Org != "" {
			orgs = append(orgs, m.Org)
		}
	}
	return Entry{ID: e.ID, Track: e.Track, City: e.Region, MemberOrgs: orgs}
}

// registrationOpen refuses changes outside the edition's window.
func (s *Service) registrationOpen(ed *Edition) error {
	if !ed.Registration.contains(s.now()) {
		return httpx.Errorf(409, "registration_closed", "registration for %s is open from %s to %s",
			ed.Name, ed.Registration.Opens.Format(time.RFC3339), ed.Registration.Closes.Format(time.RFC3339))
	}
	return nil
}

// createEntry registers a draft. Writes: member claims first, then the
// entry. A crash in between leaves claims naming a missing entry, which
// the next claim of those phones treats as stale (see claim).
func (s *Service) createEntry(ctx context.Context, leader string, req *entryReq) (*entryDoc, error) {
	if req.Edition == "" {
		return nil, httpx.Invalid(map[string]string{"edition": "is required"})
	}
	ed, err := s.edition(ctx, req.Edition)
	if err != nil {
		if errors.Is(err, httpx.ErrNotFound) {
			return nil, httpx.Invalid(map[string]string{"edition": "no such edition"})
		}
		return nil, err
	}
	if err := req.check(ed); err != nil {
		return nil, err
	}
	if err := s.registrationOpen(ed); err != nil {
		return nil, err
	}
	now := tz.In(s.now())
	e := &entryDoc{ID: newID(), Edition: ed.ID, Leader: leader, CreatedAt: now, UpdatedAt: now}
	e.apply(req)
	if err := s.claimMembers(ctx, ed.ID, e.ID, phonesOf(e.Members)); err != nil {
		return nil, err
	}
	if _, err := s.entries.InsertOne(ctx, e); err != nil {
		s.giveBack(ctx, ed.ID, e.ID, phonesOf(e.Members))
		return nil, fmt.Errorf("insert entry: %w", err)
	}
	return e, nil
}

func (e *entryDoc) apply(r *entryReq) {
	e.Title, e.Summary, e.Track, e.Stage, e.Region, e.Members = r.Title, r.Summary, r.Track, r.Stage, r.Region, r.Members
}

// editEntry replaces a draft. Writes: claims on added phones, the entry,
// then releasing removed phones; a crash before the release leaves claims
// the entry no longer lists, which count as stale.
func (s *Service) editEntry(ctx context.Context, user, id string, req *entryReq) (*entryDoc, *ledger, error) {
	if req.Edition != "" {
		return nil, nil, httpx.Invalid(map[string]string{"edition": "cannot change"})
	}
	e, ed, l, err := s.leaderEntry(ctx, user, id)
	if err != nil {
		return nil, nil, err
	}
	if err := req.check(ed); err != nil {
		return nil, nil, err
	}
	if err := s.draftEditable(ed, l, id); err != nil {
		return nil, nil, err
	}
	old := phonesOf(e.Members)
	e.apply(req)
	e.UpdatedAt = tz.In(s.now())
	added := minus(phonesOf(e.Members), old)
	if err := s.claimMembers(ctx, ed.ID, e.ID, added); err != nil {
		return nil, nil, err
	}
	if _, err := s.entries.ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}}, e); err != nil {
		s.giveBack(ctx, ed.ID, e.ID, added)
		return nil, nil, fmt.Errorf("update entry %s: %w", id, err)
	}
	if err := s.releaseMembers(ctx, ed.ID, e.ID, minus(old, phonesOf(e.Members))); err != nil {
		return nil, nil, err
	}
	return e, l, nil
}

func (s *Service) draftEditable(ed *Edition, l *ledger, id string) error {
	if st := l.status(id); st != StatusDraft {
		return httpx.Errorf(409, "not_draft", "the entry is %s; only drafts can change", st)
	}
	return s.registrationOpen(ed)
}

// submitEntry checks eligibility and records the submission once.
func (s *Service) submitEntry(ctx context.Context, user, id string) error {
	e, ed, l, err := s.leaderEntry(ctx, user, id)
	if err != nil {
		return err
	}
	if l.status(id) == StatusWithdrawn {
		return httpx.Errorf(409, "withdrawn", "the entry was withdrawn")
	}
	if err := s.registrationOpen(ed); err != nil {
		return err
	}
	if why := checkEligibility(ed, e); len(why) > 0 {
		return ineligible(why)
	}
	_, err = s.once(ctx, AuditEvent{ID: submitKey(id), Edition: ed.ID, Entry: id, Kind: EvSubmitted, Actor: user},
		"already_submitted", "the entry has already been submitted")
	return err
}

// withdrawEntry records the withdrawal once, before judging starts, then
// gives the members back; a crash before that leaves claims of a withdrawn
// entry, which count as stale.
func (s *Service) withdrawEntry(ctx context.Context, user, id, reason string) error {
	e, ed, _, err := s.leaderEntry(ctx, user, id)
	if err != nil {
		return err
	}
	n, err := s.assignments.CountDocuments(ctx, bson.D{{Key: "edition", Value: ed.ID}})
	if err != nil {
		return fmt.Errorf("count assignments: %w", err)
	}
	if n > 0 {
		return httpx.Errorf(409, "judging_started", "judging has started; the entry can no longer be withdrawn")
	}
	_, err = s.once(ctx, AuditEvent{ID: withdrawKey(id), Edition: ed.ID, Entry: id, Kind: EvWithdrawn, Actor: user, Reason: reason},
		"already_withdrawn", "the entry has already been withdrawn")
	if err != nil {
		return err
	}
	return s.releaseMembers(ctx, ed.ID, id, phonesOf(e.Members))
}

// reviewEntry records an organiser's verdict; a later review replaces it.
func (s *Service) reviewEntry(ctx context.Context, actor, id, verdict, reason string) error {
	e, err := s.entry(ctx, id)
	if err != nil {
		return err
	}
	l, err := s.ledger(ctx, e.Edition)
	if err != nil {
		return err
	}
	if st := l.status(id); st != StatusSubmitted {
		return httpx.Errorf(409, "not_submitted", "the entry is %s; only submitted entries are reviewed", st)
	}
	_, err = s.record(ctx, AuditEvent{Edition: e.Edition, Entry: id, Kind: EvReviewed, Actor: actor, Verdict: verdict, Reason: reason})
	return err
}

// vetoEntry excludes an entry outside the contest's scope, once.
func (s *Service) vetoEntry(ctx context.Context, actor, id, reason string) error {
	e, err := s.entry(ctx, id)
	if err != nil {
		return err
	}
	_, err = s.once(ctx, AuditEvent{ID: vetoKey(id), Edition: e.Edition, Entry: id, Kind: EvVetoed, Actor: actor, Reason: reason},
		"already_vetoed", "the entry has already been vetoed")
	return err
}

func (s *Service) entry(ctx context.Context, id string) (*entryDoc, error) {
	var e entryDoc
	err := s.entries.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&e)
	if store.IsNotFound(err) {
		return nil, httpx.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load entry %s: %w", id, err)
	}
	return &e, nil
}

// leaderEntry loads an entry its leader acts on, with edition and ledger.
func (s *Service) leaderEntry(ctx context.Context, user, id string) (*entryDoc, *Edition, *ledger, error) {
	e, err := s.entry(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	if e.Leader != user {
		return nil, nil, nil, httpx.Errorf(403, "forbidden", "only the team leader may change the entry")
	}
	ed, err := s.edition(ctx, e.Edition)
	if err != nil {
		return nil, nil, nil, err
	}
	l, err := s.ledger(ctx, e.Edition)
	return e, ed, l, err
}

func (s *Service) ledger(ctx context.Context, edition string) (*ledger, error) {
	evs, err := s.loadAudit(ctx, edition)
	if err != nil {
		return nil, err
	}
	return newLedger(evs), nil
}

// editionEntries loads all entries of an edition, by id.
func (s *Service) editionEntries(ctx context.Context, edition string) ([]entryDoc, error) {
	return store.FindAll[entryDoc](ctx, s.entries, "entries of "+edition,
		bson.D{{Key: "edition", Value: edition}}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
}

func (s *Service) leaderEntries(ctx context.Context, leader string) ([]entryDoc, error) {
	return store.FindAll[entryDoc](ctx, s.entries, "entries of leader",
		bson.D{{Key: "leader", Value: leader}}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
}

// hasMember reports whether phone is on the team.
func (e *entryDoc) hasMember(phone string) bool {
	return slices.ContainsFunc(e.Members, func(m Member) bool { return m.Phone == phone })
}

package access

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

// Application statuses.
const (
	StatusPending  = "pending"
	StatusApproved = "approved"
	StatusRejected = "rejected"
)

// Application is an organisation's request for access, made by a signed-in
// user who becomes the organisation's owner when it is approved.
type Application struct {
	ID           string     `bson:"_id" json:"id"`
	Applicant    string     `bson:"applicant" json:"applicant"`
	OrgName      string     `bson:"orgName" json:"orgName"`
	Audience     string     `bson:"audience" json:"audience"`
	ContactName  string     `bson:"contactName" json:"contactName"`
	ContactPhone string     `bson:"contactPhone" json:"contactPhone"`
	Purpose      string     `bson:"purpose" json:"purpose"`
	Scopes       []string   `bson:"scopes" json:"scopes"` // requested; the approval decides what is granted
	Website      string     `bson:"website,omitempty" json:"website,omitempty"`
	Status       string     `bson:"status" json:"status"`
	Reason       string     `bson:"reason,omitempty" json:"reason,omitempty"` // why it was rejected
	Org          string     `bson:"org,omitempty" json:"org,omitempty"`       // the organisation, once approved
	CreatedAt    time.Time  `bson:"createdAt" json:"createdAt"`
	DecidedAt    *time.Time `bson:"decidedAt,omitempty" json:"decidedAt,omitempty"`
}

func (a *Application) localize() {
	a.CreatedAt = tz.In(a.CreatedAt)
	if a.DecidedAt != nil {
		t := tz.In(*a.DecidedAt)
		a.DecidedAt = &t
	}
}

type applyReq struct {
	OrgName      string   `json:"orgName" validate:"required,max=100"`
	Audience     string   `json:"audience" validate:"required,orgaudience"`
	ContactName  string   `json:"contactName" validate:"required,max=50"`
	ContactPhone string   `json:"contactPhone" validate:"required,phone"`
	Purpose      string   `json:"purpose" validate:"required,max=2000"`
	Scopes       []string `json:"scopes" validate:"required,min=1,dive,apiscope"`
	Website      string   `json:"website" validate:"omitempty,url,max=200"`
}

// apply stores u's application as pending.
func (s *Service) apply(ctx context.Context, u *farmers.User, req applyReq) (*Application, error) {
	a := &Application{
		ID: bson.NewObjectID().Hex(), Applicant: u.ID, OrgName: req.OrgName, Audience: req.Audience,
		ContactName: req.ContactName, ContactPhone: req.ContactPhone, Purpose: req.Purpose,
		Scopes: req.Scopes, Website: req.Website, Status: StatusPending, CreatedAt: tz.In(time.Now()),
	}
	if _, err := s.apps.InsertOne(ctx, a); err != nil {
		return nil, fmt.Errorf("insert application: %w", err)
	}
	return a, nil
}

func (s *Service) getApplication(ctx context.Context, id string) (*Application, error) {
	var a Application
	err := s.apps.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&a)
	if store.IsNotFound(err) {
		return nil, httpx.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("find application %s: %w", id, err)
	}
	a.localize()
	return &a, nil
}

// Grant is what an approval gives an organisation.
type Grant struct {
	Scopes        []string `bson:"scopes" json:"scopes" validate:"required,dive,apiscope"`
	QuotaPerDay   int64    `bson:"quotaPerDay" json:"quotaPerDay" validate:"required,min=1,max=10000000"`
	RatePerSecond int      `bson:"ratePerSecond" json:"ratePerSecond" validate:"required,min=1,max=1000"`
}

// decision is an administrator's verdict on an application. Its _id is the
// application's id, so of two verdicts racing (approve twice, approve and
// reject) the unique _id lets exactly one be stored: insert-or-fail is the
// one write that is atomic on the embedded store as on MongoDB.
type decision struct {
	ID      string    `bson:"_id"`
	Outcome string    `bson:"outcome"` // StatusApproved or StatusRejected
	By      string    `bson:"by"`
	At      time.Time `bson:"at"`
	Reason  string    `bson:"reason,omitempty"`
	Grant   *Grant    `bson:"grant,omitempty"`
}

var errAlreadyDecided = httpx.Errorf(409, "already_decided", "this application has already been approved or rejected")

// decide records d for application id, exactly once, then applies it. It
// returns the organisation of an approval.
func (s *Service) decide(ctx context.Context, id string, d decision) (*Org, error) {
	a, err := s.getApplication(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.Status != StatusPending {
		return nil, errAlreadyDecided // the common case, without a write
	}
	d.ID, d.At = id, time.Now()
	if _, err := s.verdicts.InsertOne(ctx, d); err != nil {
		if store.IsDuplicate(err) {
			return nil, errAlreadyDecided
		}
		return nil, fmt.Errorf("insert decision: %w", err)
	}
	return s.carryOut(ctx, a, &d)
}

// carryOut makes what decision d says of application a true: the
// organisation of an approval (_id = the application's id, so doing it
// again changes nothing), then the application's status. Only the
// verdict's winner, or the start-up repair, gets here.
func (s *Service) carryOut(ctx context.Context, a *Application, d *decision) (*Org, error) {
	var o *Org
	if d.Outcome == StatusApproved {
		o = newOrg(a, d)
		if _, err := s.orgs.InsertOne(ctx, o); err != nil && !store.IsDuplicate(err) {
			return nil, fmt.Errorf("insert organisation: %w", err)
		}
	}
	set := bson.D{{Key: "status", Value: d.Outcome}, {Key: "decidedAt", Value: d.At}}
	if d.Reason != "" {
		set = append(set, bson.E{Key: "reason", Value: d.Reason})
	}
	if o != nil {
		set = append(set, bson.E{Key: "org", Value: o.ID})
	}
	if _, err := s.apps.UpdateOne(ctx, bson.D{{Key: "_id", Value: a.ID}}, bson.D{{Key: "$set", Value: set}}); err != nil {
		return nil, fmt.Errorf("mark application %s %s: %w", a.ID, d.Outcome, err)
	}
	return o, nil
}

func newOrg(a *Application, d *decision) *Org {
	at := tz.In(d.At)
	o := &Org{
		ID: a.ID, Name: a.OrgName, Audience: a.Audience, Application: a.ID,
		Scopes: d.Grant.Scopes, QuotaPerDay: d.Grant.QuotaPerDay, RatePerSecond: d.Grant.RatePerSecond,
		Members:   []Member{{User: a.Applicant, Role: MemberOwner, AddedAt: at}},
		CreatedAt: at, UpdatedAt: at,
	}
	o.localize()
	return o
}

// finishDecisions carries out the decisions whose application is still
// pending: a process that stopped between storing a verdict and applying
// it. It reads the pending applications once, at start.
func (s *Service) finishDecisions(ctx context.Context) error {
	pending, err := store.FindAll[Application](ctx, s.apps, "pending applications", bson.D{{Key: "status", Value: StatusPending}})
	if err != nil || len(pending) == 0 {
		return err
	}
	byID := make(map[string]*Application, len(pending))
	ids := make([]string, len(pending))
	for i := range pending {
		byID[pending[i].ID], ids[i] = &pending[i], pending[i].ID
	}
	ds, err := store.FindAll[decision](ctx, s.verdicts, "decisions", bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
	if err != nil {
		return err
	}
	for i := range ds {
		if _, err := s.carryOut(ctx, byID[ds[i].ID], &ds[i]); err != nil {
			return err
		}
		s.log.Info("access: finished an interrupted decision", "application", ds[i].ID, "outcome", ds[i].Outcome)
	}
	return nil
}

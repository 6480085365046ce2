package contest

import (
	"context"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

// Edition is one year's contest (e.g. 2026年全省农业创客大赛): its tracks,
// who may enter and when teams may register.
type Edition struct {
	ID           string      `bson:"_id" json:"id"`
	Year         int         `bson:"year" json:"year"`
	Name         string      `bson:"name" json:"name"`
	Tracks       []string    `bson:"tracks" json:"tracks"`
	Eligibility  Eligibility `bson:"eligibility" json:"eligibility"`
	Registration Window      `bson:"registration" json:"registration"`
	CreatedBy    string      `bson:"createdBy" json:"createdBy"`
	CreatedAt    time.Time   `bson:"createdAt" json:"createdAt"`
	UpdatedAt    time.Time   `bson:"updatedAt" json:"updatedAt"`
}

// Eligibility are the rules a team must meet to submit. Members' regions
// must always be in Liaoning; age limits apply when set (0 = none) and are
// checked at the registration's close.
type Eligibility struct {
	MinMembers int `bson:"minMembers" json:"minMembers" validate:"min=1,max=50"`
	MaxMembers int `bson:"maxMembers" json:"maxMembers" validate:"min=1,max=50"`
	MinAge     int `bson:"minAge,omitempty" json:"minAge,omitempty" validate:"min=0,max=120"`
	MaxAge     int `bson:"maxAge,omitempty" json:"maxAge,omitempty" validate:"min=0,max=120"`
}

// Window is a period [opens, closes).
type Window struct {
	Opens  time.Time `bson:"opens" json:"opens" validate:"required"`
	Closes time.Time `bson:"closes" json:"closes" validate:"required"`
}

// contains reports whether t is inside the window.
func (w Window) contains(t time.Time) bool { return !t.Before(w.Opens) && t.Before(w.Closes) }

func (w Window) check(field string, fields map[string]string) {
	if !w.Closes.After(w.Opens) {
		fields[field+".closes"] = "must be after opens"
	}
}

// editionReq is the body of create and update.
type editionReq struct {
	Year         int         `json:"year" validate:"min=2000,max=2100"`
	Name         string      `json:"name" validate:"required,max=100"`
	Tracks       []string    `json:"tracks" validate:"required,min=1,max=30,dive,required,max=30"`
	Eligibility  Eligibility `json:"eligibility"`
	Registration Window      `json:"registration"`
}

// check adds what tags cannot say: ordered limits and windows, and
// distinct track names usable as map keys in the store.
func (r *editionReq) check() error {
	fields := map[string]string{}
	if r.Eligibility.MaxMembers < r.Eligibility.MinMembers {
		fields["eligibility.maxMembers"] = "must be at least minMembers"
	}
	if r.Eligibility.MaxAge != 0 && r.Eligibility.MaxAge < r.Eligibility.MinAge {
		fields["eligibility.maxAge"] = "must be at least minAge"
	}
	r.Registration.check("registration", fields)
	seen := map[string]bool{}
	for i, t := range r.Tracks {
		switch {
		case strings.TrimSpace(t) != t:
			fields[fmt.Sprintf("tracks[%d]", i)] = "must not start or end with spaces"
		case strings.ContainsAny(t, ".$|"):
			fields[fmt.Sprintf("tracks[%d]", i)] = "must not contain . $ or |"
		case seen[t]:
			fields[fmt.Sprintf("tracks[%d]", i)] = "is listed twice"
		}
		seen[t] = true
	}
	if len(fields) > 0 {
		return httpx.Invalid(fields)
	}
	return nil
}

func (s *Service) createEdition(ctx context.Context, actor string, req *editionReq) (*Edition, error) {
	if err := req.check(); err != nil {
		return nil, err
	}
	now := tz.In(s.now())
	e := &Edition{ID: newID(), CreatedBy: actor, CreatedAt: now, UpdatedAt: now}
	e.apply(req)
	if _, err := s.editions.InsertOne(ctx, e); err != nil {
		return nil, fmt.Errorf("insert edition: %w", err)
	}
	_, err := s.record(ctx, AuditEvent{Edition: e.ID, Kind: EvEditionSaved, Actor: actor})
	return e, err
}

func (e *Edition) apply(req *editionReq) {
	e.Year, e.Name, e.Tracks = req.Year, req.Name, req.Tracks
	e.Eligibility = req.Eligibility
	e.Registration = Window{tz.In(req.Registration.Opens), tz.In(req.Registration.Closes)}
}

// updateEdition replaces an edition's settings. The whole document is
// written at once, so a concurrent update is last-writer-wins, never a mix.
func (s *Service) updateEdition(ctx context.Context, actor, id string, req *editionReq) (*Edition, error) {
	if err := req.check(); err != nil {
		return nil, err
	}
	e, err := s.edition(ctx, id)
	if err != nil {
		return nil, err
	}
	e.apply(req)
	e.UpdatedAt = tz.In(s.now())
	if _, err := s.editions.ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}}, e); err != nil {
		return nil, fmt.Errorf("update edition %s: %w", id, err)
	}
	_, err = s.record(ctx, AuditEvent{Edition: e.ID, Kind: EvEditionSaved, Actor: actor})
	return e, err
}

func (s *Service) edition(ctx context.Context, id string) (*Edition, error) {
	var e Edition
	err := s.editions.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&e)
	if store.IsNotFound(err) {
		return nil, httpx.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load edition %s: %w", id, err)
	}
	e.localise()
	return &e, nil
}

func (e *Edition) localise() {
	e.CreatedAt, e.UpdatedAt = tz.In(e.CreatedAt), tz.In(e.UpdatedAt)
	e.Registration = Window{tz.In(e.Registration.Opens), tz.In(e.Registration.Closes)}
}

func (s *Service) listEditions(ctx context.Context) ([]Edition, error) {
	es, err := store.FindAll[Edition](ctx, s.editions, "editions", bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	for i := range es {
		es[i].localise()
	}
	return es, err
}

func (e *Edition) hasTrack(t string) bool {
	for _, x := range e.Tracks {
		if x == t {
			return true
		}
	}
	return false
}

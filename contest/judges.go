package contest

import (
	"context"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

// PoolJudge is a judge of an edition's pool: a user with the judge role,
// with what conflict rules and expertise matching need.
type PoolJudge struct {
	ID                string    `bson:"_id" json:"-"`
	Edition           string    `bson:"edition" json:"edition"`
	User              string    `bson:"user" json:"user"`
	Name              string    `bson:"name" json:"name"`
	Org               string    `bson:"org" json:"org"`
	Region            string    `bson:"region" json:"region"`
	Expertise         []string  `bson:"expertise" json:"expertise"`
	DeclaredConflicts []string  `bson:"declaredConflicts" json:"declaredConflicts"`
	Inactive          bool      `bson:"inactive" json:"inactive"`
	UpdatedAt         time.Time `bson:"updatedAt" json:"updatedAt"`
}

type judgeReq struct {
	Org               string   `json:"org" validate:"required,max=100"`
	Region            string   `json:"region" validate:"region"`
	Expertise         []string `json:"expertise" validate:"max=30,dive,required,max=30"`
	DeclaredConflicts []string `json:"declaredConflicts" validate:"max=500,dive,required,max=64"`
	Inactive          bool     `json:"inactive"`
}

func (j *PoolJudge) judge() Judge {
	return Judge{ID: j.User, Org: j.Org, City: j.Region, Expertise: j.Expertise, DeclaredConflicts: j.DeclaredConflicts, Inactive: j.Inactive}
}

// saveJudge adds a user to the pool or updates them (one document per
// edition and user, replaced whole).
func (s *Service) saveJudge(ctx context.Context, actor, edition, userID string, req *judgeReq) (*PoolJudge, error) {
	if _, err := s.edition(ctx, edition); err != nil {
		return nil, err
	}
	u, err := s.accounts.Get(ctx, userID)
	if err != nil {
		return nil, err
	}
	if !u.HasRole(farmers.RoleJudge) {
		return nil, httpx.Errorf(409, "not_a_judge", "user %s does not hold the judge role", userID)
	}
	j := &PoolJudge{ID: edition + "/" + userID, Edition: edition, User: userID, Name: u.Name, Org: req.Org, Region: req.Region,
		Expertise: nonNil(req.Expertise), DeclaredConflicts: nonNil(req.DeclaredConflicts), Inactive: req.Inactive, UpdatedAt: tz.In(s.now())}
	_, err = s.judges.ReplaceOne(ctx, bson.D{{Key: "_id", Value: j.ID}}, j, options.Replace().SetUpsert(true))
	if err != nil {
		return nil, fmt.Errorf("save judge %s: %w", userID, err)
	}
	_, err = s.record(ctx, AuditEvent{Edition: edition, Judge: userID, Kind: EvJudgeSaved, Actor: actor})
	return j, err
}

func (s *Service) pool(ctx context.Context, edition string) ([]PoolJudge, error) {
	js, err := store.FindAll[PoolJudge](ctx, s.judges, "judges of "+edition,
		bson.D{{Key: "edition", Value: edition}}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	for i := range js {
		js[i].UpdatedAt = tz.In(js[i].UpdatedAt)
	}
	return js, err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

type conflictReq struct {
	EntryID string `json:"entryId" validate:"required,max=64"`
	Reason  string `json:"reason" validate:"required,max=500"`
}

// declareConflict lets a judge of the pool declare a conflict with an
// entry themselves (a relative, a former student, a business tie). The
// next assignment run drops the pair, and a sheet they submitted for it
// stops counting. Declaring twice changes nothing.
func (s *Service) declareConflict(ctx context.Context, judge, edition string, req *conflictReq) (*PoolJudge, error) {
	var j PoolJudge
	err := s.judges.FindOne(ctx, bson.D{{Key: "_id", Value: edition + "/" + judge}}).Decode(&j)
	if store.IsNotFound(err) {
		if _, err := s.edition(ctx, edition); err != nil {
			return nil, err
		}
		return nil, httpx.Errorf(403, "not_in_pool", "you are not a judge of this edition")
	}
	if err != nil {
		return nil, fmt.Errorf("load judge %s: %w", judge, err)
	}
	e, err := s.entry(ctx, req.EntryID)
	if err != nil || e.Edition != edition {
		return nil, httpx.Invalid(map[string]string{"entryId": "is not an entry of this edition"})
	}
	if !slices.Contains(j.DeclaredConflicts, req.EntryID) {
		// Only the conflicts field is added to, so an organiser's
		// concurrent edit of the judge's other fields is not undone.
		_, err = s.judges.UpdateOne(ctx, bson.D{{Key: "_id", Value: j.ID}},
			bson.D{{Key: "$addToSet", Value: bson.D{{Key: "declaredConflicts", Value: req.EntryID}}}})
		if err != nil {
			return nil, fmt.Errorf("declare conflict: %w", err)
		}
		j.DeclaredConflicts = append(j.DeclaredConflicts, req.EntryID)
	}
	_, err = s.record(ctx, AuditEvent{Edition: edition, Judge: judge, Entry: req.EntryID, Kind: EvConflictDeclared, Actor: judge, Reason: req.Reason})
	j.UpdatedAt = tz.In(j.UpdatedAt)
	return &j, err
}

package access

import (
	"context"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

// Org is an approved organisation: what it may read, how much, and who
// manages it. Its id is the id of the application it came from, which is
// what makes approving exactly-once (see decide).
type Org struct {
	ID            string    `bson:"_id" json:"id"`
	Name          string    `bson:"name" json:"name"`
	Audience      string    `bson:"audience" json:"audience"`
	Scopes        []string  `bson:"scopes" json:"scopes"`
	QuotaPerDay   int64     `bson:"quotaPerDay" json:"quotaPerDay"`
	RatePerSecond int       `bson:"ratePerSecond" json:"ratePerSecond"`
	Suspended     bool      `bson:"suspended" json:"suspended"`
	Members       []Member  `bson:"members" json:"members"`
	Application   string    `bson:"application" json:"application"`
	CreatedAt     time.Time `bson:"createdAt" json:"createdAt"`
	UpdatedAt     time.Time `bson:"updatedAt" json:"updatedAt"`
}

// Member is a user who manages an organisation's keys and sees its usage.
type Member struct {
	User    string    `bson:"user" json:"user"`
	Role    string    `bson:"role" json:"role"` // "owner" (the applicant); more roles later
	AddedAt time.Time `bson:"addedAt" json:"addedAt"`
}

// MemberOwner is the role of the user who applied.
const MemberOwner = "owner"

// isMember reports whether user manages o.
func (o *Org) isMember(user string) bool {
	return slices.ContainsFunc(o.Members, func(m Member) bool { return m.User == user })
}

func (o *Org) localize() {
	o.CreatedAt, o.UpdatedAt = tz.In(o.CreatedAt), tz.In(o.UpdatedAt)
	for i := range o.Members {
		o.Members[i].AddedAt = tz.In(o.Members[i].AddedAt)
	}
	if o.Scopes == nil {
		o.Scopes = []string{}
	}
}

// getOrg reads an organisation; unknown ids are 404.
func (s *Service) getOrg(ctx context.Context, id string) (*Org, error) {
	var o Org
	err := s.orgs.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&o)
	if store.IsNotFound(err) {
		return nil, httpx.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("find organisation %s: %w", id, err)
	}
	o.localize()
	return &o, nil
}

// orgFor reads an organisation for u: members may act on it, and
// administrators too when adminToo.
func (s *Service) orgFor(ctx context.Context, id string, u *farmers.User, adminToo bool) (*Org, error) {
	o, err := s.getOrg(ctx, id)
	if err != nil {
		return nil, err
	}
	if o.isMember(u.ID) || adminToo && u.HasRole(farmers.RoleAdmin) {
		return o, nil
	}
	return nil, httpx.ErrForbidden
}

// orgChange is an administrator's change to an organisation; nil fields
// keep their value.
type orgChange struct {
	Scopes        *[]string `json:"scopes" validate:"omitempty,dive,apiscope"`
	QuotaPerDay   *int64    `json:"quotaPerDay" validate:"omitempty,min=1,max=10000000"`
	RatePerSecond *int      `json:"ratePerSecond" validate:"omitempty,min=1,max=1000"`
	Suspended     *bool     `json:"suspended"`
}

// updateOrg applies ch and drops the organisation's keys from the cache so
// that the change holds for its next request on this process.
func (s *Service) updateOrg(ctx context.Context, id string, ch orgChange) (*Org, error) {
	set := bson.D{{Key: "updatedAt", Value: time.Now()}}
	if ch.Scopes != nil {
		set = append(set, bson.E{Key: "scopes", Value: *ch.Scopes})
	}
	if ch.QuotaPerDay != nil {
		set = append(set, bson.E{Key: "quotaPerDay", Value: *ch.QuotaPerDay})
	}
	if ch.RatePerSecond != nil {
		set = append(set, bson.E{Key: "ratePerSecond", Value: *ch.RatePerSecond})
	}
	if ch.Suspended != nil {
		set = append(set, bson.E{Key: "suspended", Value: *ch.Suspended})
	}
	// Field updates are last-writer-wins; nothing here reads then writes.
	res, err := s.orgs.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{{Key: "$set", Value: set}})
	if err != nil {
		return nil, fmt.Errorf("update organisation %s: %w", id, err)
	}
	if res.MatchedCount == 0 {
		return nil, httpx.ErrNotFound
	}
	s.cache.forgetOrg(id)
	return s.getOrg(ctx, id)
}

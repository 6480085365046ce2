package contest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

// Round modes: judges fill score sheets, or compare entries two at a time.
const (
	ModeScores   = "scores"
	ModePairwise = "pairwise"
)

// Round is one stage of an edition (city preliminary, provincial
// semi-final, final). Round 1 judges the eligible entries; each later
// round judges the entries the previous one advanced.
type Round struct {
	ID      string `bson:"_id" json:"id"`
	Edition string `bson:"edition" json:"edition"`
	Seq     int    `bson:"seq" json:"seq"`
	Name    string `bson:"name" json:"name"`
	Mode    string `bson:"mode" json:"mode"`
	// CityRule keeps judges off entries from their own city (city rounds).
	CityRule bool `bson:"cityRule" json:"cityRule"`
	// Judging, when set, is when judges may score or vote.
	Judging   *Window         `bson:"judging,omitempty" json:"judging,omitempty"`
	Rubric    Rubric          `bson:"rubric" json:"rubric"`
	K         int             `bson:"k" json:"k"`
	Aggregate AggregateConfig `bson:"aggregate" json:"aggregate"`
	Advance   *AdvanceRule    `bson:"advance,omitempty" json:"advance,omitempty"`
	Awards    *AwardRule      `bson:"awards,omitempty" json:"awards,omitempty"`
	CreatedAt time.Time       `bson:"createdAt" json:"createdAt"`
	UpdatedAt time.Time       `bson:"updatedAt" json:"updatedAt"`
}

type roundReq struct {
	Seq       int             `json:"seq" validate:"min=1,max=10"`
	Name      string          `json:"name" validate:"required,max=100"`
	Mode      string          `json:"mode" validate:"oneof=scores pairwise"`
	CityRule  bool            `json:"cityRule"`
	Judging   *Window         `json:"judging"`
	Rubric    Rubric          `json:"rubric"`
	K         int             `json:"k" validate:"min=0,max=20"`
	Aggregate AggregateConfig `json:"aggregate"`
	Advance   *AdvanceRule    `json:"advance"`
	Awards    *AwardRule      `json:"awards"`
}

// check validates the round with the algorithms' own checks, so that a
// stored round can always be assigned, aggregated and ranked.
func (r *roundReq) check() error {
	fields := map[string]string{}
	if r.Judging != nil {
		r.Judging.check("judging", fields)
	}
	if r.Mode == ModeScores {
		if err := r.Rubric.Validate(); err != nil {
			fields["rubric"] = err.Error()
		} else if i := slices.IndexFunc(r.Rubric.Criteria, func(c Criterion) bool { return strings.ContainsAny(c.Key, ".$") }); i >= 0 {
			// Keys become field names of stored sheets; the store refuses these.
			fields[fmt.Sprintf("rubric.criteria[%d].key", i)] = "must not contain . or $"
		} else if err := checkAggregateConfig(r.Rubric, r.Aggregate); err != nil {
			fields["aggregate"] = err.Error()
		} else if errs := checkJudgeWeights(r.Aggregate.JudgeWeights); len(errs) > 0 {
			fields["aggregate.judgeWeights"] = errs[0].Error()
		}
		for id := range r.Aggregate.JudgeWeights {
			if strings.ContainsAny(id, ".$") {
				fields["aggregate.judgeWeights"] = "keys are judges' user ids"
			}
		}
		if r.K < 1 {
			fields["k"] = "must be at least 1 in a scored round"
		}
	}
	if r.Advance != nil {
		if r.Advance.Quota < 0 {
			fields["advance.quota"] = "must be at least 0"
		}
		for k, q := range r.Advance.GroupQuotas {
			if q < 0 || strings.ContainsAny(k, ".$") {
				fields["advance.groupQuotas"] = "group keys must not contain . or $ and quotas must be >= 0"
			}
		}
	}
	if r.Awards != nil {
		if _, err := Awards(nil, nil, *r.Awards); err != nil {
			fields["awards"] = err.Error()
		}
	}
	if len(fields) > 0 {
		return httpx.Invalid(fields)
	}
	return nil
}

func (r *Round) apply(req *roundReq) {
	r.Seq, r.Name, r.Mode, r.CityRule = req.Seq, req.Name, req.Mode, req.CityRule
	r.Judging = nil
	if req.Judging != nil {
		r.Judging = &Window{tz.In(req.Judging.Opens), tz.In(req.Judging.Closes)}
	}
	r.Rubric, r.K, r.Aggregate, r.Advance, r.Awards = req.Rubric, req.K, req.Aggregate, req.Advance, req.Awards
	if r.Mode == ModePairwise {
		// Scores settings mean nothing here; kept empty, not null.
		r.Rubric, r.K, r.Aggregate = Rubric{Criteria: []Criterion{}}, 0, AggregateConfig{}
	}
}

func (s *Service) createRound(ctx context.Context, actor, edition string, req *roundReq) (*Round, error) {
	if err := req.check(); err != nil {
		return nil, err
	}
	if _, err := s.edition(ctx, edition); err != nil {
		return nil, err
	}
	now := tz.In(s.now())
	r := &Round{ID: newID(), Edition: edition, CreatedAt: now, UpdatedAt: now}
	r.apply(req)
	if _, err := s.rounds.InsertOne(ctx, r); err != nil {
		if store.IsDuplicate(err) {
			return nil, httpx.Errorf(409, "round_exists", "the edition already has a round %d", req.Seq)
		}
		return nil, fmt.Errorf("insert round: %w", err)
	}
	_, err := s.record(ctx, AuditEvent{Edition: edition, Round: r.ID, Kind: EvRoundSaved, Actor: actor})
	return r, err
}

// updateRound replaces a round's settings until judging has produced
// anything (an assignment or a vote): changing a rubric under submitted
// sheets would make them unreadable.
func (s *Service) updateRound(ctx context.Context, actor, id string, req *roundReq) (*Round, error) {
	if err := req.check(); err != nil {
		return nil, err
	}
	r, err := s.round(ctx, id)
	if err != nil {
		return nil, err
	}
	if req.Seq != r.Seq {
		return nil, httpx.Invalid(map[string]string{"seq": "a round's position cannot change"})
	}
	if started, err := s.roundStarted(ctx, r); err != nil {
		return nil, err
	} else if started {
		return nil, httpx.Errorf(409, "round_started", "judging of this round has started; its settings are fixed")
	}
	r.apply(req)
	r.UpdatedAt = tz.In(s.now())
	if _, err := s.rounds.ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}}, r); err != nil {
		return nil, fmt.Errorf("update round %s: %w", id, err)
	}
	_, err = s.record(ctx, AuditEvent{Edition: r.Edition, Round: r.ID, Kind: EvRoundSaved, Actor: actor})
	return r, err
}

// roundStarted reports whether a round has an assignment or votes.
func (s *Service) roundStarted(ctx context.Context, r *Round) (bool, error) {
	n, err := s.assignments.CountDocuments(ctx, bson.D{{Key: "_id", Value: r.ID}})
	if err != nil || n > 0 {
		return n > 0, err
	}
	n, err = s.audit.CountDocuments(ctx, bson.D{{Key: "round", Value: r.ID}, {Key: "kind", Value: EvVote}})
	return n > 0, err
}

func (s *Service) round(ctx context.Context, id string) (*Round, error) {
	var r Round
	err := s.rounds.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&r)
	if store.IsNotFound(err) {
		return nil, httpx.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load round %s: %w", id, err)
	}
	r.localise()
	return &r, nil
}

func (r *Round) localise() {
	r.CreatedAt, r.UpdatedAt = tz.In(r.CreatedAt), tz.In(r.UpdatedAt)
	if r.Judging != nil {
		r.Judging = &Window{tz.In(r.Judging.Opens), tz.In(r.Judging.Closes)}
	}
}

// editionRounds lists an edition's rounds by seq.
func (s *Service) editionRounds(ctx context.Context, edition string) ([]Round, error) {
	rs, err := store.FindAll[Round](ctx, s.rounds, "rounds of "+edition,
		bson.D{{Key: "edition", Value: edition}}, options.Find().SetSort(bson.D{{Key: "seq", Value: 1}}))
	for i := range rs {
		rs[i].localise()
	}
	return rs, err
}

// judgingOpen refuses scoring and voting outside the judging window and
// after the round's advancement or awards froze its results.
func (r *Round) judgingOpen(l *ledger, now time.Time) error {
	if r.Judging != nil && !r.Judging.contains(now) {
		return httpx.Errorf(409, "judging_closed", "judging of round %s is open from %s to %s",
			r.Name, r.Judging.Opens.Format(time.RFC3339), r.Judging.Closes.Format(time.RFC3339))
	}
	return r.decided(l)
}

// decided refuses changes to a round whose advancement or awards have
// fixed its results.
func (r *Round) decided(l *ledger) error {
	_, advanced := l.advanced[r.ID]
	if _, awarded := l.awarded[r.ID]; advanced || awarded {
		return httpx.Errorf(409, "round_closed", "round %s has been decided; its results are fixed", r.Name)
	}
	return nil
}

package access

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// UsageItem is the number of admitted requests of one day and scope.
type UsageItem struct {
	Day   string `json:"day"`
	Scope string `json:"scope"`
	Count int64  `json:"count"`
}

// Usage is an organisation's metered use over a range of days.
type Usage struct {
	Items       []UsageItem `json:"items"`
	QuotaPerDay int64       `json:"quotaPerDay"`
	UsedToday   int64       `json:"usedToday"`
}

// othersToday returns the quota's othersFunc: the readings of day written
// by processes other than process, summed per organisation.
func (s *Service) othersToday(process string) othersFunc {
	return func(ctx context.Context, day string, orgs []string) (map[string]int64, error) {
		ctx, cancel := s.storeCtx(ctx)
		defer cancel()
		match := bson.D{{Key: "day", Value: day}, {Key: "org", Value: bson.D{{Key: "$in", Value: orgs}}},
			{Key: "process", Value: bson.D{{Key: "$ne", Value: process}}}}
		rows, err := sumReadings[string](ctx, s.usage, match, "$org")
		if err != nil {
			return nil, err
		}
		out := make(map[string]int64, len(rows))
		for _, r := range rows {
			out[r.ID] = r.N
		}
		return out, nil
	}
}

// usageOf sums org's readings of the days from..to, plus the counts this
// process has not flushed yet, and also reports today's total.
func (s *Service) usageOf(ctx context.Context, o *Org, from, to string, now time.Time) (*Usage, error) {
	today := dayOf(now)
	match := bson.D{{Key: "org", Value: o.ID}, {Key: "$or", Value: bson.A{
		bson.D{{Key: "day", Value: bson.D{{Key: "$gte", Value: from}, {Key: "$lte", Value: to}}}},
		bson.D{{Key: "day", Value: today}},
	}}}
	type dayScope struct {
		Day   string `bson:"day"`
		Scope string `bson:"scope"`
	}
	sums := map[dayScope]int64{}
	err := s.meter.stable(o.ID, func(unflushed []reading) error {
		rows, err := sumReadings[dayScope](ctx, s.usage, match, bson.D{{Key: "day", Value: "$day"}, {Key: "scope", Value: "$scope"}})
		if err != nil {
			return err
		}
		for _, r := range rows {
			sums[r.ID] += r.N
		}
		for _, r := range unflushed {
			sums[dayScope{r.Day, r.Scope}] += r.Count
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	u := &Usage{Items: []UsageItem{}, QuotaPerDay: o.QuotaPerDay}
	for k, n := range sums {
		if k.Day == today {
			u.UsedToday += n
		}
		if k.Day >= from && k.Day <= to {
			u.Items = append(u.Items, UsageItem{Day: k.Day, Scope: k.Scope, Count: n})
		}
	}
	slices.SortFunc(u.Items, func(a, b UsageItem) int {
		return cmp.Or(cmp.Compare(a.Day, b.Day), cmp.Compare(a.Scope, b.Scope))
	})
	return u, nil
}

// sum is one group of readings: its key and total count.
type sum[K any] struct {
	ID K     `bson:"_id"`
	N  int64 `bson:"n"`
}

// sumReadings totals the count of the readings matching match, grouped by
// the expression by ($group with $sum works on both stores).
func sumReadings[K any](ctx context.Context, coll *mongo.Collection, match bson.D, by any) ([]sum[K], error) {
	cur, err := coll.Aggregate(ctx, mongo.Pipeline{
		{{Key: "$match", Value: match}},
		{{Key: "$group", Value: bson.D{{Key: "_id", Value: by}, {Key: "n", Value: bson.D{{Key: "$sum", Value: "$count"}}}}}},
	})
	if err != nil {
		return nil, fmt.Errorf("sum usage: %w", err)
	}
	var out []sum[K]
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("read usage sums: %w", err)
	}
	return out, nil
}

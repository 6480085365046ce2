package knowledge

import (
	"cmp"
	"slices"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
)

// maxCandidates bounds a search: the database returns at most this many
// of the newest entries holding every term, and they are ranked here.
// An older entry beyond them is found by narrowing the query (more words,
// a crop, a date range). A search answers ?limit results and no cursor:
// a ranking is not a stable order to page through.
const maxCandidates = 1000

// Weights of a term found in each part of an entry: the question says
// what the entry is about, the answer only mentions things.
const (
	weightQuestion = 3
	weightLabel    = 2 // crop or category
	weightAnswer   = 1
)

func (s *Service) respondSearch(c *fiber.Ctx, f bson.D, terms []string) error {
	limit, err := httpx.Limit(c)
	if err != nil {
		return err
	}
	opts := options.Find().SetSort(bson.D{{Key: "time", Value: -1}, {Key: "_id", Value: -1}}).
		SetLimit(maxCandidates).SetProjection(bson.D{{Key: "tokens", Value: 0}})
	es, err := store.FindAll[Entry](c.UserContext(), s.entries, "knowledge search", f, opts)
	if err != nil {
		return err
	}
	ranked := rank(es, terms)
	page := httpx.List[View]{Items: make([]View, 0, min(limit, len(ranked)))}
	for _, e := range ranked[:min(limit, len(ranked))] {
		page.Items = append(page.Items, e.view())
	}
	return datasets.JSONWithETag(c, page)
}

// rank orders entries by score, then newest first, then by id, so equal
// inputs always give the same order.
func rank(es []Entry, terms []string) []*Entry {
	type scored struct {
		e     *Entry
		score int
	}
	ss := make([]scored, len(es))
	for i := range es {
		ss[i] = scored{&es[i], score(&es[i], terms)}
	}
	slices.SortFunc(ss, func(a, b scored) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		if c := b.e.Time.Compare(a.e.Time); c != 0 {
			return c
		}
		return cmp.Compare(b.e.ID, a.e.ID)
	})
	out := make([]*Entry, len(ss))
	for i, s := range ss {
		out[i] = s.e
	}
	return out
}

// score adds each term's weight for every part of the entry holding it.
func score(e *Entry, terms []string) int {
	parts := []struct {
		tokens []string
		weight int
	}{
		{indexTokens(e.Question), weightQuestion},
		{indexTokens(e.Crop, e.Category), weightLabel},
		{indexTokens(e.Answer), weightAnswer},
	}
	n := 0
	for _, t := range terms {
		for _, p := range parts {
			if slices.Contains(p.tokens, t) {
				n += p.weight
			}
		}
	}
	return n
}

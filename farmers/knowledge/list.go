package knowledge

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
)

// Query limits: a search is a few words, not a document.
const (
	maxQueryChars  = 100
	maxQueryTokens = 30
)

// handleList: GET /knowledge?q=&category=&crop=&region=&expert=&from=&to=.
//   - ?format=csv|json downloads every match (in _id order);
//   - with q, the best matches by relevance (search.go), ?limit only;
//   - without q, newest first, paged by ?cursor.
func (s *Service) handleList(c *fiber.Ctx) error {
	f, terms, err := listFilter(c)
	if err != nil {
		return err
	}
	switch {
	case c.Query("format") != "":
		return datasets.RespondList(c, s.entries, f, Dataset, downloadView)
	case len(terms) > 0:
		return s.respondSearch(c, f, terms)
	}
	return s.respondRecent(c, f)
}

// listFilter reads the filters. Every value is an equality on a string or
// a validated code or day: nothing the client sends becomes an operator.
func listFilter(c *fiber.Ctx) (bson.D, []string, error) {
	f := bson.D{}
	for _, name := range []string{"category", "crop", "expert"} {
		if v := c.Query(name); v != "" {
			f = append(f, bson.E{Key: name, Value: v})
		}
	}
	if v := c.Query("region"); v != "" {
		e, err := datasets.RegionFilter("region", v)
		if err != nil {
			return nil, nil, err
		}
		f = append(f, e)
	}
	from, to, err := datasets.Days(c)
	if err != nil {
		return nil, nil, err
	}
	if e, ok := datasets.TimeFilter("time", from, to); ok {
		f = append(f, e)
	}
	terms, err := searchTerms(c.Query("q"))
	if err != nil {
		return nil, nil, err
	}
	if len(terms) > 0 {
		f = append(f, bson.E{Key: "tokens", Value: bson.D{{Key: "$all", Value: terms}}})
	}
	return f, terms, nil
}

// searchTerms tokenises ?q=. A query with nothing to search for (only
// punctuation, say ".*") is refused rather than read as "everything".
func searchTerms(q string) ([]string, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, nil
	}
	if len(q) > 4*maxQueryChars || utf8.RuneCountInString(q) > maxQueryChars {
		return nil, httpx.Invalid(map[string]string{"q": fmt.Sprintf("must be at most %d characters", maxQueryChars)})
	}
	terms := queryTokens(q)
	switch {
	case len(terms) == 0:
		return nil, httpx.Invalid(map[string]string{"q": "must contain Chinese characters, letters or digits"})
	case len(terms) > maxQueryTokens:
		return nil, httpx.Invalid(map[string]string{"q": fmt.Sprintf("has more than %d search terms", maxQueryTokens)})
	}
	return terms, nil
}

func downloadView(raw bson.Raw) (any, []string, error) {
	var e Entry
	if err := bson.Unmarshal(raw, &e); err != nil {
		return nil, nil, fmt.Errorf("decode knowledge entry: %w", err)
	}
	cells, err := formatDoc(raw)
	return e.view(), cells, err
}

// respondRecent pages through entries newest first. The cursor is the
// last entry's time and id, so pages neither skip nor repeat entries as
// new ones arrive.
func (s *Service) respondRecent(c *fiber.Ctx, f bson.D) error {
	limit, err := httpx.Limit(c)
	if err != nil {
		return err
	}
	if cur := c.Query("cursor"); cur != "" {
		after, err := afterCursor(cur)
		if err != nil {
			return err
		}
		f = append(f, after)
	}
	opts := options.Find().SetSort(bson.D{{Key: "time", Value: -1}, {Key: "_id", Value: -1}}).SetLimit(int64(limit))
	es, err := store.FindAll[Entry](c.UserContext(), s.entries, "knowledge", f, opts)
	if err != nil {
		return err
	}
	page := httpx.List[View]{Items: make([]View, len(es))}
	for i := range es {
		page.Items[i] = es[i].view()
	}
	if len(es) == limit {
		last := es[len(es)-1]
		page.Next = strconv.FormatInt(last.Time.UnixMilli(), 10) + "_" + last.ID
	}
	return datasets.JSONWithETag(c, page)
}

// afterCursor reads "<unix ms>_<id>" into "older than that entry".
func afterCursor(cur string) (bson.E, error) {
	ms, id, ok := strings.Cut(cur, "_")
	n, err := strconv.ParseInt(ms, 10, 64)
	if !ok || err != nil || id == "" {
		return bson.E{}, httpx.Invalid(map[string]string{"cursor": "is not a cursor this list gave"})
	}
	t := time.UnixMilli(n)
	return bson.E{Key: "$or", Value: bson.A{
		bson.D{{Key: "time", Value: bson.D{{Key: "$lt", Value: t}}}},
		bson.D{{Key: "time", Value: t}, {Key: "_id", Value: bson.D{{Key: "$lt", Value: id}}}},
	}}, nil
}

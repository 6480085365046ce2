package contest

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/liaoning12316/agrimaker/internal/httpx"
)

// PublishedEntry is one line of the public results page: no phones.
type PublishedEntry struct {
	Entry  string   `bson:"entry" json:"entry"`
	Title  string   `bson:"title" json:"title"`
	Track  string   `bson:"track" json:"track"`
	Region string   `bson:"region" json:"region"`
	Award  string   `bson:"award,omitempty" json:"award,omitempty"`
	Place  int      `bson:"place,omitempty" json:"place,omitempty"`
	Group  string   `bson:"group,omitempty" json:"group,omitempty"`
	Rounds []string `bson:"rounds" json:"rounds"`
}

// PublicResults is the public results page of an edition.
type PublicResults struct {
	Edition     string           `json:"edition"`
	Name        string           `json:"name"`
	Year        int              `json:"year"`
	PublishedAt time.Time        `json:"publishedAt"`
	Entries     []PublishedEntry `json:"entries"`
}

// publish snapshots the results into the publication event, once. The
// snapshot is what the public page serves, so results cannot change under
// it after publication. It needs the last round's awards.
func (s *Service) publish(ctx context.Context, actor, edition string) (*PublicResults, error) {
	ed, err := s.edition(ctx, edition)
	if err != nil {
		return nil, err
	}
	rounds, err := s.editionRounds(ctx, edition)
	if err != nil {
		return nil, err
	}
	l, err := s.ledger(ctx, edition)
	if err != nil {
		return nil, err
	}
	if l.published != nil {
		return nil, errPublished
	}
	if _, ok := l.awarded[lastID(rounds)]; !ok {
		return nil, httpx.Errorf(409, "not_awarded", "the last round has not given its awards yet")
	}
	docs, err := s.editionEntries(ctx, edition)
	if err != nil {
		return nil, err
	}
	snap := publicationOf(rounds, l, docs)
	ev, err := s.once(ctx, AuditEvent{ID: publishKey(edition), Edition: edition, Kind: EvPublished, Actor: actor, Published: snap},
		errPublished.Code, "%s", errPublished.Message)
	if err != nil {
		return nil, err
	}
	return &PublicResults{Edition: ed.ID, Name: ed.Name, Year: ed.Year, PublishedAt: ev.At, Entries: snap}, nil
}

// lastID is the id of the last round, or "" when there is none.
func lastID(rounds []Round) string {
	if len(rounds) == 0 {
		return ""
	}
	return rounds[len(rounds)-1].ID
}

var errPublished = httpx.Errorf(409, "already_published", "the results have already been published")

// publicationOf lists every entry that competed, prize winners first (by tier
// order of the awards, then place), then the rest by title.
func publicationOf(rounds []Round, l *ledger, docs []entryDoc) []PublishedEntry {
	byID := map[string]*entryDoc{}
	for i := range docs {
		byID[docs[i].ID] = &docs[i]
	}
	reached := reachedRounds(rounds, l, byID)
	last := l.awarded[rounds[len(rounds)-1].ID].Awards
	tierRank := map[string]int{}
	for _, a := range last {
		if _, ok := tierRank[a.Tier]; !ok {
			tierRank[a.Tier] = len(tierRank)
		}
	}
	out := []PublishedEntry{}
	for id, rs := range reached {
		d := byID[id]
		p := PublishedEntry{Entry: id, Title: d.Title, Track: d.Track, Region: d.Region, Rounds: rs}
		if a := awardOf(rounds, l, id); a != nil {
			p.Award, p.Place, p.Group = a.Tier, a.Place, a.Group
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b PublishedEntry) int {
		ra, oka := tierRank[a.Award]
		rb, okb := tierRank[b.Award]
		switch {
		case oka != okb:
			if oka {
				return -1
			}
			return 1
		case oka && ra != rb:
			return cmp.Compare(ra, rb)
		}
		return cmp.Or(strings.Compare(a.Group, b.Group), cmp.Compare(a.Place, b.Place), strings.Compare(a.Title, b.Title), strings.Compare(a.Entry, b.Entry))
	})
	return out
}

// publicResults serves the publication snapshot; 404 before publication.
func (s *Service) publicResults(ctx context.Context, edition string) (*PublicResults, error) {
	ed, err := s.edition(ctx, edition)
	if err != nil {
		return nil, err
	}
	l, err := s.ledger(ctx, edition)
	if err != nil {
		return nil, err
	}
	if l.published == nil {
		return nil, httpx.Errorf(404, "not_published", "the results of %s are not published yet", ed.Name)
	}
	return &PublicResults{Edition: ed.ID, Name: ed.Name, Year: ed.Year, PublishedAt: l.published.At, Entries: nonNilPub(l.published.Published)}, nil
}

func nonNilPub(p []PublishedEntry) []PublishedEntry {
	if p == nil {
		return []PublishedEntry{}
	}
	return p
}

// TeamResult is what a team sees of its own entry's outcome.
type TeamResult struct {
	Entry     string          `json:"entry"`
	Status    string          `json:"status"`
	Published bool            `json:"published"`
	Result    *PublishedEntry `json:"result"`
}

// teamResult shows a team its line of the published results; before
// publication only its status.
func (s *Service) teamResult(ctx context.Context, e *entryDoc) (*TeamResult, error) {
	l, err := s.ledger(ctx, e.Edition)
	if err != nil {
		return nil, err
	}
	out := &TeamResult{Entry: e.ID, Status: l.status(e.ID)}
	if l.published == nil {
		return out, nil
	}
	out.Published = true
	for _, p := range l.published.Published {
		if p.Entry == e.ID {
			p := p
			out.Result = &p
		}
	}
	return out, nil
}

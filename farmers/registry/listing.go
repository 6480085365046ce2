package registry

import (
	"context"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/farmers/access"
	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/internal/store"
)

// listing is one registry list — people, or organisations — as pages,
// downloads and the access log see it, so that both lists mask and log
// through the same code.
type listing struct {
	coll    *mongo.Collection
	dataset *datasets.Dataset
	// show decodes a stored document and shows it to v: the JSON item, the
	// download cells, and what it disclosed (zero: nothing personal).
	show func(v viewer, raw bson.Raw) (item any, cells []string, disc disclosure, err error)
	// logFields are the stored fields show needs to tell what it masks:
	// all a download reads ahead to log it.
	logFields bson.D
}

// view is the datasets view for v; seen is told what each row discloses
// before the row is handed out, and may refuse it.
func (l listing) view(v viewer, seen func(disclosure) error) datasets.View {
	return func(raw bson.Raw) (any, []string, error) {
		item, cells, disc, err := l.show(v, raw)
		if err != nil {
			return nil, nil, err
		}
		if err := seen(disc); err != nil {
			return nil, nil, err
		}
		return item, cells, nil
	}
}

// respondList answers a list route (a page, or the whole set as CSV or
// JSON), masked for v, and logs what a key caller received before any of
// it leaves the server.
func (s *Service) respondList(c *fiber.Ctx, l listing, f bson.D, v viewer) error {
	d := newDisclosures(c, access.CallerFrom(c))
	if c.Query("format") != "" {
		return s.download(c, l, f, v, d)
	}
	err := datasets.RespondList(c, l.coll, f, l.dataset, l.view(v, func(x disclosure) error {
		d.add(x)
		return nil
	}))
	if err != nil {
		return err
	}
	// The page is only buffered until the handler returns: if its log
	// cannot be written, the client gets the error instead of the page.
	if err := s.writeLog(c.UserContext(), d); err != nil {
		c.Response().ResetBody()
		c.Response().Header.Del(fiber.HeaderETag)
		return err
	}
	return nil
}

// download streams the whole filtered set. Rows leave as they are read,
// after the handler returned, so a key caller's disclosures are logged
// ahead: one read of the matching entries' consent, logged in batches,
// then the stream. A row whose disclosure differs from what was logged
// (an entry added, or its consent changed, in between) is logged on its
// own before it is written; if that fails the download stops short of it.
func (s *Service) download(c *fiber.Ctx, l listing, f bson.D, v viewer, d *disclosures) error {
	logged := map[string]string{}
	if d.caller != nil {
		var err error
		if logged, err = s.logAhead(c.UserContext(), l, f, v, d); err != nil {
			return err
		}
	}
	return datasets.RespondList(c, l.coll, f, l.dataset, l.view(v, func(x disclosure) error {
		if d.caller == nil || x.subject() == "" || logged[x.subject()] == signature(x.masked) {
			return nil
		}
		d.add(x)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // the request's context is gone
		defer cancel()
		return s.writeLog(ctx, d)
	}))
}

// logAheadBatch bounds one insert of a download's log.
const logAheadBatch = 1000

// logAhead logs the disclosure of every entry matching f to d's caller and
// returns each entry's masked-fields signature.
func (s *Service) logAhead(ctx context.Context, l listing, f bson.D, v viewer, d *disclosures) (map[string]string, error) {
	docs, err := store.FindAll[bson.Raw](ctx, l.coll, "registry entries to log", f, options.Find().SetProjection(l.logFields))
	if err != nil {
		return nil, err
	}
	sigs := make(map[string]string, len(docs))
	for _, raw := range docs {
		_, _, x, err := l.show(v, raw)
		if err != nil {
			return nil, err
		}
		if x.subject() == "" {
			continue
		}
		sigs[x.subject()] = signature(x.masked)
		d.add(x)
		if len(d.entries) == logAheadBatch {
			if err := s.writeLog(ctx, d); err != nil {
				return nil, err
			}
		}
	}
	return sigs, s.writeLog(ctx, d)
}

// peopleListing shows people; link, when set, fills in their
// cooperative's id (see coops.go).
func (s *Service) peopleListing(link *coopLinker) listing {
	return listing{coll: s.people, dataset: Dataset,
		logFields: bson.D{{Key: "_id", Value: 1}, {Key: "phone", Value: 1}, {Key: "consent", Value: 1}},
		show: func(v viewer, raw bson.Raw) (any, []string, disclosure, error) {
			var p Person
			if err := bson.Unmarshal(raw, &p); err != nil {
				return nil, nil, disclosure{}, fmt.Errorf("decode registry entry: %w", err)
			}
			pv, cells, masked := v.show(p)
			return link.item(pv), cells, disclosure{person: p.ID, masked: masked}, nil
		}}
}

// orgListing shows organisations. One without personal data (no leader,
// no address) discloses nothing and is not logged.
func (s *Service) orgListing() listing {
	return listing{coll: s.orgs, dataset: OrgDataset,
		logFields: bson.D{{Key: "_id", Value: 1}, {Key: "leaderName", Value: 1}, {Key: "leaderPhone", Value: 1},
			{Key: "address", Value: 1}, {Key: "consent", Value: 1}},
		show: func(v viewer, raw bson.Raw) (any, []string, disclosure, error) {
			var o Organisation
			if err := bson.Unmarshal(raw, &o); err != nil {
				return nil, nil, disclosure{}, fmt.Errorf("decode organisation: %w", err)
			}
			ov, cells, masked := v.showOrg(o)
			return ov, cells, orgDisclosure(&o, masked), nil
		}}
}

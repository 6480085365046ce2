package datasets

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

// Entry describes a dataset in the catalogue, after CKAN's package
// metadata: what it is, its schema, licence, how often it changes, how
// big it is and when it last changed, and where to get it.
type Entry struct {
	Name        string     `json:"name"`
	Title       string     `json:"title"`
	TitleEn     string     `json:"titleEn"`
	Description string     `json:"description"`
	Licence     string     `json:"licence"`
	Frequency   string     `json:"frequency"`
	Scope       string     `json:"scope"`
	Schema      []Column   `json:"schema"`
	RecordCount int64      `json:"recordCount"`
	LastUpdated *time.Time `json:"lastUpdated"`
	Downloads   Downloads  `json:"downloads"`
}

// Downloads are the dataset's list route and its whole-set forms.
type Downloads struct {
	List string `json:"list"`
	CSV  string `json:"csv"`
	JSON string `json:"json"`
}

// Routes mounts the catalogue (public) and imports (administrators).
func (s *Service) Routes(api fiber.Router) {
	api.Get("/datasets", s.handleCatalogue)
	api.Get("/datasets/:name", s.handleDataset)
	httpx.AllowLargeBody(http.MethodPost, "/api/v1/datasets/[^/]+/imports")
	admin := s.accounts.RequireRole(farmers.RoleAdmin)
	api.Post("/datasets/:name/imports", admin, s.handleImport)
	api.Get("/imports", admin, s.handleJobs)
	api.Get("/imports/:id", admin, s.handleJob)
	api.Get("/imports/:id/rows", admin, s.handleJobRows)
}

func (s *Service) handleCatalogue(c *fiber.Ctx) error {
	var out []Entry
	for _, d := range s.All() {
		e, err := s.entry(c.UserContext(), d)
		if err != nil {
			return err
		}
		out = append(out, e)
	}
	return JSONWithETag(c, httpx.List[Entry]{Items: out})
}

func (s *Service) handleDataset(c *fiber.Ctx) error {
	d, ok := s.Get(c.Params("name"))
	if !ok {
		return httpx.Errorf(http.StatusNotFound, "not_found", "no dataset %q", c.Params("name"))
	}
	e, err := s.entry(c.UserContext(), d)
	if err != nil {
		return err
	}
	return JSONWithETag(c, fiber.Map{"dataset": e})
}

func (s *Service) entry(ctx context.Context, d *Dataset) (Entry, error) {
	n, err := s.count(ctx, d)
	if err != nil {
		return Entry{}, err
	}
	e := Entry{Name: d.Name, Title: d.Title, TitleEn: d.TitleEn, Description: d.Description, Licence: d.Licence,
		Frequency: d.Frequency, Scope: d.Scope, Schema: d.Columns, RecordCount: n,
		Downloads: Downloads{List: d.ListPath, CSV: d.ListPath + "?format=csv", JSON: d.ListPath + "?format=json"}}
	var meta struct {
		UpdatedAt time.Time `bson:"updatedAt"`
	}
	if err := s.meta.FindOne(ctx, bson.D{{Key: "_id", Value: d.Name}}).Decode(&meta); err == nil {
		t := tz.In(meta.UpdatedAt)
		e.LastUpdated = &t
	}
	return e, nil
}

// count is the dataset's size, cached: counting scans on the embedded
// store, and the catalogue is read far more often than it changes.
func (s *Service) count(ctx context.Context, d *Dataset) (int64, error) {
	s.mu.Lock()
	c, ok := s.counts[d.Name]
	s.mu.Unlock()
	if ok && time.Since(c.at) < s.cfg.CountCache {
		return c.n, nil
	}
	n, err := s.db.Collection(d.Collection).EstimatedDocumentCount(ctx)
	if err != nil {
		return 0, fmt.Errorf("count %s: %w", d.Name, err)
	}
	s.mu.Lock()
	s.counts[d.Name] = cachedCount{n: n, at: time.Now()}
	s.mu.Unlock()
	return n, nil
}

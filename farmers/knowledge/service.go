// Package knowledge is the 12316 hotline knowledge base (咨询知识库):
// questions farmers asked and the answers experts gave, searchable in
// Chinese, readable by third parties with the knowledge:read scope.
package knowledge

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/farmers/access"
	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/internal/store"
)

// Service serves the knowledge base.
type Service struct {
	log     *slog.Logger
	cat     *datasets.Service
	entries *mongo.Collection
	// Gates, built in NewService so that Routes touches no field (it runs
	// over a zero Service in the route tests).
	read, staff fiber.Handler
}

// NewService wires the knowledge base to db, creates its indexes and
// registers its dataset in the catalogue.
func NewService(ctx context.Context, db *mongo.Database, accounts *farmers.Service, acc *access.Service, cat *datasets.Service, log *slog.Logger) (*Service, error) {
	s := &Service{log: log, cat: cat, entries: db.Collection(collection),
		read:  acc.Require(access.ScopeKnowledgeRead),
		staff: accounts.RequireRole(farmers.RoleAdmin, farmers.RoleOrganizer)}
	err := store.EnsureIndexes(ctx, s.entries,
		mongo.IndexModel{Keys: bson.D{{Key: "key", Value: 1}}, Options: options.Index().SetUnique(true)},
		// MongoDB only (FerretDB scans anyway): search, and the filters by recency.
		mongo.IndexModel{Keys: bson.D{{Key: "tokens", Value: 1}, {Key: "time", Value: -1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "time", Value: -1}, {Key: "_id", Value: -1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "crop", Value: 1}, {Key: "time", Value: -1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "category", Value: 1}, {Key: "time", Value: -1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "region", Value: 1}, {Key: "time", Value: -1}}},
	)
	if err != nil {
		return nil, fmt.Errorf("knowledge indexes: %w", err)
	}
	cat.Register(Dataset)
	return s, nil
}

// Routes mounts the knowledge routes under /api/v1.
func (s *Service) Routes(api fiber.Router) {
	api.Get("/knowledge", s.gateRead, s.handleList)
	api.Get("/knowledge/:id", s.gateRead, s.handleGet)
	api.Post("/knowledge", s.gateStaff, s.handleCreate)
}

func (s *Service) gateRead(c *fiber.Ctx) error  { return s.read(c) }
func (s *Service) gateStaff(c *fiber.Ctx) error { return s.staff(c) }

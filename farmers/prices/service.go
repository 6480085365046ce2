// Package prices holds the market prices of farm produce in Liaoning:
// quotes reported to 12316, imported files, and the prices the
// platform's own auctions reach. It answers lists, series with weekly and
// monthly aggregates, and a board of the latest prices.
package prices

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

// Service serves market prices.
type Service struct {
	log    *slog.Logger
	cat    *datasets.Service
	points *mongo.Collection
	// Gates, built in NewService so that Routes touches no field.
	read, staff fiber.Handler
}

// NewService wires prices to db, creates the indexes and registers the
// dataset in the catalogue.
func NewService(ctx context.Context, db *mongo.Database, accounts *farmers.Service, acc *access.Service, cat *datasets.Service, log *slog.Logger) (*Service, error) {
	s := &Service{log: log, cat: cat, points: db.Collection(collection),
		read:  acc.Require(access.ScopePricesRead),
		staff: accounts.RequireRole(farmers.RoleAdmin, farmers.RoleOrganizer)}
	err := store.EnsureIndexes(ctx, s.points,
		mongo.IndexModel{Keys: bson.D{{Key: "key", Value: 1}}, Options: options.Index().SetUnique(true)},
		// MongoDB only (FerretDB scans anyway): series, the board, list filters.
		mongo.IndexModel{Keys: bson.D{{Key: "commodity", Value: 1}, {Key: "market", Value: 1}, {Key: "date", Value: 1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "date", Value: 1}, {Key: "region", Value: 1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "region", Value: 1}, {Key: "date", Value: 1}}},
	)
	if err != nil {
		return nil, fmt.Errorf("price indexes: %w", err)
	}
	cat.Register(Dataset)
	return s, nil
}

// Routes mounts the price routes under /api/v1.
func (s *Service) Routes(api fiber.Router) {
	api.Get("/prices", s.gateRead, s.handleList)
	api.Get("/prices/series", s.gateRead, s.handleSeries)
	api.Get("/prices/board", s.gateRead, s.handleBoard)
	api.Post("/prices", s.gateStaff, s.handleCreate)
}

func (s *Service) gateRead(c *fiber.Ctx) error  { return s.read(c) }
func (s *Service) gateStaff(c *fiber.Ctx) error { return s.staff(c) }

// insert stores a normalised point; a point with the same key exists → errDuplicate.
func (s *Service) insert(ctx context.Context, p *Point) error {
	p.ID = bson.NewObjectID().Hex()
	p.Key = p.key()
	doc := append(bson.D{{Key: "_id", Value: p.ID}}, p.fields()...)
	if _, err := s.points.InsertOne(ctx, doc); err != nil {
		if store.IsDuplicate(err) {
			return errDuplicate
		}
		return fmt.Errorf("insert price: %w", err)
	}
	s.cat.Touch(ctx, Dataset.Name)
	return nil
}

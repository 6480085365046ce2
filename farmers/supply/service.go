// Package supply holds supply and demand posts (供求信息): who offers or
// wants which produce, how much, where and until when. Platform users and
// organisations with the supply:write scope post; readers need
// supply:read.
package supply

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

// Service serves supply and demand posts.
type Service struct {
	log   *slog.Logger
	cat   *datasets.Service
	posts *mongo.Collection
	// Gates, built in NewService so that Routes touches no field.
	read, write fiber.Handler
}

// NewService wires posts to db, creates the indexes and registers the
// dataset in the catalogue. accounts is unused: the access gate knows the
// signed-in user (kept for the constructor shape the domains share).
func NewService(ctx context.Context, db *mongo.Database, _ *farmers.Service, acc *access.Service, cat *datasets.Service, log *slog.Logger) (*Service, error) {
	s := &Service{log: log, cat: cat, posts: db.Collection(collection),
		read: acc.Require(access.ScopeSupplyRead), write: acc.Require(access.ScopeSupplyWrite)}
	err := store.EnsureIndexes(ctx, s.posts,
		mongo.IndexModel{Keys: bson.D{{Key: "key", Value: 1}}, Options: options.Index().SetUnique(true)},
		// MongoDB only (FerretDB scans anyway): the open-posts list and its filters.
		mongo.IndexModel{Keys: bson.D{{Key: "status", Value: 1}, {Key: "validUntil", Value: 1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "commodity", Value: 1}, {Key: "status", Value: 1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "region", Value: 1}, {Key: "status", Value: 1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "author.id", Value: 1}}},
	)
	if err != nil {
		return nil, fmt.Errorf("supply indexes: %w", err)
	}
	cat.Register(Dataset)
	return s, nil
}

// Routes mounts the supply routes under /api/v1.
func (s *Service) Routes(api fiber.Router) {
	api.Get("/supply", s.gateRead, s.handleList)
	api.Get("/supply/:id", s.gateRead, s.handleGet)
	api.Post("/supply", s.gateWrite, s.handleCreate)
	api.Put("/supply/:id", s.gateWrite, s.handleUpdate)
	api.Post("/supply/:id/close", s.gateWrite, s.handleClose)
}

func (s *Service) gateRead(c *fiber.Ctx) error  { return s.read(c) }
func (s *Service) gateWrite(c *fiber.Ctx) error { return s.write(c) }

func (s *Service) get(ctx context.Context, id string) (*Post, error) {
	var p Post
	err := s.posts.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&p)
	if store.IsNotFound(err) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get supply post: %w", err)
	}
	return &p, nil
}

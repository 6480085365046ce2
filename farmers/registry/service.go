package registry

import (
	"context"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/farmers/access"
	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/internal/store"
)

// Service is the registry domain.
type Service struct {
	accounts  *farmers.Service
	access    *access.Service
	people    *mongo.Collection
	orgs      *mongo.Collection
	accessLog *mongo.Collection
}

// NewService wires the registry to db, creates its indexes and registers
// its datasets (people, organisations) with the catalogue.
func NewService(ctx context.Context, db *mongo.Database, accounts *farmers.Service, acc *access.Service, cat *datasets.Service) (*Service, error) {
	s := &Service{accounts: accounts, access: acc,
		people: db.Collection(peopleCollection), orgs: db.Collection(orgsCollection), accessLog: db.Collection(accessLogCollection)}
	// The phone index is what makes a phone one person, for the importer
	// (its KeyField) as for concurrent creates; the others serve MongoDB's
	// filters (FerretDB skips them: it scans anyway).
	err := store.EnsureIndexes(ctx, s.people,
		mongo.IndexModel{Keys: bson.D{{Key: "phone", Value: 1}}, Options: options.Index().SetUnique(true)},
		mongo.IndexModel{Keys: bson.D{{Key: "region", Value: 1}, {Key: "_id", Value: 1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "roles", Value: 1}, {Key: "_id", Value: 1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "crops.crop", Value: 1}, {Key: "_id", Value: 1}}})
	if err != nil {
		return nil, fmt.Errorf("registry people indexes: %w", err)
	}
	err = store.EnsureIndexes(ctx, s.accessLog,
		mongo.IndexModel{Keys: bson.D{{Key: "person", Value: 1}, {Key: "_id", Value: -1}}})
	if err != nil {
		return nil, fmt.Errorf("registry access log indexes: %w", err)
	}
	if err := s.ensureOrgIndexes(ctx); err != nil {
		return nil, err
	}
	cat.Register(Dataset)
	cat.Register(OrgDataset)
	return s, nil
}

// Routes mounts the registry under /api/v1. It touches neither the
// database nor anything NewService sets up beyond taking method values,
// so a zero Service registers the same routes (the OpenAPI test does).
func (s *Service) Routes(api fiber.Router) {
	read := s.access.Require(access.ScopeRegistryRead)
	staff := s.accounts.RequireRole(farmers.RoleAdmin, farmers.RoleOrganizer)
	api.Get("/registry/people", read, s.handleList)
	api.Post("/registry/people", staff, s.handleCreate)
	api.Get("/registry/people/:id", read, s.handleGet)
	api.Put("/registry/people/:id", staff, s.handleUpdate)
	api.Post("/registry/people/:id/verification", staff, s.handleVerify)
	api.Get("/registry/organisations", read, s.handleOrgList)
	api.Post("/registry/organisations", staff, s.handleOrgCreate)
	api.Get("/registry/organisations/:id", read, s.handleOrgGet)
	api.Put("/registry/organisations/:id", staff, s.handleOrgUpdate)
	api.Post("/registry/organisations/:id/verification", staff, s.handleOrgVerify)
	api.Put("/registry/organisations/:id/consent", s.accounts.RequireUser, s.handleOrgConsent)
	api.Get("/registry/organisations/:id/members", read, s.handleOrgMembers)
	api.Get("/me/profile", s.accounts.RequireUser, s.handleMyProfile)
	api.Put("/me/profile", s.accounts.RequireUser, s.handlePutMyProfile)
	api.Get("/me/consent", s.accounts.RequireUser, s.handleMyConsent)
	api.Put("/me/consent", s.accounts.RequireUser, s.handlePutMyConsent)
	api.Get("/me/access-log", s.accounts.RequireUser, s.handleMyAccessLog)
}

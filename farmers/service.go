package farmers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"golang.org/x/crypto/bcrypt"

	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

// Config tunes accounts.
type Config struct {
	TokenTTL     time.Duration // how long a session token lives; default 30 days.
	PasswordCost int           // bcrypt cost; default bcrypt.DefaultCost.
}

// Service is the accounts domain.
type Service struct {
	cfg      Config
	log      *slog.Logger
	users    *mongo.Collection
	sessions *mongo.Collection
	cache    *tokenCache
}

// NewService wires the accounts domain to db and creates its indexes.
func NewService(ctx context.Context, db *mongo.Database, cfg Config, log *slog.Logger) (*Service, error) {
	if cfg.TokenTTL == 0 {
		cfg.TokenTTL = 30 * 24 * time.Hour
	}
	if cfg.PasswordCost == 0 {
		cfg.PasswordCost = bcrypt.DefaultCost
	}
	s := &Service{
		cfg:      cfg,
		log:      log,
		users:    db.Collection("users"),
		sessions: db.Collection("sessions"),
		cache:    newTokenCache(30 * time.Second),
	}
	err := store.EnsureIndexes(ctx, s.users,
		mongo.IndexModel{Keys: bson.D{{Key: "phone", Value: 1}}, Options: options.Index().SetUnique(true)})
	if err != nil {
		return nil, err
	}
	err = store.EnsureIndexes(ctx, s.sessions,
		mongo.IndexModel{Keys: bson.D{{Key: "expires", Value: 1}}})
	return s, err
}

// ErrPhoneTaken is returned when a phone is already registered.
var ErrPhoneTaken = httpx.Errorf(409, "phone_taken", "this phone number is already registered")

// Register creates a user with the given roles.
func (s *Service) Register(ctx context.Context, phone, password, name string, roles []string) (*User, error) {
	hash, err := s.hashPassword(password)
	if err != nil {
		return nil, err
	}
	u := &User{ID: newID(), Phone: phone, Name: name, Roles: roles, PasswordHash: hash, CreatedAt: tz.In(time.Now())}
	if _, err := s.users.InsertOne(ctx, u); err != nil {
		if store.IsDuplicate(err) {
			return nil, ErrPhoneTaken
		}
		return nil, fmt.Errorf("insert user: %w", err)
	}
	return u, nil
}

// Login checks a phone and password.
func (s *Service) Login(ctx context.Context, phone, password string) (*User, error) {
	u, err := s.byPhone(ctx, phone)
	if err != nil && !store.IsNotFound(err) {
		return nil, err
	}
	var hash []byte
	if u != nil {
		hash = u.PasswordHash
	}
	if !checkPassword(hash, password) {
		return nil, httpx.Errorf(401, "bad_credentials", "wrong phone number or password")
	}
	return u, nil
}

// Get returns a user by id.
func (s *Service) Get(ctx context.Context, id string) (*User, error) {
	var u User
	err := s.users.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&u)
	if store.IsNotFound(err) {
		return nil, httpx.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("find user %s: %w", id, err)
	}
	u.CreatedAt = tz.In(u.CreatedAt)
	return &u, nil
}

func (s *Service) byPhone(ctx context.Context, phone string) (*User, error) {
	var u User
	if err := s.users.FindOne(ctx, bson.D{{Key: "phone", Value: phone}}).Decode(&u); err != nil {
		return nil, fmt.Errorf("find user by phone: %w", err)
	}
	return &u, nil
}

// SetRoles replaces a user's roles (an administrator's act).
func (s *Service) SetRoles(ctx context.Context, id string, roles []string) (*User, error) {
	res, err := s.users.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{{Key: "$set", Value: bson.D{{Key: "roles", Value: roles}}}})
	if err != nil {
		return nil, fmt.Errorf("set roles: %w", err)
	}
	if res.MatchedCount == 0 {
		return nil, httpx.ErrNotFound
	}
	s.cache.forgetUser(id)
	return s.Get(ctx, id)
}

// EnsureAdmin creates the first administrator, or resets its password and
// grants the admin role when the phone already exists.
func (s *Service) EnsureAdmin(ctx context.Context, phone, password string) error {
	u, err := s.Register(ctx, phone, password, "管理员", []string{RoleAdmin})
	if err == nil {
		s.log.Info("administrator created", "user", u.ID)
		return nil
	}
	if err != ErrPhoneTaken {
		return err
	}
	hash, err := s.hashPassword(password)
	if err != nil {
		return err
	}
	_, err = s.users.UpdateOne(ctx, bson.D{{Key: "phone", Value: phone}}, bson.D{
		{Key: "$set", Value: bson.D{{Key: "passwordHash", Value: hash}}},
		{Key: "$addToSet", Value: bson.D{{Key: "roles", Value: RoleAdmin}}},
	})
	if err != nil {
		return fmt.Errorf("reset administrator: %w", err)
	}
	s.log.Info("administrator reset")
	return nil
}

func newID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

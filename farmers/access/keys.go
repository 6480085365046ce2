package access

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

// Key is an organisation's API key as stored and shown: never the secret,
// only its hash and a short prefix to tell keys apart.
type Key struct {
	ID         string     `bson:"_id" json:"id"`
	Org        string     `bson:"org" json:"org"`
	Name       string     `bson:"name" json:"name"`
	Prefix     string     `bson:"prefix" json:"prefix"`
	Hash       string     `bson:"hash" json:"-"`
	Lineage    string     `bson:"lineage" json:"-"` // "new:<own id>" or "after:<the key it replaced>": unique
	CreatedBy  string     `bson:"createdBy" json:"createdBy"`
	CreatedAt  time.Time  `bson:"createdAt" json:"createdAt"`
	RevokedAt  *time.Time `bson:"revokedAt,omitempty" json:"revokedAt,omitempty"` // in the future during a rotation's grace
	ReplacedBy string     `bson:"replacedBy,omitempty" json:"replacedBy,omitempty"`
}

// revoked reports whether k no longer admits requests at now.
func (k *Key) revoked(now time.Time) bool { return k.RevokedAt != nil && !now.Before(*k.RevokedAt) }

func (k *Key) localize() {
	k.CreatedAt = tz.In(k.CreatedAt)
	if k.RevokedAt != nil {
		t := tz.In(*k.RevokedAt)
		k.RevokedAt = &t
	}
}

// HeaderAPIKey carries a key. Keys go in this header only, never in a path
// or query, which the access log would record.
const HeaderAPIKey = "X-API-Key"

const (
	secretPrefix = "ak_"
	secretBytes  = 32
	secretLen    = len(secretPrefix) + 2*secretBytes
	shownPrefix  = len(secretPrefix) + 8 // "ak_" and 8 hex digits identify a key to its owner
)

// newSecret returns a fresh key: 256 random bits, hex after "ak_".
func newSecret() string {
	var b [secretBytes]byte
	_, _ = rand.Read(b[:])
	return secretPrefix + hex.EncodeToString(b[:])
}

// secretHash is what is stored of a key. A key is 256 random bits, so no
// guessing can find one from its hash and a fast hash is right: a slow
// password hash (bcrypt) would only make every cache miss cost
// milliseconds of CPU.
func secretHash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// wellFormed reports whether s could be a key at all, so that garbage is
// refused without a lookup. The hex is lower case, as newSecret writes it
// (hex.DecodeString would take upper case too, whose hash no key has).
func wellFormed(s string) bool {
	if len(s) != secretLen || !strings.HasPrefix(s, secretPrefix) {
		return false
	}
	for _, c := range []byte(s[len(secretPrefix):]) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// createKey stores a new key of org and returns it with its secret, which
// is not kept anywhere. after names the key it replaces, if any.
func (s *Service) createKey(ctx context.Context, org, name string, by *farmers.User, after string) (*Key, string, error) {
	secret := newSecret()
	k := &Key{ID: bson.NewObjectID().Hex(), Org: org, Name: name, Prefix: secret[:shownPrefix],
		Hash: secretHash(secret), CreatedBy: by.ID, CreatedAt: tz.In(time.Now())}
	k.Lineage = "new:" + k.ID
	if after != "" {
		k.Lineage = "after:" + after
	}
	if _, err := s.keys.InsertOne(ctx, k); err != nil {
		if store.IsDuplicate(err) && after != "" {
			return nil, "", errKeyRotated
		}
		return nil, "", fmt.Errorf("insert key: %w", err)
	}
	return k, secret, nil
}

var errKeyRotated = httpx.Errorf(409, "key_revoked", "this key is revoked or already rotated; create a new key")

// getKey reads key id of org; a key of another organisation is not found.
func (s *Service) getKey(ctx context.Context, org, id string) (*Key, error) {
	var k Key
	err := s.keys.FindOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "org", Value: org}}).Decode(&k)
	if store.IsNotFound(err) {
		return nil, httpx.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("find key %s: %w", id, err)
	}
	k.localize()
	return &k, nil
}

// rotate replaces key id of org by a new key and revokes the old one after
// grace (0: at once), so that a client can switch without an outage. The
// unique lineage of the new key makes rotating the same key twice, even
// concurrently, fail with 409.
func (s *Service) rotate(ctx context.Context, org, id string, grace time.Duration, by *farmers.User) (*Key, string, error) {
	old, err := s.getKey(ctx, org, id)
	if err != nil {
		return nil, "", err
	}
	if old.revoked(time.Now()) || old.ReplacedBy != "" {
		return nil, "", errKeyRotated
	}
	k, secret, err := s.createKey(ctx, org, old.Name, by, old.ID)
	if err != nil {
		return nil, "", err
	}
	if err := s.revokeAt(ctx, old, time.Now().Add(grace), k.ID); err != nil {
		return nil, "", err
	}
	return k, secret, nil
}

// revokeAt makes k stop working at t. $min never moves an earlier
// revocation later, so a revoke during a rotation's grace wins.
func (s *Service) revokeAt(ctx context.Context, k *Key, t time.Time, replacedBy string) error {
	upd := bson.D{{Key: "$min", Value: bson.D{{Key: "revokedAt", Value: t}}}}
	if replacedBy != "" {
		upd = append(upd, bson.E{Key: "$set", Value: bson.D{{Key: "replacedBy", Value: replacedBy}}})
	}
	if _, err := s.keys.UpdateOne(ctx, bson.D{{Key: "_id", Value: k.ID}}, upd); err != nil {
		return fmt.Errorf("revoke key %s: %w", k.ID, err)
	}
	s.cache.forgetHash(k.Hash)
	return nil
}

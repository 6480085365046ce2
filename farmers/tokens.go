package farmers

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
)

// session is a stored login. Only the token's hash is kept, so a copy of the
// database does not hand out live tokens.
type session struct {
	ID      string    `bson:"_id"` // sha256 of the token, hex
	User    string    `bson:"user"`
	Expires time.Time `bson:"expires"`
}

// IssueToken creates a session for u and returns the opaque token.
func (s *Service) IssueToken(ctx context.Context, u *User) (string, error) {
	var b [32]byte
	_, _ = rand.Read(b[:])
	tok := base64.RawURLEncoding.EncodeToString(b[:])
	sess := session{ID: tokenHash(tok), User: u.ID, Expires: time.Now().Add(s.cfg.TokenTTL)}
	if _, err := s.sessions.InsertOne(ctx, sess); err != nil {
		return "", fmt.Errorf("insert session: %w", err)
	}
	return tok, nil
}

// Authenticate returns the user a token belongs to, or ErrUnauthorized.
func (s *Service) Authenticate(ctx context.Context, tok string) (*User, error) {
	if tok == "" || len(tok) > 128 {
		return nil, httpx.ErrUnauthorized
	}
	h := tokenHash(tok)
	if u, ok := s.cache.get(h); ok {
		return u, nil
	}
	var sess session
	err := s.sessions.FindOne(ctx, bson.D{{Key: "_id", Value: h}}).Decode(&sess)
	if store.IsNotFound(err) {
		return nil, httpx.ErrUnauthorized
	}
	if err != nil {
		return nil, fmt.Errorf("find session: %w", err)
	}
	if time.Now().After(sess.Expires) {
		return nil, httpx.Errorf(401, "token_expired", "your session has expired; log in again")
	}
	u, err := s.Get(ctx, sess.User)
	if err == httpx.ErrNotFound {
		return nil, httpx.ErrUnauthorized
	}
	if err != nil {
		return nil, err
	}
	s.cache.put(h, u, sess.Expires)
	return u, nil
}

// Logout deletes the session of tok.
func (s *Service) Logout(ctx context.Context, tok string) error {
	h := tokenHash(tok)
	s.cache.forget(h)
	if _, err := s.sessions.DeleteOne(ctx, bson.D{{Key: "_id", Value: h}}); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

func tokenHash(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

// tokenCache keeps recently verified sessions for a short while so that a
// bidding phone does not cost a database read per request. Role changes and
// logouts in this process evict at once; in other processes within maxAge.
type tokenCache struct {
	mu     sync.Mutex
	maxAge time.Duration
	m      map[string]cachedSession
}

type cachedSession struct {
	user    *User
	until   time.Time
	expires time.Time
}

func newTokenCache(maxAge time.Duration) *tokenCache {
	return &tokenCache{maxAge: maxAge, m: make(map[string]cachedSession)}
}

func (c *tokenCache) get(h string) (*User, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[h]
	now := time.Now()
	if !ok || now.After(e.until) || now.After(e.expires) {
		delete(c.m, h)
		return nil, false
	}
	return e.user, true
}

func (c *tokenCache) put(h string, u *User, expires time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) > 100_000 { // bound memory; a cold cache only costs reads
		clear(c.m)
	}
	c.m[h] = cachedSession{user: u, until: time.Now().Add(c.maxAge), expires: expires}
}

func (c *tokenCache) forget(h string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, h)
}

func (c *tokenCache) forgetUser(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for h, e := range c.m {
		if e.user.ID == id {
			delete(c.m, h)
		}
	}
}

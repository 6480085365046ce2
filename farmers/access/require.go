package access

import (
	"context"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
)

var (
	errNoCredentials = httpx.Errorf(401, "unauthorized", "send an API key in the X-API-Key header, or a session token as Authorization: Bearer")
	errInvalidKey    = httpx.Errorf(401, "invalid_key", "this API key is not valid")
	errKeyRevoked    = httpx.Errorf(401, "key_revoked", "this API key has been revoked")
	errOrgSuspended  = httpx.Errorf(403, "org_suspended", "this organisation's access is suspended")
)

// Require admits either a request with an X-API-Key whose organisation
// holds scope — rate-limited per key, counted against the organisation's
// daily quota and metered per key, day and scope — or a request with a
// valid session token (a platform user, who holds every scope). With both,
// the key wins; with neither, 401. scope "" needs no scope.
func (s *Service) Require(scope string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		cl, err := s.admit(c, scope)
		if err != nil {
			return err
		}
		c.Locals(callerKey, cl)
		return c.Next()
	}
}

// admit is Require's check, shared with the scope self-test route.
func (s *Service) admit(c *fiber.Ctx, scope string) (*Caller, error) {
	if key := c.Get(HeaderAPIKey); key != "" {
		return s.admitKey(c.UserContext(), key, scope, time.Now())
	}
	tok := farmers.Bearer(c)
	if tok == "" {
		return nil, errNoCredentials
	}
	u, err := s.accounts.Authenticate(c.UserContext(), tok)
	if err != nil {
		return nil, err
	}
	return userCaller(u), nil
}

// admitKey runs a keyed request through the checks in order: the key, its
// organisation, the scope, the key's rate, the organisation's quota. Only
// a request that passes them all is metered.
func (s *Service) admitKey(ctx context.Context, secret, scope string, now time.Time) (*Caller, error) {
	if !wellFormed(secret) {
		return nil, errInvalidKey
	}
	e, err := s.cache.get(ctx, secretHash(secret), func(hash string) (authEntry, error) {
		ctx, cancel := s.storeCtx(ctx) // shared by concurrent misses: not this request's deadline alone
		defer cancel()
		return s.loadAuth(ctx, hash)
	})
	if err != nil {
		return nil, err
	}
	cl, err := checkKey(e, scope, now)
	if err != nil {
		return nil, err
	}
	if ok, wait := s.buckets.take(e.key.ID, float64(e.org.RatePerSecond)/float64(s.processes()), now); !ok {
		return nil, &httpx.Error{Status: 429, Code: "rate_limited", RetryAfter: retrySeconds(wait),
			Message: fmt.Sprintf("over this key's rate of %d requests a second", e.org.RatePerSecond)}
	}
	day := dayOf(now)
	if !s.quotas.admit(ctx, e.org.ID, day, e.org.QuotaPerDay) {
		return nil, &httpx.Error{Status: 429, Code: "quota_exceeded", RetryAfter: untilMidnight(now),
			Message: fmt.Sprintf("this organisation's quota of %d requests a day is used up; it resets at midnight (Asia/Shanghai)", e.org.QuotaPerDay)}
	}
	s.meter.count(meterKey{org: e.org.ID, key: e.key.ID, day: day, scope: meterScope(scope)})
	return cl, nil
}

// checkKey refuses unknown and revoked keys, suspended organisations and
// missing scopes, and otherwise returns the caller.
func checkKey(e authEntry, scope string, now time.Time) (*Caller, error) {
	switch {
	case e.key == nil:
		return nil, errInvalidKey
	case e.key.revoked(now):
		return nil, errKeyRevoked
	case e.org.Suspended:
		return nil, errOrgSuspended
	}
	cl := keyCaller(e.key, e.org)
	if !cl.Has(scope) {
		return nil, httpx.Errorf(403, "scope_missing", "this organisation has not been granted the scope %s", scope)
	}
	return cl, nil
}

func meterScope(scope string) string {
	if scope == "" {
		return noScope
	}
	return scope
}

// loadAuth reads a key by hash and its organisation. A key whose
// organisation is gone counts as unknown.
func (s *Service) loadAuth(ctx context.Context, hash string) (authEntry, error) {
	var k Key
	err := s.keys.FindOne(ctx, bson.D{{Key: "hash", Value: hash}}).Decode(&k)
	if store.IsNotFound(err) {
		return authEntry{}, nil
	}
	if err != nil {
		return authEntry{}, fmt.Errorf("find key by hash: %w", err)
	}
	o, err := s.getOrg(ctx, k.Org)
	if err == httpx.ErrNotFound {
		return authEntry{}, nil
	}
	if err != nil {
		return authEntry{}, err
	}
	return authEntry{key: &k, org: o}, nil
}

package access

import (
	"context"
	"sync"
	"time"
)

// authEntry is what authenticating a key needs: the key and its
// organisation. A nil key records that no key has this hash.
type authEntry struct {
	key *Key
	org *Org
}

// keyCache keeps key hash → key and organisation for ttl, so that a
// request with a key reads no database (on the embedded store a read scans
// the whole collection). Revoking, rotating or changing an organisation on
// this process drops the entries concerned at once; on other processes the
// change is seen when their entry expires, within ttl.
type keyCache struct {
	ttl time.Duration

	mu      sync.Mutex
	gen     uint64 // bumped by every forget: a load begun before it is not cached
	m       map[string]cachedAuth
	loading map[string]*authLoad
}

type cachedAuth struct {
	e     authEntry
	until time.Time
}

// authLoad is one database read that concurrent misses of a key share.
type authLoad struct {
	done chan struct{}
	e    authEntry
	err  error
}

// maxCached bounds memory (unknown keys are cached too, so that random
// keys cost one read each per ttl); a cleared cache only costs reads.
const maxCached = 100_000

func newKeyCache(ttl time.Duration) *keyCache {
	return &keyCache{ttl: ttl, m: make(map[string]cachedAuth), loading: make(map[string]*authLoad)}
}

// get returns the entry of hash, from memory or else from load.
func (c *keyCache) get(ctx context.Context, hash string, load func(string) (authEntry, error)) (authEntry, error) {
	now := time.Now()
	c.mu.Lock()
	if ce, ok := c.m[hash]; ok && now.Before(ce.until) {
		c.mu.Unlock()
		return ce.e, nil
	}
	if l := c.loading[hash]; l != nil {
		c.mu.Unlock()
		select {
		case <-l.done:
			return l.e, l.err
		case <-ctx.Done():
			return authEntry{}, ctx.Err()
		}
	}
	l := &authLoad{done: make(chan struct{})}
	c.loading[hash] = l
	gen := c.gen
	c.mu.Unlock()

	l.e, l.err = load(hash)

	c.mu.Lock()
	delete(c.loading, hash)
	if l.err == nil && gen == c.gen {
		if len(c.m) >= maxCached {
			clear(c.m)
		}
		c.m[hash] = cachedAuth{e: l.e, until: time.Now().Add(c.ttl)}
	}
	c.mu.Unlock()
	close(l.done)
	return l.e, l.err
}

// forgetHash drops one key.
func (c *keyCache) forgetHash(hash string) {
	c.forget(func(h string, _ authEntry) bool { return h == hash })
}

// forgetOrg drops every key of an organisation.
func (c *keyCache) forgetOrg(org string) {
	c.forget(func(_ string, e authEntry) bool { return e.org != nil && e.org.ID == org })
}

func (c *keyCache) forget(match func(string, authEntry) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for h, ce := range c.m {
		if match(h, ce.e) {
			delete(c.m, h)
		}
	}
}

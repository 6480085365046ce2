package access

import (
	"context"
	"encoding/hex"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"
)

// keyRE is what newSecret writes: "ak_" and 64 lower-case hex digits.
var keyRE = regexp.MustCompile(`^ak_[0-9a-f]{64}$`)

// FuzzAPIKey: whatever arrives in X-API-Key, admitKey answers without a
// panic. Only what newSecret could have written is well formed; anything
// else is refused as invalid_key before any lookup (this service has no
// database: a lookup would panic). A well-formed key is admitted exactly
// when it is the stored one. And a key made from any 32 random bytes is
// well formed, shows an "ak_" and 8-digit prefix, and is admitted once
// stored, as itself and under no other spelling.
func FuzzAPIKey(f *testing.F) {
	key := "ak_" + strings.Repeat("0123456789abcdef", 4)
	for _, s := range []string{
		key, strings.ToUpper(key), key[:66], key + "0", "Bearer " + key, " " + key,
		"ak_nope", "", "ak_", "AK_" + key[3:], "ak_" + strings.Repeat("g", 64), "ak-" + key[3:], key[:40] + "\x00" + key[41:],
	} {
		f.Add(s, []byte("12316 辽宁农业 open access key!!"))
	}
	s := fuzzKeyService()
	f.Fuzz(func(t *testing.T, header string, random []byte) {
		if wellFormed(header) != keyRE.MatchString(header) {
			t.Fatalf("wellFormed(%q) = %v", header, wellFormed(header))
		}
		if len(random) < secretBytes {
			random = append(random, make([]byte, secretBytes-len(random))...)
		}
		secret := secretPrefix + hex.EncodeToString(random[:secretBytes])
		hash := secretHash(secret)
		if !wellFormed(secret) || !keyRE.MatchString("ak_"+hash) || !strings.HasPrefix(secret[:shownPrefix], "ak_") {
			t.Fatalf("key %q: hash %q", secret, hash)
		}
		s.cache.m[hash] = cachedAuth{e: fuzzAuth, until: time.Now().Add(time.Hour)}
		defer delete(s.cache.m, hash)
		if cl, err := s.admitKey(context.Background(), secret, ScopePricesRead, time.Now()); err != nil || cl.KeyID != fuzzAuth.key.ID {
			t.Fatalf("stored key %q: %+v, %v", secret, cl, err)
		}
		for _, other := range []string{secret[:len(secret)-1], "ak_" + strings.ToUpper(secret[3:]), "Bearer " + secret} {
			if cl, err := s.admitKey(context.Background(), other, ScopePricesRead, time.Now()); other != secret && err != errInvalidKey {
				t.Fatalf("stored %q, sent as %q: %+v, %v", secret, other, cl, err)
			}
		}
		if header == secret {
			return
		}
		if wellFormed(header) { // unknown: as the database would answer
			s.cache.m[secretHash(header)] = cachedAuth{until: time.Now().Add(time.Hour)}
			defer delete(s.cache.m, secretHash(header))
		}
		if cl, err := s.admitKey(context.Background(), header, ScopePricesRead, time.Now()); err != errInvalidKey {
			t.Fatalf("key %q (stored %q): %+v, %v", header, secret, cl, err)
		}
	})
}

// fuzzAuth is the one stored key, of an organisation with room to spare.
var fuzzAuth = authEntry{
	key: &Key{ID: "k1", Org: "o1", Prefix: "ak_01234567"},
	org: &Org{ID: "o1", Name: "盘锦大米合作社", Audience: AudienceBuyer, Scopes: []string{ScopePricesRead}, QuotaPerDay: 1 << 62, RatePerSecond: 1 << 30},
}

// fuzzKeyService is a Service without a database: the key cache, rate
// buckets, quotas and meter only.
func fuzzKeyService() *Service {
	noOthers := func(context.Context, string, []string) (map[string]int64, error) { return nil, nil }
	return &Service{
		cache:   newKeyCache(time.Hour),
		buckets: newBuckets(),
		quotas:  newQuotas(time.Hour, noOthers, slog.New(slog.NewTextHandler(io.Discard, nil))),
		meter:   newMeter(nil, "fuzz"),
	}
}

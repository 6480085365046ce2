package access

import (
	"math"
	"sync"
	"time"
)

// buckets are the per-key token buckets: ratePerSecond tokens a second, up
// to a burst of twice that. They live in this process's memory only; with
// n processes sharing the database each allows 1/n of the rate
// (Config.Processes), so a key whose requests a balancer spreads over them
// meets its rate whichever process answers. The daily quota is shared
// through the database.
type buckets struct {
	mu sync.Mutex
	m  map[string]*bucket // by key id
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newBuckets() *buckets { return &buckets{m: make(map[string]*bucket)} }

// take spends one token of key's bucket. When there is none it reports how
// long until there is. The rate is passed on every call so that an
// administrator's change applies at once.
func (b *buckets) take(key string, rate float64, now time.Time) (bool, time.Duration) {
	r := math.Max(rate, 0.01)
	burst := math.Max(2*r, 1) // a share below one a second still admits a request
	b.mu.Lock()
	defer b.mu.Unlock()
	bk := b.m[key]
	if bk == nil {
		bk = &bucket{tokens: burst, last: now}
		b.m[key] = bk
	}
	bk.tokens = math.Min(burst, bk.tokens+now.Sub(bk.last).Seconds()*r)
	bk.last = now
	if bk.tokens >= 1-epsilon {
		bk.tokens = math.Max(0, bk.tokens-1)
		return true, 0
	}
	return false, time.Duration(math.Ceil((1 - bk.tokens) / r * float64(time.Second)))
}

// epsilon absorbs float rounding: a client that waits exactly the time it
// was told finds its token.
const epsilon = 1e-9

// idleBucket is how long an untouched bucket is kept. A bucket refills in
// burst/rate = 2 s, so after this it is full, the same as a new one.
const idleBucket = 10 * time.Second

// prune forgets full buckets, which bounds memory to the keys in use.
func (b *buckets) prune(now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for k, bk := range b.m {
		if now.Sub(bk.last) > idleBucket {
			delete(b.m, k)
		}
	}
}

// retrySeconds rounds a wait up to whole seconds, at least 1, for Retry-After.
func retrySeconds(d time.Duration) int { return max(1, int(math.Ceil(d.Seconds()))) }

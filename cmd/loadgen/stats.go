package main

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
	"time"
)

// percentile returns the nearest-rank p-th percentile of an ascending
// slice: the smallest sample such that at least p% of the samples are <= it.
// p <= 0 gives the minimum, p >= 100 the maximum, an empty slice 0.
func percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	if p <= 0 {
		return sorted[0]
	}
	if p >= 100 {
		return sorted[n-1]
	}
	// p*n is exact for the sizes used here; the epsilon absorbs the
	// rounding of the division so that e.g. p=90, n=10 gives rank 9.
	rank := int(math.Ceil(p*float64(n)/100 - 1e-9))
	rank = max(1, min(rank, n))
	return sorted[rank-1]
}

// LatencySummary is what the report shows for one latency distribution.
// Count, MeanMs and MaxMs are exact; the percentiles come from the retained
// samples (all of them unless Sampled < Count).
type LatencySummary struct {
	Count   int64   `json:"count"`
	Sampled int     `json:"sampled"`
	MeanMs  float64 `json:"meanMs"`
	P50Ms   float64 `json:"p50Ms"`
	P90Ms   float64 `json:"p90Ms"`
	P99Ms   float64 `json:"p99Ms"`
	MaxMs   float64 `json:"maxMs"`
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }

// summarize sorts samples in place and summarizes them.
func summarize(samples []time.Duration) LatencySummary {
	sort.Slice(samples, func(i, j int) bool { return samples[i] < samples[j] })
	s := LatencySummary{Count: int64(len(samples)), Sampled: len(samples)}
	if len(samples) == 0 {
		return s
	}
	var sum time.Duration
	for _, d := range samples {
		sum += d
	}
	s.MeanMs = ms(sum / time.Duration(len(samples)))
	s.P50Ms = ms(percentile(samples, 50))
	s.P90Ms = ms(percentile(samples, 90))
	s.P99Ms = ms(percentile(samples, 99))
	s.MaxMs = ms(samples[len(samples)-1])
	return s
}

// Recorder collects latency samples from many goroutines. It keeps at most
// limit samples (uniform reservoir sampling, Algorithm R) so that millions
// of watcher deliveries stay within bounded memory, while count, sum and
// max stay exact.
type Recorder struct {
	mu      sync.Mutex
	limit   int
	count   int64
	sum     time.Duration
	max     time.Duration
	samples []time.Duration
}

func NewRecorder(limit int) *Recorder {
	if limit < 1 {
		limit = 1
	}
	return &Recorder{limit: limit, samples: make([]time.Duration, 0, min(limit, 4096))}
}

func (r *Recorder) Add(d time.Duration) {
	r.mu.Lock()
	r.addLocked(d)
	r.mu.Unlock()
}

// AddBatch adds many samples under one lock acquisition.
func (r *Recorder) AddBatch(ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	r.mu.Lock()
	for _, d := range ds {
		r.addLocked(d)
	}
	r.mu.Unlock()
}

func (r *Recorder) addLocked(d time.Duration) {
	r.count++
	r.sum += d
	if d > r.max {
		r.max = d
	}
	if len(r.samples) < r.limit {
		r.samples = append(r.samples, d)
		return
	}
	if j := rand.Int64N(r.count); j < int64(r.limit) {
		r.samples[j] = d
	}
}

func (r *Recorder) Summary() LatencySummary {
	r.mu.Lock()
	samples := slices.Clone(r.samples)
	count, sum, mx := r.count, r.sum, r.max
	r.mu.Unlock()
	s := summarize(samples)
	s.Count = count
	if count > 0 {
		s.MeanMs = ms(sum / time.Duration(count))
		s.MaxMs = ms(mx)
	}
	return s
}

// Counter counts events by kind (errors by kind, rejections by code).
type Counter struct {
	mu sync.Mutex
	m  map[string]int64
}

func NewCounter() *Counter { return &Counter{m: map[string]int64{}} }

func (c *Counter) Inc(kind string) { c.Add(kind, 1) }

func (c *Counter) Add(kind string, n int64) {
	if n == 0 {
		return
	}
	c.mu.Lock()
	c.m[kind] += n
	c.mu.Unlock()
}

func (c *Counter) Snapshot() map[string]int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int64, len(c.m))
	for k, v := range c.m {
		out[k] = v
	}
	return out
}

func (c *Counter) Total() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	var t int64
	for _, v := range c.m {
		t += v
	}
	return t
}

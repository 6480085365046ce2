package main

import (
	"testing"
	"time"
)

func durs(vals ...int) []time.Duration {
	out := make([]time.Duration, len(vals))
	for i, v := range vals {
		out[i] = time.Duration(v) * time.Millisecond
	}
	return out
}

func TestPercentileNearestRank(t *testing.T) {
	ten := durs(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
	four := durs(10, 20, 30, 40)
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i+1) * time.Millisecond
	}
	cases := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"single p50", durs(7), 50, 7 * time.Millisecond},
		{"single p99", durs(7), 99, 7 * time.Millisecond},
		// n=10: rank = ceil(p/100*10)
		{"ten p0 is min", ten, 0, 1 * time.Millisecond},
		{"ten p10", ten, 10, 1 * time.Millisecond},    // ceil(1.0)=1
		{"ten p11", ten, 11, 2 * time.Millisecond},    // ceil(1.1)=2
		{"ten p50", ten, 50, 5 * time.Millisecond},    // ceil(5.0)=5
		{"ten p90", ten, 90, 9 * time.Millisecond},    // ceil(9.0)=9
		{"ten p99", ten, 99, 10 * time.Millisecond},   // ceil(9.9)=10
		{"ten p100", ten, 100, 10 * time.Millisecond}, // max
		// n=4: rank = ceil(p/100*4)
		{"four p1", four, 1, 10 * time.Millisecond},   // ceil(0.04)=1
		{"four p25", four, 25, 10 * time.Millisecond}, // ceil(1.0)=1
		{"four p50", four, 50, 20 * time.Millisecond}, // ceil(2.0)=2
		{"four p51", four, 51, 30 * time.Millisecond}, // ceil(2.04)=3
		{"four p75", four, 75, 30 * time.Millisecond}, // ceil(3.0)=3
		{"four p99", four, 99, 40 * time.Millisecond}, // ceil(3.96)=4
		// n=100 with values 1..100ms: the p-th percentile is p ms.
		{"hundred p50", hundred, 50, 50 * time.Millisecond},
		{"hundred p90", hundred, 90, 90 * time.Millisecond},
		{"hundred p99", hundred, 99, 99 * time.Millisecond},
		{"hundred p99.9", hundred, 99.9, 100 * time.Millisecond}, // ceil(99.9)=100
	}
	for _, c := range cases {
		if got := percentile(c.sorted, c.p); got != c.want {
			t.Errorf("%s: percentile(p=%v) = %v, want %v", c.name, c.p, got, c.want)
		}
	}
}

func TestSummarizeSortsAndSummarizes(t *testing.T) {
	// Unsorted input: 5,1,4,2,3 ms -> sorted 1..5; mean 3; p50 rank ceil(2.5)=3 -> 3;
	// p90 rank ceil(4.5)=5 -> 5; p99 -> 5; max 5.
	s := summarize(durs(5, 1, 4, 2, 3))
	want := LatencySummary{Count: 5, Sampled: 5, MeanMs: 3, P50Ms: 3, P90Ms: 5, P99Ms: 5, MaxMs: 5}
	if s != want {
		t.Fatalf("summarize = %+v, want %+v", s, want)
	}
	if z := summarize(nil); z != (LatencySummary{}) {
		t.Fatalf("summarize(nil) = %+v, want zero", z)
	}
}

func TestRecorderKeepsExactCountAndMax(t *testing.T) {
	r := NewRecorder(10)
	var batch []time.Duration
	for i := 1; i <= 1000; i++ {
		batch = append(batch, time.Duration(i)*time.Millisecond)
	}
	r.AddBatch(batch[:500])
	for _, d := range batch[500:] {
		r.Add(d)
	}
	s := r.Summary()
	if s.Count != 1000 || s.Sampled != 10 {
		t.Fatalf("count/sampled = %d/%d, want 1000/10", s.Count, s.Sampled)
	}
	if s.MaxMs != 1000 {
		t.Fatalf("max = %vms, want 1000ms", s.MaxMs)
	}
	if s.MeanMs != 500.5 { // (1+1000)/2
		t.Fatalf("mean = %vms, want 500.5ms", s.MeanMs)
	}
	if s.P50Ms < 1 || s.P50Ms > 1000 {
		t.Fatalf("p50 = %vms out of range", s.P50Ms)
	}
}

func TestRecorderSmallIsExact(t *testing.T) {
	r := NewRecorder(100)
	for _, d := range durs(40, 10, 30, 20) {
		r.Add(d)
	}
	s := r.Summary()
	want := LatencySummary{Count: 4, Sampled: 4, MeanMs: 25, P50Ms: 20, P90Ms: 40, P99Ms: 40, MaxMs: 40}
	if s != want {
		t.Fatalf("Summary = %+v, want %+v", s, want)
	}
}

package main

import (
	"io"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestResolveServers(t *testing.T) {
	cases := []struct {
		server, servers string
		want            []string
		err             string
	}{
		{"http://a:1", "", []string{"http://a:1"}, ""},
		{"http://a:1", "  ", []string{"http://a:1"}, ""},
		{"http://a:1", "http://b:2, http://c:3 ,", []string{"http://b:2", "http://c:3"}, ""}, // -servers wins
		{"http://a:1", ",", nil, "no URL"},
		{"http://a:1", "http://b:2,http://b:2/", nil, "twice"},
	}
	for _, c := range cases {
		got, err := resolveServers(c.server, c.servers)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("resolveServers(%q, %q) error = %v, want %q", c.server, c.servers, err, c.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("resolveServers(%q, %q) = %q, %v; want %q", c.server, c.servers, got, err, c.want)
		}
	}
}

func TestParsePIDs(t *testing.T) {
	cases := []struct {
		in      string
		servers int
		want    []int
		err     bool
	}{
		{"", 1, nil, false},
		{"0", 2, nil, false},
		{"123", 1, []int{123}, false},
		{"123, 456", 2, []int{123, 456}, false},
		{"123", 2, nil, true},   // one pid for two servers
		{"1,2,3", 2, nil, true}, // too many
		{"12,x", 2, nil, true},  // not a number
		{"12,-4", 2, nil, true}, // not positive
		{"0,0", 2, nil, true},   // zero is not a pid
		{"7,8", 2, []int{7, 8}, false},
	}
	for _, c := range cases {
		got, err := parsePIDs(c.in, c.servers)
		if (err != nil) != c.err || !slices.Equal(got, c.want) {
			t.Errorf("parsePIDs(%q, %d) = %v, %v; want %v, error %v", c.in, c.servers, got, err, c.want, c.err)
		}
	}
}

// Every auction with at least n items has items on every server, and the
// servers' shares of an auction differ by at most one item, whatever the
// number of auctions (including multiples of n, where i % n would fail).
func TestServerForSpreadsEachAuction(t *testing.T) {
	for _, n := range []int{1, 2, 3} {
		for _, auctions := range []int{1, 2, 3, 4, 20} {
			for _, items := range []int{auctions * n, 40, 2000} {
				per := make([][]int, auctions) // [auction][server] count
				for a := range per {
					per[a] = make([]int, n)
				}
				for i := 0; i < items; i++ {
					s := serverFor(i, auctions, n)
					if s < 0 || s >= n {
						t.Fatalf("serverFor(%d, %d, %d) = %d", i, auctions, n, s)
					}
					per[i%auctions][s]++
				}
				for a, counts := range per {
					enough := items/auctions >= n // this auction has at least n items
					if (enough && slices.Min(counts) == 0) || slices.Max(counts)-slices.Min(counts) > 1 {
						t.Errorf("n=%d auctions=%d items=%d: auction %d has %v by server", n, auctions, items, a, counts)
					}
				}
			}
		}
	}
	// One auction: plain round robin.
	for i := 0; i < 10; i++ {
		if got := serverFor(i, 1, 3); got != i%3 {
			t.Errorf("serverFor(%d, 1, 3) = %d, want %d", i, got, i%3)
		}
	}
}

func TestParseFlagsServers(t *testing.T) {
	cfg, err := parseFlags([]string{"-server", "http://a:1"}, io.Discard)
	if err != nil || !slices.Equal(cfg.servers, []string{"http://a:1"}) || cfg.serverPIDs != nil {
		t.Fatalf("-server alone: %+v, %v", cfg, err)
	}
	cfg, err = parseFlags([]string{"-server", "http://a:1", "-servers", "http://b:2,http://c:3", "-server-pid", "10,11"}, io.Discard)
	if err != nil || !slices.Equal(cfg.servers, []string{"http://b:2", "http://c:3"}) || !slices.Equal(cfg.serverPIDs, []int{10, 11}) {
		t.Fatalf("-servers with pids: %+v, %v", cfg, err)
	}
	if _, err := parseFlags([]string{"-servers", "http://b:2,http://c:3", "-server-pid", "10"}, io.Discard); err == nil {
		t.Fatal("one pid for two servers was accepted")
	}
}

// Samples are routed by the watcher's server and the bid's origin; a bidder
// not ours counts overall and for the watcher's server only.
func TestLatBatchRoutesByOrigin(t *testing.T) {
	d := newDeliveryLat(2, 100, map[string]int{"u0": 0, "u1": 1})
	b := d.batch(1)
	b.add(10*time.Millisecond, "u0")
	b.add(20*time.Millisecond, "u0")
	b.add(900*time.Millisecond, "u1")
	b.add(5*time.Millisecond, "stranger")
	if d.all.Summary().Count != 0 {
		t.Fatal("samples reached the recorders before the flush")
	}
	b.flush()
	counts := func(r *Recorder) int64 { return r.Summary().Count }
	if got := []int64{counts(d.all), counts(d.byServer[0]), counts(d.byServer[1])}; !slices.Equal(got, []int64{4, 0, 4}) {
		t.Errorf("all, server 1, server 2 counts = %v, want [4 0 4]", got)
	}
	if got := []int64{counts(d.byPair[1][0]), counts(d.byPair[1][1]), counts(d.byPair[0][0])}; !slices.Equal(got, []int64{2, 1, 0}) {
		t.Errorf("pair counts = %v, want [2 1 0]", got)
	}
	if m := d.byPair[1][1].Summary().MaxMs; m != 900 {
		t.Errorf("cross-server max = %vms, want 900", m)
	}
	for i := 0; i < latBatchSize; i++ { // a full batch flushes by itself
		b.add(time.Millisecond, "u1")
	}
	if got := counts(d.byPair[1][1]); got != 1+latBatchSize {
		t.Errorf("after a full batch: %d samples, want %d", got, 1+latBatchSize)
	}
}

package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// splitList splits a comma-separated flag value, trimming blanks and
// dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// resolveServers returns the base URLs traffic goes to: -servers when
// given (it wins over -server), else -server alone. The first one is the
// primary: setup and the final checks use it.
func resolveServers(server, servers string) ([]string, error) {
	if strings.TrimSpace(servers) == "" {
		return []string{server}, nil
	}
	list := splitList(servers)
	if len(list) == 0 {
		return nil, errors.New("-servers holds no URL")
	}
	seen := map[string]bool{}
	for _, u := range list {
		key := strings.TrimRight(u, "/")
		if seen[key] {
			return nil, fmt.Errorf("-servers lists %s twice", u)
		}
		seen[key] = true
	}
	return list, nil
}

// parsePIDs reads -server-pid: empty or "0" means no memory sampling;
// otherwise one positive process id per server, in the same order.
func parsePIDs(s string, servers int) ([]int, error) {
	list := splitList(s)
	if len(list) == 0 || (len(list) == 1 && list[0] == "0") {
		return nil, nil
	}
	if len(list) != servers {
		return nil, fmt.Errorf("-server-pid lists %d pid(s) for %d server(s)", len(list), servers)
	}
	pids := make([]int, len(list))
	for i, p := range list {
		pid, err := strconv.Atoi(p)
		if err != nil || pid <= 0 {
			return nil, fmt.Errorf("-server-pid: %q is not a process id", p)
		}
		pids[i] = pid
	}
	return pids, nil
}

// serverFor is the server that watcher or bidder i talks to. Item i is on
// auction i % auctions as the (i / auctions)-th item there; the items of
// one auction take the servers in turn, starting at an offset that moves
// with the auction. So every auction with at least n items has them on
// every server, whatever the number of auctions (plain i % n would put all
// of an auction's items on one server whenever n divides the number of
// auctions), and with one auction it is i % n.
func serverFor(i, auctions, n int) int {
	if n <= 1 || auctions < 1 {
		return 0
	}
	return (i/auctions + i%auctions) % n
}

// deliveryLat records bid → watcher latency overall, by the server the
// watcher is on, and by (watcher's server, server the bid was placed on).
// origin maps our bidders' ids to their server; it is read-only once the
// watchers start.
type deliveryLat struct {
	all      *Recorder
	byServer []*Recorder
	byPair   [][]*Recorder
	origin   map[string]int
}

func newDeliveryLat(n, limit int, origin map[string]int) *deliveryLat {
	d := &deliveryLat{all: NewRecorder(limit), origin: origin,
		byServer: make([]*Recorder, n), byPair: make([][]*Recorder, n)}
	for i := range n {
		d.byServer[i] = NewRecorder(limit)
		d.byPair[i] = make([]*Recorder, n)
		for j := range n {
			d.byPair[i][j] = NewRecorder(limit)
		}
	}
	return d
}

// latBatch buffers one watcher's samples by origin server (the last
// buffer: a bidder not ours) so the shared recorders are locked rarely.
type latBatch struct {
	sink *deliveryLat
	srv  int
	bufs [][]time.Duration
	size int
}

const latBatchSize = 256

func (d *deliveryLat) batch(srv int) *latBatch {
	return &latBatch{sink: d, srv: srv, bufs: make([][]time.Duration, len(d.byServer)+1)}
}

func (b *latBatch) add(lat time.Duration, bidder string) {
	o, ok := b.sink.origin[bidder]
	if !ok {
		o = len(b.bufs) - 1
	}
	b.bufs[o] = append(b.bufs[o], lat)
	if b.size++; b.size >= latBatchSize {
		b.flush()
	}
}

func (b *latBatch) flush() {
	for o, ds := range b.bufs {
		if len(ds) == 0 {
			continue
		}
		b.sink.all.AddBatch(ds)
		b.sink.byServer[b.srv].AddBatch(ds)
		if o < len(b.sink.byPair[b.srv]) {
			b.sink.byPair[b.srv][o].AddBatch(ds)
		}
		b.bufs[o] = ds[:0]
	}
	b.size = 0
}

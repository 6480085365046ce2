package store

import (
	"context"
	"sync/atomic"
	"time"
)

// The health watch pings the database every second, so that a request
// can be refused at once (503) while the database is away, instead of
// queueing behind calls that each wait out their own timeout. It is a
// hint for failing fast, never a reason to acknowledge anything: writes
// still decide by their own result.

const (
	healthEvery   = time.Second
	healthTimeout = time.Second
)

type health struct {
	down   atomic.Bool
	failAt atomic.Int64 // unix ns of the last failed ping
	stop   context.CancelFunc
	done   chan struct{}
	pinger func(context.Context) error
}

func (h *health) start(ping func(context.Context) error) {
	ctx, cancel := context.WithCancel(context.Background())
	h.stop, h.done, h.pinger = cancel, make(chan struct{}), ping
	go h.run(ctx)
}

func (h *health) run(ctx context.Context) {
	defer close(h.done)
	t := time.NewTicker(healthEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			pctx, cancel := context.WithTimeout(ctx, healthTimeout)
			start := time.Now()
			err := h.pinger(pctx)
			cancel()
			if ctx.Err() == nil {
				h.record(start, err)
			}
		}
	}
}

// record notes a ping's answer. A success only counts when the ping
// started after the last failure: a slow ping that began before an outage
// must not mark the database back up.
func (h *health) record(start time.Time, err error) {
	if err != nil {
		h.failAt.Store(time.Now().UnixNano())
		h.down.Store(true)
		return
	}
	if start.UnixNano() > h.failAt.Load() {
		h.down.Store(false)
	}
}

func (h *health) close() {
	if h.stop != nil {
		h.stop()
		<-h.done
	}
}

// Healthy reports whether the database answered the last health ping
// (pings run every second, each allowed one second).
func (s *Store) Healthy() bool { return !s.health.down.Load() }

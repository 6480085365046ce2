package market

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/internal/store"
)

// peers tells whether other server processes share the database. A process
// alone knows every entry of every log it runs, so it need not read the logs
// back; with peers, each open auction's runner reads its log every poll
// interval for their entries. Each process renews a heartbeat document; the
// others count as present while theirs is fresh.
type peers struct {
	coll    *mongo.Collection
	id      string
	every   time.Duration
	log     *slog.Logger
	present atomic.Bool
	live    atomic.Int32 // live processes, this one included, at the last beat
}

type heartbeat struct {
	ID   string    `bson:"_id"`
	Beat time.Time `bson:"beat"`
}

func newPeers(coll *mongo.Collection, every time.Duration, log *slog.Logger) *peers {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return &peers{coll: coll, id: hex.EncodeToString(b[:]), every: every, log: log}
}

// shared reports whether another live process uses the database.
func (p *peers) shared() bool { return p.present.Load() }

// beat renews our heartbeat and looks at the others'.
func (p *peers) beat(ctx context.Context) {
	now := time.Now()
	_, err := p.coll.ReplaceOne(ctx, bson.D{{Key: "_id", Value: p.id}}, heartbeat{ID: p.id, Beat: now}, options.Replace().SetUpsert(true))
	if err != nil {
		p.log.Warn("heartbeat failed", "err", err)
		p.present.Store(true) // unsure: behave as if shared
		return
	}
	beats, err := store.FindAll[heartbeat](ctx, p.coll, "heartbeats", bson.D{})
	if err != nil {
		p.log.Warn("heartbeat read failed", "err", err)
		p.present.Store(true)
		return
	}
	others, live := false, int32(1)
	for _, b := range beats {
		switch {
		case b.ID == p.id:
		case now.Sub(b.Beat) < 3*p.every:
			others = true
			live++
		case now.Sub(b.Beat) > time.Hour:
			_, _ = p.coll.DeleteOne(ctx, bson.D{{Key: "_id", Value: b.ID}}) // long gone
		}
	}
	p.live.Store(live)
	if others != p.present.Swap(others) {
		p.log.Info("other processes share the database", "shared", others)
	}
}

// count is the number of live processes sharing the database, this one
// included (1 before the first beat).
func (p *peers) count() int { return max(1, int(p.live.Load())) }

// leave removes our heartbeat so the others stop polling sooner.
func (p *peers) leave(ctx context.Context) {
	_, _ = p.coll.DeleteOne(ctx, bson.D{{Key: "_id", Value: p.id}})
}

// Processes is how many server processes share the database, this one
// included, as of the last heartbeat (every two poll intervals). Per-process
// limits divide by it, so that a client spread over the processes by a
// balancer meets the same limit whichever process answers.
func (s *Service) Processes() int {
	if s.peers == nil {
		return 1
	}
	return s.peers.count()
}

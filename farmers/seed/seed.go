// Package seed makes deterministic demo data for Liaoning: people and
// organisations (co-ops, family farms, companies, buyers) of the registry,
// hotline Q&A, market prices and supply and demand posts, from the real
// city and county codes and local produce in seedvocab. The same
// seed and day give the same rows, and the rows go in through the
// datasets' own import, so seeding twice changes nothing and every row
// passes the same validation a 12316 file does.
package seed

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

// Options size the demo.
type Options struct {
	Seed   uint64    // same seed, same data
	Today  time.Time // dates are relative to it (posts valid from today, prices up to today); default now
	People int       // default 600
	Days   int       // days of prices, default 120
	Posts  int       // supply and demand posts, default 200
}

func (o *Options) defaults() {
	if o.Seed == 0 {
		o.Seed = 12316
	}
	if o.Today.IsZero() {
		o.Today = time.Now()
	}
	o.Today = tz.In(o.Today)
	if o.People <= 0 {
		o.People = 600
	}
	if o.Days <= 0 {
		o.Days = 120
	}
	if o.Posts <= 0 {
		o.Posts = 200
	}
}

// table is generated rows for one dataset, by canonical column name.
type table struct {
	dataset string
	header  []string
	rows    [][]string
}

// Run loads the demo into the catalogue's datasets and returns each one's
// import report.
func Run(ctx context.Context, cat *datasets.Service, opts Options) (map[string]*datasets.Report, error) {
	opts.defaults()
	g := &gen{opts: opts, rnd: rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x12316))}
	people := g.people()
	// Organisations last, so that adding them left the other tables' draws as they were.
	tables := []table{people, g.knowledge(), g.prices(), g.supply(), g.organisations(people)}
	out := map[string]*datasets.Report{}
	for _, t := range tables {
		d, ok := cat.Get(t.dataset)
		if !ok {
			return out, fmt.Errorf("seed: no dataset %q is registered", t.dataset)
		}
		rep, err := cat.Import(ctx, d, &rowsReader{t: t}, datasets.ImportOptions{})
		if err != nil {
			return out, fmt.Errorf("seed %s: %w", t.dataset, err)
		}
		if rep.Rejected > 0 {
			return out, fmt.Errorf("seed %s: %d rows rejected, first: %+v", t.dataset, rep.Rejected, rep.Rejections[0])
		}
		out[t.dataset] = rep
	}
	return out, nil
}

// rowsReader serves a generated table to the importer as if it were a file.
type rowsReader struct {
	t table
	i int
}

func (r *rowsReader) Header() []string { return r.t.header }
func (r *rowsReader) Encoding() string { return "seed" }
func (r *rowsReader) Close() error     { return nil }

func (r *rowsReader) Next() ([]string, int, error) {
	if r.i >= len(r.t.rows) {
		return nil, 0, io.EOF
	}
	r.i++
	return r.t.rows[r.i-1], r.i + 1, nil
}

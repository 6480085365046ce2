package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/liaoning12316/agrimaker/farmers/seed"
	"github.com/liaoning12316/agrimaker/server"
)

// runSeed: agrimaker seed [-seed N] [-people N] [-days N] [-posts N].
// Loads deterministic demo data through the datasets' import; running it
// again changes nothing (on the same day: dates are relative to today).
func runSeed(args []string) error {
	fs := flag.NewFlagSet("agrimaker seed", flag.ContinueOnError)
	var o seed.Options
	fs.Uint64Var(&o.Seed, "seed", 12316, "random seed: the same seed gives the same data")
	fs.IntVar(&o.People, "people", 600, "registry people")
	fs.IntVar(&o.Days, "days", 120, "days of market prices up to today")
	fs.IntVar(&o.Posts, "posts", 200, "supply and demand posts")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return withServer(func(ctx context.Context, srv *server.Server) error {
		reps, err := seed.Run(ctx, srv.Datasets, o)
		for name, r := range reps {
			fmt.Fprintf(os.Stderr, "%-10s %6d rows: %d imported, %d updated, %d unchanged\n", name, r.Rows, r.Imported, r.Updated, r.Unchanged)
		}
		return err
	})
}

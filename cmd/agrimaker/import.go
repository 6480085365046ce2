package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/server"
)

// runImport: agrimaker import -dataset NAME [-dry-run] FILE. Progress goes
// to stderr every few seconds; the final report (JSON) to stdout. Exit
// status 1 when the import failed or stopped early.
func runImport(args []string) error {
	fs := flag.NewFlagSet("agrimaker import", flag.ContinueOnError)
	name := fs.String("dataset", "", "dataset to import into: people, knowledge, prices, supply")
	dry := fs.Bool("dry-run", false, "validate and classify every row without writing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *name == "" || fs.NArg() != 1 {
		return errors.New("usage: agrimaker import -dataset NAME [-dry-run] FILE")
	}
	path := fs.Arg(0)
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	return withServer(func(ctx context.Context, srv *server.Server) error {
		d, ok := srv.Datasets.Get(*name)
		if !ok {
			return fmt.Errorf("no dataset %q", *name)
		}
		last := time.Now()
		job, err := srv.Datasets.ImportFile(ctx, d, path, datasets.JobMeta{Filename: filepath.Base(path), Size: st.Size(), DryRun: *dry, By: "cli"},
			func(j datasets.Job) {
				if time.Since(last) > 3*time.Second {
					last = time.Now()
					r := j.Report
					fmt.Fprintf(os.Stderr, "row %d: %d imported, %d updated, %d unchanged, %d rejected (%.0f rows/s)\n",
						r.CommittedRow, r.Imported, r.Updated, r.Unchanged, r.Rejected, r.RowsPerSecond)
				}
			})
		if job.ID != "" {
			printJSON(job)
		}
		return err
	})
}

// withServer wires the platform without serving, runs f, and shuts down.
// Ctrl-C stops f's work at the next batch.
func withServer(f func(context.Context, *server.Server) error) error {
	cfg, err := server.ConfigFromEnv(nil)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv, err := server.New(ctx, cfg, server.NewLogger(os.Stderr, cfg.LogLevel))
	if err != nil {
		return err
	}
	defer srv.Shutdown(context.Background())
	return f(ctx, srv)
}

func printJSON(v any) {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

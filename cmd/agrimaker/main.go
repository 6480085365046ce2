// Command agrimaker runs the Agrimaker 12316 platform server, and its
// administration tools:
//
//	agrimaker [flags]                          serve (see server.ConfigFromEnv)
//	agrimaker import -dataset NAME [-dry-run] FILE
//	agrimaker seed [-seed N]                   load deterministic demo data
//
// The tools open the database the server would (MONGODB_URI or the
// embedded one in AGRI_DATA). On the embedded database, stop the server
// first or import over HTTP (POST /api/v1/datasets/{name}/imports).
package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/liaoning12316/agrimaker/server"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "agrimaker:", err)
		os.Exit(1)
	}
}

func run() error {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "import":
			return runImport(os.Args[2:])
		case "seed":
			return runSeed(os.Args[2:])
		}
	}
	return serve()
}

func serve() error {
	cfg, err := server.ConfigFromEnv(os.Args[1:])
	if err != nil {
		return err
	}
	log := server.NewLogger(os.Stderr, cfg.LogLevel)
	setMemoryLimit(log)
	startPprof(cfg.PprofAddr, log)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv, err := server.New(ctx, cfg, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		srv.Shutdown(context.Background())
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err = <-errc:
	case <-ctx.Done():
		log.Info("shutting down")
	}
	srv.Shutdown(context.Background())
	return err
}

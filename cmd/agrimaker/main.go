// Command agrimaker runs the Agrimaker 12316 platform server.
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
	cfg, err := server.ConfigFromEnv(os.Args[1:])
	if err != nil {
		return err
	}
	log := server.NewLogger(os.Stderr, cfg.LogLevel)
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

package main

import (
	"log/slog"
	"net/http"
	_ "net/http/pprof" // registers /debug/pprof on http.DefaultServeMux
)

// startPprof serves Go's profiles on addr (AGRI_PPROF_ADDR) when it is set
// (keep it on loopback: profiles show internals). Off by default.
func startPprof(addr string, log *slog.Logger) {
	if addr == "" {
		return
	}
	go func() {
		log.Info("pprof", "addr", addr)
		if err := http.ListenAndServe(addr, nil); err != nil {
			log.Warn("pprof stopped", "err", err)
		}
	}()
}

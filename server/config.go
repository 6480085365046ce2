// Package server assembles the domains into one Fiber application: config,
// database, middleware, routes, health, and an orderly shutdown. Tests start
// it exactly as main does.
package server

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is everything the server reads at start.
type Config struct {
	Addr          string // AGRI_ADDR, default :8080
	MongoURI      string // MONGODB_URI; empty: embedded FerretDB
	DataDir       string // AGRI_DATA, default ./data
	Database      string // AGRI_DB, default agrimaker
	EmbeddedAddr  string // AGRI_EMBEDDED_ADDR: where the embedded database listens (default a free loopback port)
	AdminPhone    string // AGRI_ADMIN_PHONE
	AdminPassword string // AGRI_ADMIN_PASSWORD
	RateLimit     int    // AGRI_RATE_LIMIT: requests per second per client (token or address); 0 disables
	LogLevel      string // AGRI_LOG_LEVEL: debug, info, warn, error
	TokenTTL      time.Duration
	PasswordCost  int           // bcrypt cost; tests lower it
	PollInterval  time.Duration // AGRI_POLL_INTERVAL: how often open auctions read other processes' events
	ShutdownGrace time.Duration
	SpoolDir      string // AGRI_SPOOL: where uploaded import files wait; default the system temp folder

	// AccessFlushInterval is how often API-key meters are written (default 5s); tests shorten it.
	AccessFlushInterval time.Duration
	// Demo loads the demo data (farmers/seed) into an empty registry at
	// start: on by default for the embedded database, so a newcomer's first
	// run shows a living system; AGRI_DEMO=0 turns it off, AGRI_DEMO=1 on.
	Demo bool
	// TrustedProxies (AGRI_TRUSTED_PROXIES, comma-separated IPs or CIDRs)
	// are the balancers whose X-Forwarded-For names the client: behind
	// them, rate limits and logs use the client's address. Empty: the
	// header is ignored (a client could forge it).
	TrustedProxies []string
	// PprofAddr (AGRI_PPROF_ADDR), when set, is where the binary serves Go's
	// profiles (/debug/pprof/); keep it on loopback.
	PprofAddr string
	// ImportMaxBytes is the largest import file accepted over HTTP
	// (AGRI_IMPORT_MAX_MB, default 256 MiB).
	ImportMaxBytes int64
}

// DefaultRateLimit is per client and second; a phone bidding by hand stays
// far below it, a script does not.
const DefaultRateLimit = 20

// ConfigFromEnv reads the environment, then lets flags override it.
func ConfigFromEnv(args []string) (Config, error) {
	c := Config{
		Addr:          env("AGRI_ADDR", ":8080"),
		MongoURI:      os.Getenv("MONGODB_URI"),
		DataDir:       env("AGRI_DATA", "./data"),
		Database:      env("AGRI_DB", "agrimaker"),
		EmbeddedAddr:  os.Getenv("AGRI_EMBEDDED_ADDR"),
		AdminPhone:    os.Getenv("AGRI_ADMIN_PHONE"),
		AdminPassword: os.Getenv("AGRI_ADMIN_PASSWORD"),
		LogLevel:      env("AGRI_LOG_LEVEL", "info"),
		TokenTTL:      30 * 24 * time.Hour,
		ShutdownGrace: 10 * time.Second,
		SpoolDir:      os.Getenv("AGRI_SPOOL"),
	}
	c.Demo = os.Getenv("AGRI_DEMO") == "1" || c.MongoURI == "" && os.Getenv("AGRI_DEMO") != "0"
	var err error
	if c.RateLimit, err = envInt("AGRI_RATE_LIMIT", DefaultRateLimit); err != nil {
		return c, err
	}
	c.TrustedProxies = splitList(os.Getenv("AGRI_TRUSTED_PROXIES"))
	c.PprofAddr = os.Getenv("AGRI_PPROF_ADDR")
	mb, err := envInt("AGRI_IMPORT_MAX_MB", 256)
	if err != nil {
		return c, err
	}
	c.ImportMaxBytes = int64(mb) << 20
	if c.PollInterval, err = envDuration("AGRI_POLL_INTERVAL", time.Second); err != nil {
		return c, err
	}
	fs := flag.NewFlagSet("agrimaker", flag.ContinueOnError)
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address (AGRI_ADDR)")
	fs.StringVar(&c.DataDir, "data", c.DataDir, "embedded database folder (AGRI_DATA)")
	fs.StringVar(&c.MongoURI, "mongodb-uri", c.MongoURI, "MongoDB URI; empty runs the embedded database (MONGODB_URI)")
	fs.StringVar(&c.Database, "db", c.Database, "database name (AGRI_DB)")
	fs.StringVar(&c.EmbeddedAddr, "embedded-addr", c.EmbeddedAddr, "embedded database listen address (AGRI_EMBEDDED_ADDR)")
	fs.IntVar(&c.RateLimit, "rate-limit", c.RateLimit, "requests per second per client, 0 = off (AGRI_RATE_LIMIT)")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "debug, info, warn or error (AGRI_LOG_LEVEL)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	return c, nil
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func envInt(name string, def int) (int, error) {
	v := os.Getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s must be a non-negative integer, not %q", name, v)
	}
	return n, nil
}

func envDuration(name string, def time.Duration) (time.Duration, error) {
	v := os.Getenv(name)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s must be a positive duration such as 500ms, not %q", name, v)
	}
	return d, nil
}

// splitList reads "a, b,c" as [a b c].
func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Command loadgen drives an agrimaker server through its public API (see the
// v1 contract): many websocket watchers on a few live auctions while bidders
// bid over HTTP and/or websocket. It reports throughput, acknowledgement and
// delivery latency, server memory per connection, and checks the contract's
// invariants (contiguous seq, acks == stored bids, watchers saw everything).
//
// Traffic goes only to -server (and to -baseline-mongo when given). Every
// loop is bounded in count and time; the run ends by itself.
package main

import (
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"os"
	"os/signal"
	"syscall"
	"time"
)

const (
	stragglerWait = 2 * time.Second
	drainLimit    = 60 * time.Second
	memSettle     = time.Second
)

type config struct {
	server        string
	watchers      int
	bidders       int
	auctions      int
	duration      time.Duration
	ramp          time.Duration
	bidVia        string
	jsonOut       bool
	serverPID     int
	baselineMongo string
	baselineDur   time.Duration
	timeout       time.Duration
	registerConc  int
	think         time.Duration
	maxBids       int
	maxSamples    int
	// watcherReconnects bounds how often one watcher comes back with
	// ?since= after the server closed it with 1013/1012/1001.
	watcherReconnects int
	// noKeys sends HTTP bids without Idempotency-Key (refusals of keyed
	// bids are stored by the server; this measures what that costs).
	noKeys     bool
	startPrice int64
	increment  int64
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	cfg := &config{}
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.server, "server", "http://127.0.0.1:8080", "base URL of the agrimaker server (the only address traffic goes to)")
	fs.IntVar(&cfg.watchers, "watchers", 200, "read-only websocket watchers, spread evenly over the auctions")
	fs.IntVar(&cfg.bidders, "bidders", 20, "bidding buyers, spread evenly over the auctions")
	fs.IntVar(&cfg.auctions, "auctions", 1, "number of sell auctions to create")
	fs.DurationVar(&cfg.duration, "duration", 20*time.Second, "length of the bid phase")
	fs.DurationVar(&cfg.ramp, "ramp", 5*time.Second, "time over which the watcher sockets are opened")
	fs.StringVar(&cfg.bidVia, "bid-via", "mixed", "how bidders bid: http, ws, or mixed (even bidders http, odd ws)")
	fs.BoolVar(&cfg.jsonOut, "json", false, "also print the report as JSON (after the text report)")
	fs.IntVar(&cfg.serverPID, "server-pid", 0, "server process id; reads VmRSS from /proc/PID/status for bytes per connection")
	fs.StringVar(&cfg.baselineMongo, "baseline-mongo", "", "MongoDB URI: first measure raw sequential InsertOne/s into agrimaker_bench.loadgen_baseline")
	fs.DurationVar(&cfg.baselineDur, "baseline-duration", 5*time.Second, "length of the -baseline-mongo insert loop")
	fs.DurationVar(&cfg.timeout, "timeout", 10*time.Second, "per-request / per-reply / per-dial timeout")
	fs.IntVar(&cfg.registerConc, "register-concurrency", 8, "registrations in flight at once (password hashing is slow)")
	fs.DurationVar(&cfg.think, "think", 0, "pause between a bidder's bids (0 = bid as fast as replies come)")
	fs.IntVar(&cfg.maxBids, "max-bids", 1_000_000, "upper bound on bids per bidder")
	fs.IntVar(&cfg.maxSamples, "max-samples", 1_000_000, "latency samples kept per distribution (reservoir); count and max stay exact")
	fs.IntVar(&cfg.watcherReconnects, "watcher-reconnects", 5, "times a watcher closed with 1013/1012/1001 reconnects with ?since=<last seq> (0 = never; it then counts as disconnected early)")
	fs.BoolVar(&cfg.noKeys, "no-idempotency-keys", false, "send HTTP bids without Idempotency-Key (no retries then; websocket bids always carry a ref)")
	fs.Int64Var(&cfg.startPrice, "start-price", 10000, "auction start price in fen")
	fs.Int64Var(&cfg.increment, "increment", 100, "auction increment in fen")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	var errs []error
	check := func(ok bool, format string, a ...any) {
		if !ok {
			errs = append(errs, fmt.Errorf(format, a...))
		}
	}
	check(cfg.watchers >= 0 && cfg.watchers <= 1_000_000, "-watchers must be in 0..1000000")
	check(cfg.bidders >= 0 && cfg.bidders <= 100_000, "-bidders must be in 0..100000")
	check(cfg.auctions >= 1 && cfg.auctions <= 10_000, "-auctions must be in 1..10000")
	check(cfg.duration > 0 && cfg.duration <= 24*time.Hour, "-duration must be in (0, 24h]")
	check(cfg.ramp >= 0 && cfg.ramp <= time.Hour, "-ramp must be in [0, 1h]")
	check(cfg.bidVia == "http" || cfg.bidVia == "ws" || cfg.bidVia == "mixed", "-bid-via must be http, ws or mixed")
	check(cfg.baselineDur > 0 && cfg.baselineDur <= time.Hour, "-baseline-duration must be in (0, 1h]")
	check(cfg.timeout > 0, "-timeout must be positive")
	check(cfg.registerConc >= 1, "-register-concurrency must be at least 1")
	check(cfg.think >= 0, "-think must not be negative")
	check(cfg.maxBids >= 1, "-max-bids must be at least 1")
	check(cfg.watcherReconnects >= 0 && cfg.watcherReconnects <= 1000, "-watcher-reconnects must be in 0..1000")
	check(cfg.maxSamples >= 1, "-max-samples must be at least 1")
	check(cfg.startPrice > 0 && cfg.increment > 0, "-start-price and -increment must be positive")
	check(cfg.serverPID >= 0, "-server-pid must not be negative")
	return cfg, errors.Join(errs...)
}

func main() {
	log.SetFlags(log.Ltime | log.Lmicroseconds)
	log.SetPrefix("loadgen ")
	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(2)
	}
	if lim, err := raiseFileLimit(); err != nil {
		log.Printf("warning: cannot raise the open-file limit: %v", err)
	} else {
		need := uint64(cfg.watchers + cfg.bidders + 64)
		log.Printf("open-file limit %d", lim)
		if lim < need {
			log.Printf("warning: open-file limit %d is below the ~%d sockets this run needs", lim, need)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second ^C kills at once
	}()
	code := run(ctx, cfg)
	stop()
	os.Exit(code)
}

func randHex(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rand.UintN(256))
	}
	return hex.EncodeToString(b)
}

// run is the whole orchestration; it returns the process exit code:
// 0 all checks passed, 1 a check failed, 2 the run could not be done.
func run(ctx context.Context, cfg *config) int {
	r := &runner{cfg: cfg, errs: NewCounter(),
		rep: &Report{Server: cfg.server, RunID: randHex(3), Watchers: cfg.watchers,
			DurationSec: cfg.duration.Seconds(), RampSec: cfg.ramp.Seconds()}}

	r.baseline(ctx)
	if err := r.setup(ctx); err != nil {
		log.Print(err)
		return 2
	}
	r.rampWatchers(ctx)
	r.bid(ctx)
	r.drain(ctx)
	r.collect()
	r.check()
	r.figures()
	if ctx.Err() != nil {
		log.Printf("run was interrupted; figures cover the part that ran")
	}
	return r.report()
}

// runner carries what one run builds up from phase to phase.
type runner struct {
	cfg  *config
	rep  *Report
	errs *Counter

	cl       *client
	buyers   []account
	auctions []auctionInfo

	mem       *rssSampler // nil without -server-pid
	watchLat  *Recorder
	watchers  []*watcher
	connected int64 // watchers connected after the ramp

	env *bidEnv
}

// baseline measures the optional raw database insert rate, before any load.
func (r *runner) baseline(ctx context.Context) {
	cfg := r.cfg
	if cfg.baselineMongo == "" {
		return
	}
	bl, err := runBaseline(ctx, cfg.baselineMongo, cfg.baselineDur, cfg.maxSamples)
	if err != nil {
		log.Printf("%v", err)
		if bl.Error == "" {
			bl.Error = err.Error()
		}
	}
	r.rep.Baseline = bl
}

// setup connects to the server and creates one farmer, M buyers and A sell
// auctions.
func (r *runner) setup(ctx context.Context) error {
	cfg, rep := r.cfg, r.rep
	cl, err := newClient(cfg.server, cfg.timeout, 2*cfg.bidders+32)
	if err != nil {
		return err
	}
	if err := cl.healthz(ctx); err != nil {
		return err
	}
	r.cl = cl

	setupStart := time.Now()
	password := "Lg-" + randHex(6)
	farmer, err := cl.register(ctx, "farmer", "loadgen farmer "+rep.RunID, password)
	if err != nil {
		return err
	}
	log.Printf("setup: registering %d buyers (%d at once)", cfg.bidders, cfg.registerConc)
	r.buyers, err = cl.registerBuyers(ctx, cfg.bidders, cfg.registerConc, password)
	if err != nil {
		return err
	}
	if err := r.createAuctions(ctx, farmer); err != nil {
		return err
	}
	rep.SetupSec = time.Since(setupStart).Seconds()
	log.Printf("setup: farmer %s, %d buyers, auctions %v in %.2fs", farmer.ID, len(r.buyers), rep.AuctionIDs, rep.SetupSec)
	return nil
}

// createAuctions opens cfg.auctions sell auctions owned by farmer, ending
// well after the bid phase.
func (r *runner) createAuctions(ctx context.Context, farmer account) error {
	cfg, rep := r.cfg, r.rep
	endsAt := time.Now().Add(cfg.ramp + cfg.duration + 30*time.Second)
	for i := 0; i < cfg.auctions; i++ {
		a, err := r.cl.createAuction(ctx, farmer.Token, fmt.Sprintf("loadgen %s lot %d", rep.RunID, i+1),
			cfg.startPrice, cfg.increment, endsAt)
		if err != nil {
			return err
		}
		a.Index = i
		r.auctions = append(r.auctions, a)
		rep.AuctionIDs = append(rep.AuctionIDs, a.ID)
	}
	return nil
}

// rampWatchers opens the watcher sockets, with server memory measured
// around the ramp.
func (r *runner) rampWatchers(ctx context.Context) {
	cfg := r.cfg
	if cfg.serverPID > 0 {
		r.mem = startRSS(cfg.serverPID)
	}
	r.watchLat = NewRecorder(cfg.maxSamples)
	rampStart := time.Now()
	r.watchers = startWatchers(ctx, r.cl, cfg.watchers, r.auctions, cfg.ramp, cfg.timeout, cfg.watcherReconnects, r.watchLat)
	r.rep.RampActualSec = time.Since(rampStart).Seconds()
	for _, w := range r.watchers {
		if w.connected {
			r.connected++
		}
	}
	if r.mem != nil {
		// Let the server finish setting up the last sockets before the
		// per-connection figure is taken.
		sleepCtx(ctx, memSettle)
		r.mem.markRamp(r.connected)
	}
}

// bid runs the bidders for cfg.duration.
func (r *runner) bid(ctx context.Context) {
	cfg, rep := r.cfg, r.rep
	r.env = newBidEnv(ctx, cfg, r.cl, r.errs, rep.RunID)
	bidders := makeBidders(cfg, r.buyers, r.auctions)
	for _, b := range bidders {
		if b.via == "ws" {
			rep.BiddersWS++
		} else {
			rep.BiddersHTTP++
		}
	}
	r.env.connectBidders(bidders)
	bidStart := time.Now()
	r.env.deadline = bidStart.Add(cfg.duration)
	log.Printf("bidding for %s: %d http, %d ws bidders", cfg.duration, rep.BiddersHTTP, rep.BiddersWS)
	r.env.runBidders(bidders)
	rep.BidPhaseSec = time.Since(bidStart).Seconds()
}

// drain waits for the watchers to receive every accepted bid (a server that
// fans out slowly may be seconds behind), then a little longer for anything
// unexpected (a bid beyond the final seq would be a failure).
func (r *runner) drain(ctx context.Context) {
	rep := r.rep
	drainStart := time.Now()
	want := r.finalSeqs(ctx)
	log.Printf("bidders stopped after %.2fs; waiting up to %s for watchers to receive every bid", rep.BidPhaseSec, drainLimit)
	behind := awaitDelivery(ctx, r.watchers, want, drainLimit)
	rep.DrainSec = time.Since(drainStart).Seconds()
	if behind > 0 {
		log.Printf("%d watcher(s) still behind after %.2fs", behind, rep.DrainSec)
	}
	sleepCtx(ctx, stragglerWait)
}

// finalSeqs reads each auction's seq after the bid phase; auctions that
// cannot be read are counted as errors and left out.
func (r *runner) finalSeqs(ctx context.Context) map[string]int64 {
	want := map[string]int64{}
	for _, a := range r.auctions {
		actx, cancel := context.WithTimeout(ctx, r.cfg.timeout)
		got, err := r.cl.getAuction(actx, a.ID)
		cancel()
		if err != nil {
			r.errs.Inc("http_get_auction")
			continue
		}
		want[a.ID] = got.Seq
	}
	return want
}

// collect takes the final memory figure and closes the watcher sockets.
func (r *runner) collect() {
	if r.mem != nil {
		r.rep.Memory = r.mem.finish(r.connected + int64(r.rep.BiddersWS))
	}
	closeWatchers(r.watchers, 3*time.Second)
	log.Printf("sockets closed; reading stored bids")
}

// check reads what the server stored and verifies the invariants. It uses
// its own context so an interrupted run still reports.
func (r *runner) check() {
	vctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	stored := fetchStored(vctx, r.cl, r.auctions)
	ours := map[string]bool{}
	for _, b := range r.buyers {
		ours[b.ID] = true
	}
	r.rep.Checks = runChecks(stored, r.env.acks, ours, r.env.unresolved.Load(), r.watchers)
}

// figures fills in the report's throughput, latency and error figures and
// the overall verdict.
func (r *runner) figures() {
	rep, env := r.rep, r.env
	rep.Stream = streamStats(r.watchers, r.errs)
	rep.Stream.DeliveriesPerSec = rate(rep.Stream.BidDeliveries, rep.BidPhaseSec)
	rep.BidToWatcher = r.watchLat.Summary()
	rep.Bids = BidReport{
		Attempts:       env.attempts.Load(),
		Accepted:       env.accepted.Load(),
		Rejected:       env.rejected.Load(),
		Errors:         env.failed.Load(),
		Unresolved:     env.unresolved.Load(),
		RejectedByCode: env.rejects.Snapshot(),
	}
	rep.Bids.AcceptedPerSec = rate(rep.Bids.Accepted, rep.BidPhaseSec)
	rep.Bids.RejectedPerSec = rate(rep.Bids.Rejected, rep.BidPhaseSec)
	rep.AckLatency = map[string]LatencySummary{}
	for k, l := range env.lat {
		rep.AckLatency[k] = l.Summary()
	}
	if rep.Baseline != nil && rep.Baseline.InsertsPerSec > 0 {
		rep.Baseline.AcceptedToRaw = rep.Bids.AcceptedPerSec / rep.Baseline.InsertsPerSec
	}
	rep.Errors = r.errs.Snapshot()
	rep.RateLimitedHint = rep.Errors["http_bid_429"] > 0
	rep.Pass = true
	for _, c := range rep.Checks {
		if c.Status == "FAIL" {
			rep.Pass = false
		}
	}
}

// report prints the report and returns the exit code.
func (r *runner) report() int {
	rep := r.rep
	rep.printText(os.Stdout)
	if r.cfg.jsonOut {
		if err := rep.printJSON(os.Stdout); err != nil {
			log.Printf("json: %v", err)
		}
	}
	if !rep.Pass {
		return 1
	}
	return 0
}

// Command loadgen drives an agrimaker server through its public API (see the
// v1 contract): many websocket watchers on a few live auctions while bidders
// bid over HTTP and/or websocket. It reports throughput, acknowledgement and
// delivery latency, server memory per connection, and checks the contract's
// invariants (contiguous seq, acks == stored bids, watchers saw everything).
//
// Traffic goes only to -server, or to the -servers list (and to
// -baseline-mongo when given). With several servers (processes sharing one
// database), setup and the final checks use the first; watchers and bidders
// are spread so that every auction has both on every server, and the report
// adds per-server delivery latency, memory and a cross-server check. With
// -storm-at, every watcher's socket drops at once during the bid phase and
// resumes with ?since= (storm.go), and the report adds how long the
// sockets took to come back and catch up. Every loop is bounded in count
// and time; the run ends by itself.
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
	"strings"
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
	servers       []string // -servers, else [-server]; the first is the primary
	watchers      int
	bidders       int
	auctions      int
	duration      time.Duration
	ramp          time.Duration
	bidVia        string
	jsonOut       bool
	serverPIDs    []int // one per server, or none
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
	// storm is the reconnect storms of the bid phase (storm.go); off
	// unless -storm-at.
	storm stormPlan
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	cfg := &config{}
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.server, "server", "http://127.0.0.1:8080", "base URL of the agrimaker server (the only address traffic goes to, unless -servers)")
	serverList := fs.String("servers", "", "comma-separated base URLs of several processes sharing one database (wins over -server); the first does setup and checks, watchers and bidders are spread over all")
	fs.IntVar(&cfg.watchers, "watchers", 200, "read-only websocket watchers, spread evenly over the auctions")
	fs.IntVar(&cfg.bidders, "bidders", 20, "bidding buyers, spread evenly over the auctions")
	fs.IntVar(&cfg.auctions, "auctions", 1, "number of sell auctions to create")
	fs.DurationVar(&cfg.duration, "duration", 20*time.Second, "length of the bid phase")
	fs.DurationVar(&cfg.ramp, "ramp", 5*time.Second, "time over which the watcher sockets are opened")
	fs.StringVar(&cfg.bidVia, "bid-via", "mixed", "how bidders bid: http, ws, or mixed (even bidders http, odd ws)")
	fs.BoolVar(&cfg.jsonOut, "json", false, "also print the report as JSON (after the text report)")
	pidList := fs.String("server-pid", "", "server process id(s), comma-separated in the order of the servers; reads VmRSS from /proc/PID/status for bytes per connection")
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
	fs.DurationVar(&cfg.storm.at, "storm-at", 0, "reconnect storm this far into the bid phase: every watcher's socket drops at once without a close frame and reconnects at once with ?since=<last seq seen> while bidding goes on (0 = no storm)")
	fs.IntVar(&cfg.storm.n, "storms", 1, "number of reconnect storms, -storm-every apart (with -storm-at)")
	fs.DurationVar(&cfg.storm.every, "storm-every", 0, "interval between storms (0 = -storm-at)")
	fs.StringVar(&cfg.storm.drop, "storm-drop", dropRST, "how a storm drops a socket: rst (TCP reset), fin (TCP close) or silent (stop reading, leave it open: the server finds out only by its timeouts)")
	err := fs.Parse(args)
	if err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if cfg.storm.every == 0 {
		cfg.storm.every = cfg.storm.at
	}
	var errs []error
	cfg.servers, err = resolveServers(cfg.server, *serverList)
	errs = append(errs, err)
	if err == nil {
		cfg.serverPIDs, err = parsePIDs(*pidList, len(cfg.servers))
		errs = append(errs, err)
	}
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
	errs = append(errs, cfg.storm.validate(cfg.duration))
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
		if cfg.storm.enabled() && cfg.storm.drop == dropSilent {
			need += uint64(cfg.watchers * cfg.storm.n) // every storm leaves the old sockets open
		}
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
		rep: &Report{Server: strings.Join(cfg.servers, ","), RunID: randHex(3), Watchers: cfg.watchers,
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

	cl       *client   // the primary server: setup and checks
	clients  []*client // every server, the primary first
	buyers   []account
	auctions []auctionInfo

	mem         *rssSampler // nil without -server-pid
	watchLat    *deliveryLat
	watchers    []*watcher
	connected   int64   // watchers connected after the ramp
	connectedBy []int64 // the same by server
	wsBy        []int64 // websocket bidders by server
	httpBy      []int64 // HTTP bidders by server
	memBy       []*MemoryReport

	env    *bidEnv
	storms *stormRunner // nil without -storm-at
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

// connect makes one client per server and checks that each is healthy.
func (r *runner) connect(ctx context.Context) error {
	for _, u := range r.cfg.servers {
		cl, err := newClient(u, r.cfg.timeout, 2*r.cfg.bidders+32)
		if err != nil {
			return err
		}
		if err := cl.healthz(ctx); err != nil {
			return err
		}
		r.clients = append(r.clients, cl)
	}
	r.cl = r.clients[0]
	return nil
}

// setup connects to the servers and creates, on the primary, one farmer,
// M buyers and A sell auctions.
func (r *runner) setup(ctx context.Context) error {
	cfg, rep := r.cfg, r.rep
	if err := r.connect(ctx); err != nil {
		return err
	}
	cl := r.cl

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

// bidderOrigins maps each buyer to the server its bids go to, so that a
// watcher can tell a bid placed on its own server from one placed on
// another.
func (r *runner) bidderOrigins() map[string]int {
	origin := make(map[string]int, len(r.buyers))
	for i, b := range r.buyers {
		origin[b.ID] = serverFor(i, len(r.auctions), len(r.clients))
	}
	return origin
}

// rampWatchers opens the watcher sockets, with server memory measured
// around the ramp.
func (r *runner) rampWatchers(ctx context.Context) {
	cfg := r.cfg
	if len(cfg.serverPIDs) > 0 {
		r.mem = startRSS(cfg.serverPIDs)
	}
	r.watchLat = newDeliveryLat(len(r.clients), cfg.maxSamples, r.bidderOrigins())
	rampStart := time.Now()
	r.watchers = startWatchers(ctx, r.clients, cfg.watchers, r.auctions, cfg.ramp, cfg.timeout, cfg.watcherReconnects, r.watchLat)
	r.rep.RampActualSec = time.Since(rampStart).Seconds()
	r.connectedBy = make([]int64, len(r.clients))
	for _, w := range r.watchers {
		if w.connected {
			r.connected++
			r.connectedBy[w.srv]++
		}
	}
	if r.mem != nil {
		// Let the server finish setting up the last sockets before the
		// per-connection figure is taken.
		sleepCtx(ctx, memSettle)
		r.mem.markRamp(r.connectedBy)
	}
}

// bid runs the bidders for cfg.duration.
func (r *runner) bid(ctx context.Context) {
	cfg, rep := r.cfg, r.rep
	r.env = newBidEnv(ctx, cfg, len(r.clients), r.errs, rep.RunID)
	bidders := makeBidders(cfg, r.buyers, r.auctions, r.clients)
	r.wsBy, r.httpBy = make([]int64, len(r.clients)), make([]int64, len(r.clients))
	for _, b := range bidders {
		if b.via == "ws" {
			rep.BiddersWS++
			r.wsBy[b.srv]++
		} else {
			rep.BiddersHTTP++
			r.httpBy[b.srv]++
		}
	}
	r.env.connectBidders(bidders)
	bidStart := time.Now()
	r.env.deadline = bidStart.Add(cfg.duration)
	log.Printf("bidding for %s: %d http, %d ws bidders", cfg.duration, rep.BiddersHTTP, rep.BiddersWS)
	if cfg.storm.enabled() {
		r.storms = r.startStorms(ctx, bidStart, r.env.deadline)
	}
	r.env.runBidders(bidders)
	rep.BidPhaseSec = time.Since(bidStart).Seconds()
}

// drain waits for the watchers to receive every accepted bid (a server that
// fans out slowly may be seconds behind), then a little longer for anything
// unexpected (a bid beyond the final seq would be a failure).
func (r *runner) drain(ctx context.Context) {
	rep := r.rep
	drainStart := time.Now()
	want := r.finalSeqs(ctx, drainLimit)
	log.Printf("bidders stopped after %.2fs; waiting up to %s for watchers to receive every bid", rep.BidPhaseSec, drainLimit)
	behind := awaitDelivery(ctx, r.watchers, want, drainLimit)
	rep.DrainSec = time.Since(drainStart).Seconds()
	if behind > 0 {
		log.Printf("%d watcher(s) still behind after %.2fs", behind, rep.DrainSec)
	}
	// A storm late in the bid phase may still be waiting for its sockets.
	rep.Storms = r.storms.wait()
	sleepCtx(ctx, stragglerWait)
}

// finalSeqs reads each auction's seq from every server after the bid
// phase and returns the highest. A server learns of bids placed on another
// by polling the log, so it reads again (up to limit) until all agree,
// which also lets the primary catch up before the checks read it. Auctions
// that cannot be read are counted as errors and left out.
func (r *runner) finalSeqs(ctx context.Context, limit time.Duration) map[string]int64 {
	start := time.Now()
	for {
		want, agree := r.readSeqs(ctx)
		if agree || len(r.clients) == 1 || time.Since(start) > limit || !sleepCtx(ctx, 100*time.Millisecond) {
			if len(r.clients) > 1 {
				log.Printf("servers agree on every auction's seq: %v (after %.2fs)", agree, time.Since(start).Seconds())
			}
			return want
		}
	}
}

// readSeqs reads each auction's seq from every server once: the highest
// per auction, and whether every server answered with the same one.
func (r *runner) readSeqs(ctx context.Context) (map[string]int64, bool) {
	want := map[string]int64{}
	agree := true
	for _, a := range r.auctions {
		seen := map[int64]bool{}
		for _, cl := range r.clients {
			actx, cancel := context.WithTimeout(ctx, r.cfg.timeout)
			got, err := cl.getAuction(actx, a.ID)
			cancel()
			if err != nil {
				r.errs.Inc("http_get_auction")
				agree = false
				continue
			}
			seen[got.Seq] = true
			want[a.ID] = max(want[a.ID], got.Seq)
		}
		agree = agree && len(seen) == 1
	}
	return want, agree
}

// collect takes the final memory figure and closes the watcher sockets.
func (r *runner) collect() {
	if r.mem != nil {
		conns := make([]int64, len(r.clients))
		for i := range conns {
			conns[i] = r.connectedBy[i] + r.wsBy[i]
		}
		r.rep.Memory, r.memBy = r.mem.finish(conns)
	}
	closeWatchers(r.watchers, 3*time.Second)
	if n := closeZombies(r.watchers); n > 0 {
		log.Printf("closed %d socket(s) left open by -storm-drop silent", n)
	}
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
	if len(r.clients) > 1 {
		others := make([][]storedAuction, len(r.clients)-1)
		for i, cl := range r.clients[1:] {
			others[i] = fetchStored(vctx, cl, r.auctions)
		}
		r.rep.Checks = append(r.rep.Checks, checkServersAgree(stored, others))
	}
	if r.cfg.storm.enabled() {
		r.rep.Checks = append(r.rep.Checks, stormCheck(r.rep.Storms, r.cfg.storm.n))
	}
}

// figures fills in the report's throughput, latency and error figures and
// the overall verdict.
func (r *runner) figures() {
	rep, env := r.rep, r.env
	rep.Stream = streamStats(r.watchers, r.errs)
	rep.Stream.DeliveriesPerSec = rate(rep.Stream.BidDeliveries, rep.BidPhaseSec)
	rep.BidToWatcher = r.watchLat.all.Summary()
	rep.PerServer = r.perServer()
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

// perServer gathers the figures of each server: its watchers and bidders,
// the bids it accepted, and how fast bids reached its watchers, split by
// the server each bid was placed on.
func (r *runner) perServer() []ServerReport {
	out := make([]ServerReport, len(r.clients))
	for i, cl := range r.clients {
		sr := ServerReport{URL: cl.base, WatchersConnected: r.connectedBy[i], BiddersHTTP: r.httpBy[i], BiddersWS: r.wsBy[i],
			Attempts:     r.env.attemptsBy[i].Load(),
			Accepted:     r.env.acceptedBy[i].Load(),
			Rejected:     r.env.rejectedBy[i].Load(),
			ReplyLatency: r.env.replyBy[i].Summary(),
			AckAccepted:  r.env.ackBy[i].Summary(),
			BidToWatcher: r.watchLat.byServer[i].Summary()}
		for _, rec := range r.watchLat.byPair[i] {
			sr.BidToWatcherByOrigin = append(sr.BidToWatcherByOrigin, rec.Summary())
		}
		if i < len(r.memBy) {
			sr.Memory = r.memBy[i]
		}
		out[i] = sr
	}
	return out
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

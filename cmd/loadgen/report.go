package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Report is everything a run measured; printed as text and, with -json, as JSON.
type Report struct {
	Server          string   `json:"server"` // every server, comma-separated, the primary first
	RunID           string   `json:"runId"`
	AuctionIDs      []string `json:"auctionIds"`
	Watchers        int      `json:"watchers"`
	BiddersHTTP     int      `json:"biddersHttp"`
	BiddersWS       int      `json:"biddersWs"`
	DurationSec     float64  `json:"durationSec"`
	RampSec         float64  `json:"rampSec"`
	SetupSec        float64  `json:"setupSec"`
	RampActualSec   float64  `json:"rampActualSec"`
	BidPhaseSec     float64  `json:"bidPhaseSec"`
	DrainSec        float64  `json:"drainSec"` // after the bid phase, until watchers had every bid
	RateLimitedHint bool     `json:"rateLimited"`

	Bids       BidReport                 `json:"bids"`
	AckLatency map[string]LatencySummary `json:"ackLatency"` // http, http_accepted, ws, ws_accepted

	Stream       StreamReport   `json:"stream"`
	BidToWatcher LatencySummary `json:"bidToWatcherLatency"`
	PerServer    []ServerReport `json:"perServer"`
	Storms       []StormReport  `json:"storms,omitempty"` // -storm-at

	Errors   map[string]int64 `json:"errors"`
	Memory   *MemoryReport    `json:"memory,omitempty"`
	Baseline *BaselineReport  `json:"baseline,omitempty"`
	Checks   []CheckResult    `json:"checks"`
	Pass     bool             `json:"pass"`
}

// ServerReport is what one server of the run did: the watchers on it, the
// bids placed on it, and how fast bids reached its watchers, overall and by
// the server the bid was placed on (events placed on another process arrive
// by polling, every AGRI_POLL_INTERVAL).
type ServerReport struct {
	URL                  string           `json:"url"`
	WatchersConnected    int64            `json:"watchersConnected"`
	BiddersHTTP          int64            `json:"biddersHttp"`
	BiddersWS            int64            `json:"biddersWs"`
	Attempts             int64            `json:"attempts"`
	Accepted             int64            `json:"accepted"`
	Rejected             int64            `json:"rejected"`
	ReplyLatency         LatencySummary   `json:"ackLatency"` // all replies: acks and refusals
	AckAccepted          LatencySummary   `json:"ackLatencyAccepted"`
	BidToWatcher         LatencySummary   `json:"bidToWatcherLatency"`
	BidToWatcherByOrigin []LatencySummary `json:"bidToWatcherLatencyByOrigin"` // index: the server the bid was placed on
	Memory               *MemoryReport    `json:"memory,omitempty"`
}

type BidReport struct {
	Attempts       int64            `json:"attempts"`
	Accepted       int64            `json:"accepted"`
	Rejected       int64            `json:"rejected"`
	Errors         int64            `json:"errors"`
	Unresolved     int64            `json:"unresolved"`
	AcceptedPerSec float64          `json:"acceptedPerSec"`
	RejectedPerSec float64          `json:"rejectedPerSec"`
	RejectedByCode map[string]int64 `json:"rejectedByCode"`
}

type StreamReport struct {
	Requested        int              `json:"requested"`
	Connected        int              `json:"connected"`
	DialFailures     int              `json:"dialFailures"`
	Disconnects      int              `json:"disconnects"`
	Messages         int64            `json:"messages"`
	MessagesByType   map[string]int64 `json:"messagesByType"`
	BidDeliveries    int64            `json:"bidDeliveries"`
	DeliveriesPerSec float64          `json:"deliveriesPerSec"`
	// DisconnectSamples describes the first few early disconnects.
	DisconnectSamples []string `json:"disconnectSamples,omitempty"`
	// Reconnects counts watchers coming back with ?since= after a
	// resumable close, by the close that caused it.
	Reconnects          int64            `json:"reconnects"`
	WatchersReconnected int              `json:"watchersReconnected"`
	ReconnectsByKind    map[string]int64 `json:"reconnectsByKind,omitempty"`
	// StormReconnects counts the reconnects after a storm's drop (the
	// storms' own figures are in Report.Storms). ResentDuplicates counts
	// bids at or below a socket's ?since= that arrived anyway; watchers
	// dropped them, so they are in no other count.
	StormReconnects  int64 `json:"stormReconnects,omitempty"`
	ResentDuplicates int64 `json:"resentDuplicates,omitempty"`
}

// streamStats folds the watchers' results into the report and adds their
// failures to the error counter.
func streamStats(ws []*watcher, errs *Counter) StreamReport {
	s := StreamReport{Requested: len(ws), MessagesByType: map[string]int64{}}
	for _, w := range ws {
		if !w.connected {
			s.DialFailures++
			errs.Inc(w.dialKind)
			continue
		}
		s.Connected++
		if w.reconnects > 0 {
			s.WatchersReconnected++
			s.Reconnects += w.reconnects
			if s.ReconnectsByKind == nil {
				s.ReconnectsByKind = map[string]int64{}
			}
			for k, v := range w.reconnectKind {
				s.ReconnectsByKind[k] += v
			}
		}
		s.StormReconnects += w.stormReconnects
		s.ResentDuplicates += w.resent
		if w.disconnected {
			s.Disconnects++
			errs.Inc("watcher_disconnect_" + w.disconnectKind)
			if len(s.DisconnectSamples) < 3 {
				s.DisconnectSamples = append(s.DisconnectSamples, fmt.Sprintf("watcher %d after %d bid(s): %s",
					w.idx, w.disconnectAfter, w.disconnectErr))
			}
		}
		s.Messages += w.messages
		s.BidDeliveries += w.bids
		s.MessagesByType["snapshot"] += w.snapshots
		s.MessagesByType["bid"] += w.bids
		s.MessagesByType["closed"] += w.closedMsgs
		s.MessagesByType["other"] += w.otherMsgs
		errs.Add("watcher_bad_message", w.badJSON)
		errs.Add("watcher_bad_bid_at", w.badAt)
		errs.Add("watcher_negative_latency", w.negLatency)
	}
	return s
}

func rate(n int64, sec float64) float64 {
	if sec <= 0 {
		return 0
	}
	return float64(n) / sec
}

func sortedKeys(m map[string]int64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func fmtCounts(m map[string]int64) string {
	if len(m) == 0 {
		return "none"
	}
	var parts []string
	for _, k := range sortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
	}
	return strings.Join(parts, " ")
}

func fmtLat(s LatencySummary) string {
	if s.Count == 0 {
		return "n=0"
	}
	out := fmt.Sprintf("n=%d p50=%.2fms p90=%.2fms p99=%.2fms max=%.2fms mean=%.2fms",
		s.Count, s.P50Ms, s.P90Ms, s.P99Ms, s.MaxMs, s.MeanMs)
	if int64(s.Sampled) < s.Count {
		out += fmt.Sprintf(" (percentiles from %d samples)", s.Sampled)
	}
	return out
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// printer writes one line of the text report.
type printer func(format string, args ...any)

func (r *Report) printText(w io.Writer) {
	p := printer(func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) })
	p("")
	p("== agrimaker loadgen report (run %s) ==", r.RunID)
	p("server %s  auctions %d  watchers %d  bidders %d (http %d, ws %d)",
		r.Server, len(r.AuctionIDs), r.Watchers, r.BiddersHTTP+r.BiddersWS, r.BiddersHTTP, r.BiddersWS)
	p("setup %.2fs  ramp %.2fs  bid phase %.2fs  delivery drain %.2fs", r.SetupSec, r.RampActualSec, r.BidPhaseSec, r.DrainSec)
	p("")
	r.printBids(p)
	p("")
	r.printStream(p)
	p("")
	r.printStorms(p)
	r.printServers(p)
	p("errors by kind: %s", fmtCounts(r.Errors))
	if r.RateLimitedHint {
		p("NOTE: the server answered 429; start it with AGRI_RATE_LIMIT=0 for load tests")
	}
	r.printMemory(p)
	r.printBaseline(p)
	p("")
	r.printChecks(p)
}

func (r *Report) printBids(p printer) {
	b := r.Bids
	p("bids:        %d attempts; accepted %d (%.1f/s); rejected %d (%.1f/s); errors %d; unknown outcome %d",
		b.Attempts, b.Accepted, b.AcceptedPerSec, b.Rejected, b.RejectedPerSec, b.Errors, b.Unresolved)
	p("rejected by code: %s", fmtCounts(b.RejectedByCode))
	for _, via := range []string{"http", "ws"} {
		p("ack latency %-4s all replies: %s", via, fmtLat(r.AckLatency[via]))
		p("ack latency %-4s accepted:    %s", via, fmtLat(r.AckLatency[via+"_accepted"]))
	}
}

func (r *Report) printStream(p printer) {
	s := r.Stream
	p("watchers:    %d/%d connected, %d dial failures, %d disconnected early",
		s.Connected, s.Requested, s.DialFailures, s.Disconnects)
	p("stream:      %d messages (%s); %d bid deliveries (%.0f/s)",
		s.Messages, fmtCounts(s.MessagesByType), s.BidDeliveries, s.DeliveriesPerSec)
	if s.Reconnects > 0 {
		p("reconnects:  %d watcher(s) came back with ?since= %d time(s) in all (%s)",
			s.WatchersReconnected, s.Reconnects, fmtCounts(s.ReconnectsByKind))
	}
	if s.StormReconnects > 0 || s.ResentDuplicates > 0 {
		p("storm reconnects: %d; bids resent at or below ?since= (dropped as duplicates): %d",
			s.StormReconnects, s.ResentDuplicates)
	}
	for _, d := range s.DisconnectSamples {
		p("  early disconnect: %s", d)
	}
	p("bid→watcher (receive time − bid.at): %s", fmtLat(r.BidToWatcher))
}

// printServers shows each server's share when there are several.
func (r *Report) printServers(p printer) {
	if len(r.PerServer) < 2 {
		return
	}
	for i, s := range r.PerServer {
		p("server [%d] %s: %d watchers, bidders %d http + %d ws; bids: %d attempts, %d accepted (%.1f/s), %d refused",
			i+1, s.URL, s.WatchersConnected, s.BiddersHTTP, s.BiddersWS, s.Attempts, s.Accepted, rate(s.Accepted, r.BidPhaseSec), s.Rejected)
		p("  ack latency, all replies:         %s", fmtLat(s.ReplyLatency))
		p("  ack latency, accepted:            %s", fmtLat(s.AckAccepted))
		p("  bid→watcher, its watchers:        %s", fmtLat(s.BidToWatcher))
		for o, l := range s.BidToWatcherByOrigin {
			p("  bid→watcher, bids placed on [%d]:  %s", o+1, fmtLat(l))
		}
		if s.Memory != nil {
			p("  %s", memLine(s.Memory))
		}
	}
	p("")
}

func (r *Report) printMemory(p printer) {
	if r.Memory != nil {
		p("%s", memLine(r.Memory))
	}
}

// memLine describes one memory report: one process, or the sum of several.
func memLine(m *MemoryReport) string {
	who := fmt.Sprintf("pid %d", m.PID)
	peak := "peak"
	if len(m.PIDs) > 0 {
		who = fmt.Sprintf("sum of pids %s", strings.Trim(fmt.Sprint(m.PIDs), "[]"))
		peak = "peak of the sum"
	}
	if m.Error != "" {
		return fmt.Sprintf("server memory (%s): unavailable: %s", who, m.Error)
	}
	return fmt.Sprintf("server memory (%s): before %.1f MiB; after ramp %.1f MiB (%+.0f B/conn over %d conns); %s %.1f MiB (%+.0f B/conn over %d conns)",
		who, mib(m.BeforeBytes), mib(m.AfterRampBytes), m.BytesPerConnAfterRamp, m.ConnsAfterRamp,
		peak, mib(m.PeakBytes), m.BytesPerConnPeak, m.ConnsAtPeak)
}

func (r *Report) printBaseline(p printer) {
	bl := r.Baseline
	if bl == nil {
		return
	}
	if bl.Error != "" && bl.Inserts == 0 {
		p("mongo baseline: failed: %s", bl.Error)
		return
	}
	p("mongo baseline: %d sequential inserts in %.2fs = %.0f inserts/s (p50 %.2fms, p99 %.2fms)",
		bl.Inserts, bl.Seconds, bl.InsertsPerSec, bl.Latency.P50Ms, bl.Latency.P99Ms)
	p("accepted bids/s ÷ raw inserts/s = %.1f / %.0f = %.3f",
		r.Bids.AcceptedPerSec, bl.InsertsPerSec, bl.AcceptedToRaw)
}

func (r *Report) printChecks(p printer) {
	p("checks:")
	for _, c := range r.Checks {
		p("%-4s %s — %s", c.Status, c.Name, c.Detail)
	}
	verdict := "PASS"
	if !r.Pass {
		verdict = "FAIL"
	}
	p("overall: %s", verdict)
}

func (r *Report) printJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

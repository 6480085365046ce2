package main

import "fmt"

// printStorms shows each reconnect storm; nothing without -storm-at, so the
// report of a run without storms is unchanged.
func (r *Report) printStorms(p printer) {
	for _, s := range r.Storms {
		p("storm %d at %.2fs of the bid phase (%s, %.0f ms after plan): %d socket(s) dropped in %.2f ms, %d of them behind their auction's seq",
			s.N, s.AtSec, s.Drop, s.LateMs, s.Dropped, s.DropSpreadMs, s.BehindAtDrop)
		p("  reconnected %d, failed %d, still trying at the limit %d; %d needed a retry; failed dials: %s",
			s.Reconnected, s.Failed, s.NotReconnected, s.Retried, fmtCounts(s.DialErrors))
		p("  storm → reconnected, per socket: %s", fmtLat(s.Reconnect))
		p("  storm → all reconnected: %s", fmtAll(s.AllReconnected, s.Reconnect))
		p("  storm → caught up (snapshot, and every bid up to the auction's seq at the storm): %s", fmtLat(s.CatchUp))
		p("  storm → all caught up: %s; not caught up at the limit %d, lost after reconnecting %d",
			fmtAll(s.AllCaughtUp, s.CatchUp), s.NotCaughtUp, s.Lost)
		p("  bids resent at or below ?since= (dropped as duplicates): %d", s.ResentDuplicates)
		if m := s.Memory; m != nil {
			if m.Error != "" {
				p("  server memory: unavailable: %s", m.Error)
			} else {
				p("  server memory: before %.1f MiB; peak during %.1f MiB (%+.1f MiB); after %.1f MiB (%+.1f MiB)",
					mib(m.BeforeBytes), mib(m.PeakBytes), mib(m.PeakBytes-m.BeforeBytes), mib(m.AfterBytes), mib(m.AfterBytes-m.BeforeBytes))
			}
		}
		for _, f := range s.FailureSamples {
			p("  failure: %s", f)
		}
	}
	if len(r.Storms) > 0 {
		p("")
	}
}

// fmtAll is the time until the last socket, or why there is none.
func fmtAll(all bool, l LatencySummary) string {
	if all {
		return fmt.Sprintf("%.2f ms", l.MaxMs)
	}
	return fmt.Sprintf("not all (the last of %d after %.2f ms)", l.Count, l.MaxMs)
}

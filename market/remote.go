package market

// dueForCatchUp says whether this tick must read the log: a write left it
// stale, or the auction is open and other processes may append to it.
//
// With peers, every open auction looks for the next event of its log once
// per poll interval: one read by _id, served by an index on both stores
// (eventsAfter), so that costs a point read per open auction per interval
// per process. (It replaced one shared query per interval over the events'
// times, which the embedded store could only answer by decoding every
// stored event: 0.65 s at 20,000 events.)
func (r *runner) dueForCatchUp() bool {
	if r.stale {
		return true
	}
	return !r.st.closed && !r.st.cancelled && r.svc.peers.shared()
}

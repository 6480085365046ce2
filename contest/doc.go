// Package contest runs the provincial agri-maker contest (全省农业创客大赛):
// editions with tracks and eligibility rules, team registration with
// attachments, eligibility review and veto, a judge pool with conflicts of
// interest, judge assignment, score sheets, aggregation, pairwise finals,
// advancement, awards, publication, exports and an append-only audit log,
// all under /api/v1/contest.
//
// Two layers live here. The algorithmic core is pure and deterministic:
// rubrics and score sheets (rubric.go), conflicts of interest
// (conflict.go), judge assignment by min-cost max-flow (assign.go,
// mcmf.go), score aggregation by weighted mean, trimmed mean or per-judge
// z-scores (aggregate.go), Crowd-BT pairwise ranking (crowdbt.go), and
// advancement by quota and award tiers (advance.go). The same input gives
// the same output, byte for byte, so a re-run after a change moves only
// what the change forces and organisers can audit any result by
// recomputing it.
//
// The service (service.go and the files named for what they store, with
// http_*.go for the routes) keeps the data and calls the core. Its rule
// for correctness on the embedded FerretDB, which has neither transactions
// nor atomic conditional updates: every one-time state change (submit,
// withdraw, veto, score submission, reopen, vote, undo, advancement,
// awards, publication) is a single insert of an audit event with a
// deterministic id, so a second attempt fails on the unique _id and
// answers 409; current state is folded from the edition's log
// (ledger.go), read in one query. Rankings are never stored: they are
// recomputed from the log, and for pairwise rounds the Crowd-BT model is
// replayed from the votes not undone.
package contest

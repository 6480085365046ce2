// Package contest is the algorithmic core of the agri-maker contest
// (农业创客大赛): rubrics and score sheets, conflicts of interest, judge
// assignment by min-cost max-flow, score aggregation (weighted mean, trimmed
// mean, per-judge z-scores), pairwise judging with Crowd-BT, advancement by
// quota and award tiers.
//
// Everything here is pure and deterministic: the same input gives the same
// output, byte for byte, so that a re-run after a change moves only what the
// change forces and organisers can audit any result by recomputing it. The
// package holds no storage and no HTTP; callers load rounds, call these
// functions and persist what they return (for pairwise judging, the vote log
// is the source of truth and the model is rebuilt from it).
package contest

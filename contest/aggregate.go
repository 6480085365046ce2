package contest

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Method is how a round turns judges' totals into one score per entry. It
// is chosen per round.
type Method string

const (
	// MethodWeightedMean: the judge-weighted mean of the judges' totals.
	MethodWeightedMean Method = "weighted_mean"
	// MethodTrimmedMean: as the weighted mean, but with at least
	// TrimMinJudges judges the highest and the lowest total are dropped
	// first, so one outlier judge cannot move an entry much.
	MethodTrimmedMean Method = "trimmed_mean"
	// MethodZScore: each judge's totals are standardised against that
	// judge's own mean and standard deviation over the round, which
	// cancels harsh and lenient judges, then rescaled to the rubric's
	// total range (mid + z×range/6, clamped) and averaged.
	MethodZScore Method = "zscore"
)

// TrimMinJudges is the number of judges from which the trimmed mean drops
// the highest and the lowest total: below it too few totals would be left.
const TrimMinJudges = 5

// TieBreakRaw names the raw total (the plain judge-weighted mean of all
// totals, before trimming or normalising) in a tie-break order; any other
// name is a criterion key, compared on its judge-weighted mean value.
const TieBreakRaw = "raw"

// DefaultDisagreeRangeFraction flags an entry whose highest and lowest
// totals are more than 30% of the rubric's total range apart.
const DefaultDisagreeRangeFraction = 0.30

// ParseMethod accepts a method's name as stored in a round's settings.
func ParseMethod(s string) (Method, error) {
	switch m := Method(strings.TrimSpace(s)); m {
	case MethodWeightedMean, MethodTrimmedMean, MethodZScore:
		return m, nil
	}
	return "", fmt.Errorf("unknown aggregation method %q (want %s, %s or %s)", s, MethodWeightedMean, MethodTrimmedMean, MethodZScore)
}

// Score is one judge's submitted sheet for one entry.
type Score struct {
	EntryID string     `json:"entryId"`
	JudgeID string     `json:"judgeId"`
	Sheet   ScoreSheet `json:"sheet"`
}

// AggregateConfig is a round's ranking settings.
type AggregateConfig struct {
	Method Method `json:"method"`
	// JudgeWeights weights judges in every mean (a chief judge may count
	// double); judges not listed weigh 1. Weights must be > 0.
	JudgeWeights map[string]float64 `json:"judgeWeights,omitempty"`
	// TieBreak lists, after the method's score, what decides between equal
	// scores, higher first: TieBreakRaw or criterion keys. Entries still
	// equal are ordered by ID and marked Tied.
	TieBreak []string `json:"tieBreak,omitempty"`
	// DisagreeStdDev flags entries whose totals' standard deviation exceeds
	// it; 0 turns this test off.
	DisagreeStdDev float64 `json:"disagreeStdDev,omitempty"`
	// DisagreeRangeFraction flags entries whose max−min total exceeds this
	// fraction of the rubric's total range; 0 means the default (0.30) and
	// a negative value turns this test off.
	DisagreeRangeFraction float64 `json:"disagreeRangeFraction,omitempty"`
}

// JudgeTotal is one judge's contribution to an entry's result.
type JudgeTotal struct {
	JudgeID string  `json:"judgeId"`
	Weight  float64 `json:"weight"`
	Total   float64 `json:"total"`
	// Z and Scaled are set by the z-score method: the judge's standardised
	// total and its rescaling to the rubric range.
	Z      float64 `json:"z,omitempty"`
	Scaled float64 `json:"scaled,omitempty"`
	// Dropped is set on the totals the trimmed mean left out.
	Dropped bool `json:"dropped,omitempty"`
}

// EntryResult is an entry's place in a round's ranking, with what
// organisers need to check it.
type EntryResult struct {
	EntryID string `json:"entryId"`
	Rank    int    `json:"rank"`
	// Score is the method's score, the first ranking key.
	Score float64 `json:"score"`
	// Raw is the judge-weighted mean of all totals.
	Raw float64 `json:"raw"`
	// Criteria holds the judge-weighted mean value of each criterion.
	Criteria map[string]float64 `json:"criteria"`
	Judges   []JudgeTotal       `json:"judges"`
	// StdDev (population) and Spread (max − min) are over the raw totals.
	StdDev             float64 `json:"stdDev"`
	Spread             float64 `json:"spread"`
	Disagreement       bool    `json:"disagreement,omitempty"`
	DisagreementReason string  `json:"disagreementReason,omitempty"`
	// Keys are the values the ranking compares, higher first: Score, then
	// each tie-break, rounded to 1e-9 so that float noise in sums cannot
	// decide a place.
	Keys []float64 `json:"keys"`
	// Tied is set when the entry equals the one ranked just above it on
	// every key: only the entry IDs ordered them, and organisers decide.
	Tied bool `json:"tied,omitempty"`
}

// Aggregate ranks a round's entries from its score sheets. Only entries
// with at least one sheet appear. Every sheet must be complete and in
// range; one judge may score an entry once.
func Aggregate(r Rubric, scores []Score, cfg AggregateConfig) ([]EntryResult, error) {
	if err := r.Validate(); err != nil {
		return nil, fmt.Errorf("rubric: %w", err)
	}
	if _, err := ParseMethod(string(cfg.Method)); err != nil {
		return nil, err
	}
	for _, k := range cfg.TieBreak {
		if _, ok := r.Criterion(k); !ok && k != TieBreakRaw {
			return nil, fmt.Errorf("tie-break %q is neither %q nor a criterion key", k, TieBreakRaw)
		}
	}
	var errs []error
	for id, w := range cfg.JudgeWeights {
		if !(w > 0) || math.IsInf(w, 0) {
			errs = append(errs, fmt.Errorf("judge %s: weight must be a finite number > 0, not %v", id, w))
		}
	}
	weight := func(judge string) float64 {
		if w, ok := cfg.JudgeWeights[judge]; ok {
			return w
		}
		return 1
	}

	// Group totals by entry and by judge, in a fixed order.
	sorted := slices.Clone(scores)
	slices.SortFunc(sorted, func(a, b Score) int {
		return cmp.Or(strings.Compare(a.EntryID, b.EntryID), strings.Compare(a.JudgeID, b.JudgeID))
	})
	totals := make([]float64, len(sorted))
	for i, s := range sorted {
		if s.EntryID == "" || s.JudgeID == "" {
			errs = append(errs, errors.New("a score has an empty entry or judge ID"))
			continue
		}
		if i > 0 && s.EntryID == sorted[i-1].EntryID && s.JudgeID == sorted[i-1].JudgeID {
			errs = append(errs, fmt.Errorf("judge %s scored entry %s twice", s.JudgeID, s.EntryID))
			continue
		}
		if err := r.CheckSheet(s.Sheet); err != nil {
			errs = append(errs, fmt.Errorf("judge %s, entry %s: %w", s.JudgeID, s.EntryID, err))
			continue
		}
		totals[i] = r.total(s.Sheet)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}

	lo, hi := r.TotalRange()
	var z map[string]zStats
	if cfg.Method == MethodZScore {
		z = judgeStats(sorted, totals)
	}
	frac := cfg.DisagreeRangeFraction
	if frac == 0 {
		frac = DefaultDisagreeRangeFraction
	}

	var out []EntryResult
	for start := 0; start < len(sorted); {
		end := start + 1
		for end < len(sorted) && sorted[end].EntryID == sorted[start].EntryID {
			end++
		}
		res := EntryResult{EntryID: sorted[start].EntryID, Criteria: make(map[string]float64, len(r.Criteria))}
		var sumW float64
		for i := start; i < end; i++ {
			w := weight(sorted[i].JudgeID)
			res.Judges = append(res.Judges, JudgeTotal{JudgeID: sorted[i].JudgeID, Weight: w, Total: totals[i]})
			sumW += w
		}
		var raw float64
		for _, jt := range res.Judges {
			raw += jt.Weight * jt.Total
		}
		res.Raw = raw / sumW
		for _, c := range r.Criteria {
			var v float64
			for i := start; i < end; i++ {
				v += weight(sorted[i].JudgeID) * sorted[i].Sheet[c.Key]
			}
			res.Criteria[c.Key] = v / sumW
		}
		res.StdDev, res.Spread = spreadOf(res.Judges)

		switch cfg.Method {
		case MethodWeightedMean:
			res.Score = res.Raw
		case MethodTrimmedMean:
			res.Score = trimmedMean(res.Judges)
		case MethodZScore:
			var s float64
			for i := range res.Judges {
				jt := &res.Judges[i]
				st := z[jt.JudgeID]
				if st.sd > 0 {
					jt.Z = (jt.Total - st.mean) / st.sd
				}
				jt.Scaled = min(hi, max(lo, (lo+hi)/2+jt.Z*(hi-lo)/6))
				s += jt.Weight * jt.Scaled
			}
			res.Score = s / sumW
		}

		if len(res.Judges) >= 2 {
			var why []string
			if cfg.DisagreeStdDev > 0 && res.StdDev > cfg.DisagreeStdDev {
				why = append(why, fmt.Sprintf("standard deviation %.2f is above %.2f", res.StdDev, cfg.DisagreeStdDev))
			}
			if frac > 0 && res.Spread > frac*(hi-lo) {
				why = append(why, fmt.Sprintf("totals %.2f apart, more than %.0f%% of the %.2f range", res.Spread, frac*100, hi-lo))
			}
			if len(why) > 0 {
				res.Disagreement = true
				res.DisagreementReason = strings.Join(why, "; ")
			}
		}

		res.Keys = append(res.Keys, roundKey(res.Score))
		for _, k := range cfg.TieBreak {
			v := res.Raw
			if k != TieBreakRaw {
				v = res.Criteria[k]
			}
			res.Keys = append(res.Keys, roundKey(v))
		}
		out = append(out, res)
		start = end
	}

	slices.SortStableFunc(out, func(a, b EntryResult) int {
		return cmp.Or(compareKeys(a.Keys, b.Keys), strings.Compare(a.EntryID, b.EntryID))
	})
	for i := range out {
		out[i].Rank = i + 1
		out[i].Tied = i > 0 && compareKeys(out[i].Keys, out[i-1].Keys) == 0
	}
	return out, nil
}

// compareKeys orders higher keys first.
func compareKeys(a, b []float64) int {
	for i := range min(len(a), len(b)) {
		if c := cmp.Compare(b[i], a[i]); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}

// roundKey rounds to 1e-9: means of two-decimal scores differ from their
// exact values by ~1e-14, and equal scores must compare equal.
func roundKey(v float64) float64 { return math.Round(v*1e9) / 1e9 }

// trimmedMean drops the highest and lowest totals (marking them) when
// there are at least TrimMinJudges, then takes the judge-weighted mean.
// Among equal totals the judge with the smaller ID is the one dropped from
// the low end and the larger ID from the high end: which one goes changes
// nothing in the score, only what the report shows.
func trimmedMean(js []JudgeTotal) float64 {
	if len(js) >= TrimMinJudges {
		order := make([]int, len(js))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int {
			return cmp.Or(cmp.Compare(js[a].Total, js[b].Total), strings.Compare(js[a].JudgeID, js[b].JudgeID))
		})
		js[order[0]].Dropped = true
		js[order[len(order)-1]].Dropped = true
	}
	var s, w float64
	for _, jt := range js {
		if !jt.Dropped {
			s += jt.Weight * jt.Total
			w += jt.Weight
		}
	}
	return s / w
}

// spreadOf is the population standard deviation and the max − min of the
// raw totals: the disagreement among judges, unweighted on purpose (a
// chief judge's weight does not make others agree with them).
func spreadOf(js []JudgeTotal) (sd, spread float64) {
	if len(js) == 0 {
		return 0, 0
	}
	var sum float64
	lo, hi := js[0].Total, js[0].Total
	for _, jt := range js {
		sum += jt.Total
		lo, hi = min(lo, jt.Total), max(hi, jt.Total)
	}
	mean := sum / float64(len(js))
	var ss float64
	for _, jt := range js {
		ss += (jt.Total - mean) * (jt.Total - mean)
	}
	return math.Sqrt(ss / float64(len(js))), hi - lo
}

type zStats struct{ mean, sd float64 }

// judgeStats is each judge's mean and population standard deviation over
// all the entries they scored in the round. A judge who gave every entry
// the same total (or scored one entry) has sd 0: their z is 0, so they
// place each entry at the middle of the range rather than nowhere.
func judgeStats(sorted []Score, totals []float64) map[string]zStats {
	type acc struct {
		n       int
		sum, ss float64
	}
	accs := make(map[string]*acc)
	var order []string
	for i, s := range sorted {
		a := accs[s.JudgeID]
		if a == nil {
			a = &acc{}
			accs[s.JudgeID] = a
			order = append(order, s.JudgeID)
		}
		a.n++
		a.sum += totals[i]
	}
	for i, s := range sorted {
		a := accs[s.JudgeID]
		d := totals[i] - a.sum/float64(a.n)
		a.ss += d * d
	}
	out := make(map[string]zStats, len(accs))
	for _, id := range order {
		a := accs[id]
		mean := a.sum / float64(a.n)
		sd := math.Sqrt(a.ss / float64(a.n))
		// Totals that differ only by float noise are equal.
		if sd <= 1e-9*max(1, math.Abs(mean)) {
			sd = 0
		}
		out[id] = zStats{mean, sd}
	}
	return out
}

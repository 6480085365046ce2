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
	if err := checkAggregateConfig(r, cfg); err != nil {
		return nil, err
	}
	// Bad weights and bad sheets are reported together, so one fix-up
	// pass can deal with them all.
	errs := checkJudgeWeights(cfg.JudgeWeights)
	sorted, totals, sheetErrs := sortedTotals(r, scores)
	if err := errors.Join(append(errs, sheetErrs...)...); err != nil {
		return nil, err
	}
	a := newAggregation(r, cfg, sorted, totals)
	var out []EntryResult
	for start := 0; start < len(sorted); {
		end := start + 1
		for end < len(sorted) && sorted[end].EntryID == sorted[start].EntryID {
			end++
		}
		out = append(out, a.entryResult(start, end))
		start = end
	}
	rankResults(out)
	return out, nil
}

// checkAggregateConfig rejects a rubric, method or tie-break that makes
// the whole ranking meaningless; these stop the run at once.
func checkAggregateConfig(r Rubric, cfg AggregateConfig) error {
	if err := r.Validate(); err != nil {
		return fmt.Errorf("rubric: %w", err)
	}
	if _, err := ParseMethod(string(cfg.Method)); err != nil {
		return err
	}
	for _, k := range cfg.TieBreak {
		if _, ok := r.Criterion(k); !ok && k != TieBreakRaw {
			return fmt.Errorf("tie-break %q is neither %q nor a criterion key", k, TieBreakRaw)
		}
	}
	return nil
}

// checkJudgeWeights rejects weights that would zero, invert or blow up a
// judge's part in every mean.
func checkJudgeWeights(weights map[string]float64) []error {
	var errs []error
	for id, w := range weights {
		if !(w > 0) || math.IsInf(w, 0) {
			errs = append(errs, fmt.Errorf("judge %s: weight must be a finite number > 0, not %v", id, w))
		}
	}
	return errs
}

// sortedTotals sorts the sheets by entry, then judge, so that each entry's
// sheets are adjacent and every sum runs in a fixed order, and computes
// each sheet's total. It returns one error per bad sheet.
func sortedTotals(r Rubric, scores []Score) ([]Score, []float64, []error) {
	sorted := slices.Clone(scores)
	slices.SortFunc(sorted, func(a, b Score) int {
		return cmp.Or(strings.Compare(a.EntryID, b.EntryID), strings.Compare(a.JudgeID, b.JudgeID))
	})
	totals := make([]float64, len(sorted))
	var errs []error
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
	return sorted, totals, errs
}

// aggregation holds what scoring each entry needs from the whole round:
// the sorted sheets and their totals, the rubric's range and, for the
// z-score method, each judge's statistics.
type aggregation struct {
	r      Rubric
	cfg    AggregateConfig
	sorted []Score
	totals []float64
	lo, hi float64
	z      map[string]zStats
	frac   float64 // disagreement range fraction, default applied
}

func newAggregation(r Rubric, cfg AggregateConfig, sorted []Score, totals []float64) *aggregation {
	a := &aggregation{r: r, cfg: cfg, sorted: sorted, totals: totals, frac: cfg.DisagreeRangeFraction}
	a.lo, a.hi = r.TotalRange()
	if cfg.Method == MethodZScore {
		a.z = judgeStats(sorted, totals)
	}
	if a.frac == 0 {
		a.frac = DefaultDisagreeRangeFraction
	}
	return a
}

// weight is a judge's weight in every mean; judges not listed weigh 1.
func (a *aggregation) weight(judge string) float64 {
	if w, ok := a.cfg.JudgeWeights[judge]; ok {
		return w
	}
	return 1
}

// entryResult scores the entry whose sheets are sorted[start:end].
func (a *aggregation) entryResult(start, end int) EntryResult {
	res := EntryResult{EntryID: a.sorted[start].EntryID, Criteria: make(map[string]float64, len(a.r.Criteria))}
	var sumW float64
	for i := start; i < end; i++ {
		w := a.weight(a.sorted[i].JudgeID)
		res.Judges = append(res.Judges, JudgeTotal{JudgeID: a.sorted[i].JudgeID, Weight: w, Total: a.totals[i]})
		sumW += w
	}
	var raw float64
	for _, jt := range res.Judges {
		raw += jt.Weight * jt.Total
	}
	res.Raw = raw / sumW
	for _, c := range a.r.Criteria {
		var v float64
		for i := start; i < end; i++ {
			v += a.weight(a.sorted[i].JudgeID) * a.sorted[i].Sheet[c.Key]
		}
		res.Criteria[c.Key] = v / sumW
	}
	res.StdDev, res.Spread = spreadOf(res.Judges)
	res.Score = a.methodScore(res.Judges, res.Raw, sumW)
	a.flagDisagreement(&res)
	res.Keys = a.rankingKeys(&res)
	return res
}

// methodScore is the round method's score of one entry. The z-score
// method also fills in each judge's Z and Scaled, for the report.
func (a *aggregation) methodScore(js []JudgeTotal, raw, sumW float64) float64 {
	switch a.cfg.Method {
	case MethodWeightedMean:
		return raw
	case MethodTrimmedMean:
		return trimmedMean(js)
	case MethodZScore:
		var s float64
		for i := range js {
			jt := &js[i]
			st := a.z[jt.JudgeID]
			if st.sd > 0 {
				jt.Z = (jt.Total - st.mean) / st.sd
			}
			jt.Scaled = min(a.hi, max(a.lo, (a.lo+a.hi)/2+jt.Z*(a.hi-a.lo)/6))
			s += jt.Weight * jt.Scaled
		}
		return s / sumW
	}
	return 0
}

// flagDisagreement marks an entry whose judges disagree by more than the
// round allows, so organisers can look at it before results go out. One
// judge cannot disagree with anyone.
func (a *aggregation) flagDisagreement(res *EntryResult) {
	if len(res.Judges) < 2 {
		return
	}
	var why []string
	if a.cfg.DisagreeStdDev > 0 && res.StdDev > a.cfg.DisagreeStdDev {
		why = append(why, fmt.Sprintf("standard deviation %.2f is above %.2f", res.StdDev, a.cfg.DisagreeStdDev))
	}
	if a.frac > 0 && res.Spread > a.frac*(a.hi-a.lo) {
		why = append(why, fmt.Sprintf("totals %.2f apart, more than %.0f%% of the %.2f range", res.Spread, a.frac*100, a.hi-a.lo))
	}
	if len(why) > 0 {
		res.Disagreement = true
		res.DisagreementReason = strings.Join(why, "; ")
	}
}

// rankingKeys are the values the ranking compares: the score, then each
// tie-break, rounded so float noise cannot decide a place.
func (a *aggregation) rankingKeys(res *EntryResult) []float64 {
	keys := []float64{roundKey(res.Score)}
	for _, k := range a.cfg.TieBreak {
		v := res.Raw
		if k != TieBreakRaw {
			v = res.Criteria[k]
		}
		keys = append(keys, roundKey(v))
	}
	return keys
}

// rankResults orders entries by their keys, entry ID last so the order is
// total, and marks as tied those only the ID separated from the one above.
func rankResults(out []EntryResult) {
	slices.SortStableFunc(out, func(a, b EntryResult) int {
		return cmp.Or(compareKeys(a.Keys, b.Keys), strings.Compare(a.EntryID, b.EntryID))
	})
	for i := range out {
		out[i].Rank = i + 1
		out[i].Tied = i > 0 && compareKeys(out[i].Keys, out[i-1].Keys) == 0
	}
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

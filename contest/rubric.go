package contest

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
)

// Criterion is one line of a rubric: judges give it a value in [Min, Max],
// and it counts Weight times in the total. Points-style rubrics (创新性 30分)
// use Weight 1 and Max 30; percentage-style ones use Max 100 and weights
// that sum to 1. Both are just weighted sums, so one model serves both.
type Criterion struct {
	Key         string  `json:"key"`
	Name        string  `json:"name"`
	Weight      float64 `json:"weight"`
	Min         float64 `json:"min"`
	Max         float64 `json:"max"`
	Description string  `json:"description,omitempty"`
}

// Rubric is the ordered list of criteria of a round. The order is the order
// shown to judges; totals do not depend on it.
type Rubric struct {
	Criteria []Criterion `json:"criteria"`
}

// ScoreSheet is one judge's values for one entry, by criterion key.
type ScoreSheet map[string]float64

// Validate checks what the arithmetic relies on: at least one criterion,
// unique non-empty keys, finite positive weights and finite Min < Max.
// A zero or negative weight would silently drop or invert a criterion, and
// Min == Max would make the z-score rescaling divide by a zero range.
func (r Rubric) Validate() error {
	if len(r.Criteria) == 0 {
		return errors.New("rubric has no criteria")
	}
	seen := make(map[string]bool, len(r.Criteria))
	var errs []error
	for i, c := range r.Criteria {
		key := strings.TrimSpace(c.Key)
		switch {
		case key == "":
			errs = append(errs, fmt.Errorf("criterion %d has no key", i+1))
		case key != c.Key:
			errs = append(errs, fmt.Errorf("criterion key %q has surrounding spaces", c.Key))
		case key == TieBreakRaw:
			errs = append(errs, fmt.Errorf("criterion key %q is reserved for tie-breaks on the raw total", c.Key))
		case seen[key]:
			errs = append(errs, fmt.Errorf("criterion key %q is used twice", c.Key))
		}
		seen[key] = true
		if !(c.Weight > 0) || math.IsInf(c.Weight, 0) {
			errs = append(errs, fmt.Errorf("criterion %q: weight must be a finite number > 0, not %v", c.Key, c.Weight))
		}
		if math.IsNaN(c.Min) || math.IsNaN(c.Max) || math.IsInf(c.Min, 0) || math.IsInf(c.Max, 0) || !(c.Min < c.Max) {
			errs = append(errs, fmt.Errorf("criterion %q: need finite min < max, not [%v, %v]", c.Key, c.Min, c.Max))
		}
	}
	return errors.Join(errs...)
}

// Criterion returns the criterion with the given key.
func (r Rubric) Criterion(key string) (Criterion, bool) {
	for _, c := range r.Criteria {
		if c.Key == key {
			return c, true
		}
	}
	return Criterion{}, false
}

// CheckSheet reports every problem with a sheet at once (missing, unknown,
// non-finite or out-of-range values), so a judge's form can show them all.
// A sheet must be complete: a missing value is not silently a zero, since
// that would rank an unfinished review as a harsh one.
func (r Rubric) CheckSheet(s ScoreSheet) error {
	var errs []error
	for _, c := range r.Criteria {
		v, ok := s[c.Key]
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("no value for %q", c.Key))
		case math.IsNaN(v) || math.IsInf(v, 0):
			errs = append(errs, fmt.Errorf("%q: %v is not a number", c.Key, v))
		case v < c.Min || v > c.Max:
			errs = append(errs, fmt.Errorf("%q: %v is outside [%v, %v]", c.Key, v, c.Min, c.Max))
		}
	}
	var unknown []string
	for k := range s {
		if _, ok := r.Criterion(k); !ok {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		errs = append(errs, fmt.Errorf("%q is not a criterion of this rubric", k))
	}
	return errors.Join(errs...)
}

// Total is the weighted sum Σ weight×value of a complete, in-range sheet.
// Criteria are summed in rubric order so that the float result does not
// depend on map iteration order (ties are compared on these totals).
func (r Rubric) Total(s ScoreSheet) (float64, error) {
	if err := r.CheckSheet(s); err != nil {
		return 0, err
	}
	return r.total(s), nil
}

func (r Rubric) total(s ScoreSheet) float64 {
	t := 0.0
	for _, c := range r.Criteria {
		t += c.Weight * s[c.Key]
	}
	return t
}

// TotalRange is the lowest and highest total a sheet can reach. Spread
// flags and the z-score rescaling are expressed against this range.
func (r Rubric) TotalRange() (lo, hi float64) {
	for _, c := range r.Criteria {
		lo += c.Weight * c.Min
		hi += c.Weight * c.Max
	}
	return lo, hi
}

package contest

import (
	"math"
	"strings"
	"testing"
)

// testRubric: three criteria on 0–100 weighted 0.4/0.3/0.3, so totals run
// 0–100 and a sheet {v, v, v} totals v.
func testRubric() Rubric {
	return Rubric{Criteria: []Criterion{
		{Key: "inno", Name: "创新性", Weight: 0.4, Min: 0, Max: 100},
		{Key: "feas", Name: "可行性", Weight: 0.3, Min: 0, Max: 100},
		{Key: "bene", Name: "经济社会效益", Weight: 0.3, Min: 0, Max: 100},
	}}
}

func TestRubricTotal(t *testing.T) {
	r := testRubric()
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	// 0.4×90 + 0.3×80 + 0.3×70 = 36 + 24 + 21 = 81
	got, err := r.Total(ScoreSheet{"inno": 90, "feas": 80, "bene": 70})
	if err != nil || math.Abs(got-81) > 1e-9 {
		t.Fatalf("total %v, %v; want 81", got, err)
	}
	// Points-style: 创新性 30分 + 可行性 70分, weight 1 each.
	p := Rubric{Criteria: []Criterion{{Key: "a", Weight: 1, Min: 0, Max: 30}, {Key: "b", Weight: 1, Min: 0, Max: 70}}}
	if lo, hi := p.TotalRange(); lo != 0 || hi != 100 {
		t.Fatalf("range [%v, %v], want [0, 100]", lo, hi)
	}
	if lo, hi := r.TotalRange(); math.Abs(lo) > 1e-9 || math.Abs(hi-100) > 1e-9 {
		t.Fatalf("range [%v, %v], want [0, 100]", lo, hi)
	}
}

func TestRubricRejects(t *testing.T) {
	bad := Rubric{Criteria: []Criterion{
		{Key: "a", Weight: 0, Min: 0, Max: 10},
		{Key: "a", Weight: 1, Min: 5, Max: 5},
		{Key: "", Weight: 1, Min: 0, Max: 1},
		{Key: "raw", Weight: math.Inf(1), Min: 0, Max: 1},
	}}
	err := bad.Validate()
	for _, want := range []string{"weight must be", "used twice", "min < max", "no key", "reserved"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want an error containing %q, got %v", want, err)
		}
	}
	if (Rubric{}).Validate() == nil {
		t.Error("empty rubric accepted")
	}
	err = testRubric().CheckSheet(ScoreSheet{"inno": 101, "feas": math.NaN(), "zzz": 1})
	for _, want := range []string{`"inno": 101 is outside`, `"feas": NaN`, `no value for "bene"`, `"zzz" is not a criterion`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want an error containing %q, got %v", want, err)
		}
	}
}

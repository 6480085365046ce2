package contest

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func flat(entry, judge string, v float64) Score {
	return Score{EntryID: entry, JudgeID: judge, Sheet: ScoreSheet{"inno": v, "feas": v, "bene": v}}
}

func sheet(entry, judge string, inno, feas, bene float64) Score {
	return Score{EntryID: entry, JudgeID: judge, Sheet: ScoreSheet{"inno": inno, "feas": feas, "bene": bene}}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func byID(rs []EntryResult) map[string]EntryResult {
	m := map[string]EntryResult{}
	for _, r := range rs {
		m[r.EntryID] = r
	}
	return m
}

func order(rs []EntryResult) []string {
	var ids []string
	for _, r := range rs {
		ids = append(ids, r.EntryID)
	}
	return ids
}

// Totals (0.4 inno + 0.3 feas + 0.3 bene):
//
//	E1: J1 {90,80,70} = 81, J2 {70,60,50} = 61, J3 {80,80,80} = 80
//	E2: J1 {60,60,60} = 60, J2 {80,70,60} = 71, J3 {100,100,70} = 91
//
// Means: E1 222/3 = 74, E2 222/3 = 74, a tie. Raw totals tie too, and so
// do the inno means (80 and 80). feas means: E1 220/3 = 73.33, E2 230/3 =
// 76.67, so [raw, inno, feas] puts E2 first; bene means: E1 200/3 =
// 66.67, E2 190/3 = 63.33, so [raw, inno, bene] puts E1 first.
func TestWeightedMeanAndTieBreaks(t *testing.T) {
	scores := []Score{
		sheet("E1", "J1", 90, 80, 70), sheet("E1", "J2", 70, 60, 50), sheet("E1", "J3", 80, 80, 80),
		sheet("E2", "J1", 60, 60, 60), sheet("E2", "J2", 80, 70, 60), sheet("E2", "J3", 100, 100, 70),
	}
	res, err := Aggregate(testRubric(), scores, AggregateConfig{Method: MethodWeightedMean, TieBreak: []string{"raw", "inno", "feas"}})
	if err != nil {
		t.Fatal(err)
	}
	m := byID(res)
	if !near(m["E1"].Score, 74) || !near(m["E2"].Score, 74) || !near(m["E1"].Raw, 74) {
		t.Fatalf("scores %v %v", m["E1"].Score, m["E2"].Score)
	}
	if !near(m["E2"].Criteria["feas"], 230.0/3) || !near(m["E1"].Criteria["inno"], 80) {
		t.Fatalf("criteria %v %v", m["E1"].Criteria, m["E2"].Criteria)
	}
	if got := order(res); !slices.Equal(got, []string{"E2", "E1"}) || res[1].Tied || res[0].Rank != 1 {
		t.Fatalf("order %v (tied %v)", got, res[1].Tied)
	}
	res, _ = Aggregate(testRubric(), scores, AggregateConfig{Method: MethodWeightedMean, TieBreak: []string{"raw", "inno", "bene"}})
	if got := order(res); !slices.Equal(got, []string{"E1", "E2"}) {
		t.Fatalf("order %v", got)
	}
	// Without tie-breaks the entries stay tied: ordered by ID, marked.
	res, _ = Aggregate(testRubric(), scores, AggregateConfig{Method: MethodWeightedMean})
	if got := order(res); !slices.Equal(got, []string{"E1", "E2"}) || !res[1].Tied {
		t.Fatalf("order %v, tied %v", got, res[1].Tied)
	}
	// A chief judge J3 weighing 2: E1 = (81 + 61 + 2×80)/4 = 302/4 = 75.5,
	// E2 = (60 + 71 + 2×91)/4 = 313/4 = 78.25.
	res, _ = Aggregate(testRubric(), scores, AggregateConfig{Method: MethodWeightedMean, JudgeWeights: map[string]float64{"J3": 2}})
	m = byID(res)
	if !near(m["E1"].Score, 75.5) || !near(m["E2"].Score, 78.25) || order(res)[0] != "E2" {
		t.Fatalf("weighted: E1 %v, E2 %v", m["E1"].Score, m["E2"].Score)
	}
}

// E3 has five judges with totals 60, 70, 72, 74, 85: the trimmed mean
// drops 60 and 85, leaving (70+72+74)/3 = 72; the plain mean is 361/5 =
// 72.2. Population sd: deviations −12.2, −2.2, −0.2, 1.8, 12.8, squares
// sum 320.8, /5 = 64.16, sd = 8.0100; spread 25.
//
// E4 has four judges, 60, 90, 90, 100: too few to trim, mean 85. sd:
// deviations −25, 5, 5, 15, squares 900, /4 = 225, sd 15; spread 40 > 30%
// of the 0–100 range, so it is flagged.
//
// E5: 70, 70, 70, 80, 80 → one 70 and one 80 dropped → (70+70+80)/3.
func TestTrimmedMeanAndSpread(t *testing.T) {
	var scores []Score
	for i, v := range []float64{72, 60, 85, 70, 74} {
		scores = append(scores, flat("E3", "J"+string(rune('1'+i)), v))
	}
	for i, v := range []float64{60, 90, 90, 100} {
		scores = append(scores, flat("E4", "J"+string(rune('1'+i)), v))
	}
	for i, v := range []float64{70, 80, 70, 80, 70} {
		scores = append(scores, flat("E5", "J"+string(rune('1'+i)), v))
	}
	res, err := Aggregate(testRubric(), scores, AggregateConfig{Method: MethodTrimmedMean, DisagreeStdDev: 8})
	if err != nil {
		t.Fatal(err)
	}
	m := byID(res)
	e3, e4, e5 := m["E3"], m["E4"], m["E5"]
	if !near(e3.Score, 72) || !near(e3.Raw, 72.2) || !near(e3.StdDev, math.Sqrt(64.16)) || !near(e3.Spread, 25) {
		t.Fatalf("E3 %+v", e3)
	}
	var dropped []string
	for _, jt := range e3.Judges {
		if jt.Dropped {
			dropped = append(dropped, jt.JudgeID)
		}
	}
	if !slices.Equal(dropped, []string{"J2", "J3"}) { // the 60 and the 85
		t.Fatalf("E3 dropped %v", dropped)
	}
	if !e3.Disagreement || !strings.Contains(e3.DisagreementReason, "standard deviation 8.01") || strings.Contains(e3.DisagreementReason, "apart") {
		t.Fatalf("E3 flag %v %q", e3.Disagreement, e3.DisagreementReason)
	}
	if !near(e4.Score, 85) || !near(e4.StdDev, 15) || !near(e4.Spread, 40) || !e4.Disagreement ||
		!strings.Contains(e4.DisagreementReason, "40.00 apart") {
		t.Fatalf("E4 %+v", e4)
	}
	for _, jt := range e4.Judges {
		if jt.Dropped {
			t.Fatal("E4 has 4 judges: nothing may be dropped")
		}
	}
	if !near(e5.Score, 220.0/3) {
		t.Fatalf("E5 score %v, want 73.33", e5.Score)
	}
	if got := order(res); !slices.Equal(got, []string{"E4", "E5", "E3"}) {
		t.Fatalf("order %v", got)
	}
	// The range test alone, with a lower threshold: E3's 25 > 20.
	res, _ = Aggregate(testRubric(), scores, AggregateConfig{Method: MethodTrimmedMean, DisagreeRangeFraction: 0.2})
	if !byID(res)["E3"].Disagreement {
		t.Fatal("E3 not flagged at 20%")
	}
	res, _ = Aggregate(testRubric(), scores, AggregateConfig{Method: MethodTrimmedMean, DisagreeRangeFraction: -1})
	if byID(res)["E4"].Disagreement {
		t.Fatal("flag not turned off")
	}
}

// Totals (each judge's row):
//
//	JA (harsh):    E1 70, E2 50, E3 50, E4 70 → mean 60, sd 10 → z +1 −1 −1 +1
//	JB (lenient):  E1 95, E2 85, E3 95, E4 85 → mean 90, sd 5  → z +1 −1 +1 −1
//	JC (constant): E1 80, E2 80               → sd 0 → z 0
//
// Rescaled to 0–100: 50 + z×100/6, so z = ±1 → 66.667 / 33.333, z 0 → 50.
//
//	E1 = (66.667 + 66.667 + 50)/3 = 550/9 = 61.111
//	E2 = (33.333 + 33.333 + 50)/3 = 350/9 = 38.889
//	E3 = (33.333 + 66.667)/2 = 50,  E4 = (66.667 + 33.333)/2 = 50
//
// E3 and E4 tie; the raw tie-break (E3 (50+95)/2 = 72.5, E4 (70+85)/2 =
// 77.5) puts E4 first.
func TestZScore(t *testing.T) {
	scores := []Score{
		flat("E1", "JA", 70), flat("E2", "JA", 50), flat("E3", "JA", 50), flat("E4", "JA", 70),
		flat("E1", "JB", 95), flat("E2", "JB", 85), flat("E3", "JB", 95), flat("E4", "JB", 85),
		flat("E1", "JC", 80), flat("E2", "JC", 80),
	}
	res, err := Aggregate(testRubric(), scores, AggregateConfig{Method: MethodZScore, TieBreak: []string{TieBreakRaw}})
	if err != nil {
		t.Fatal(err)
	}
	m := byID(res)
	for id, want := range map[string]float64{"E1": 550.0 / 9, "E2": 350.0 / 9, "E3": 50, "E4": 50} {
		if !near(m[id].Score, want) {
			t.Errorf("%s: %v, want %v", id, m[id].Score, want)
		}
	}
	if got := order(res); !slices.Equal(got, []string{"E1", "E4", "E3", "E2"}) || res[2].Tied {
		t.Fatalf("order %v", got)
	}
	for _, jt := range m["E1"].Judges {
		want := map[string]float64{"JA": 1, "JB": 1, "JC": 0}[jt.JudgeID]
		if !near(jt.Z, want) {
			t.Errorf("E1/%s z %v, want %v", jt.JudgeID, jt.Z, want)
		}
	}
}

// One judge scores 17 entries: 16 at 40 and one at 80. Mean 720/17, and
// for a single outlier z = √(n−1) = 4 → 50 + 4×100/6 = 116.67, clamped to
// 100; the others have z = −1/√16 = −0.25 → 50 − 25/6 = 45.833.
func TestZScoreClamps(t *testing.T) {
	var scores []Score
	for i := 0; i < 17; i++ {
		v := 40.0
		if i == 0 {
			v = 80
		}
		scores = append(scores, flat("E"+string(rune('A'+i)), "J1", v))
	}
	res, err := Aggregate(testRubric(), scores, AggregateConfig{Method: MethodZScore})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].EntryID != "EA" || !near(res[0].Score, 100) || !near(res[0].Judges[0].Z, 4) {
		t.Fatalf("top %+v", res[0])
	}
	if !near(res[1].Score, 50-25.0/6) || !res[2].Tied {
		t.Fatalf("second %+v", res[1])
	}
}

func TestAggregateRejects(t *testing.T) {
	ok := []Score{flat("E1", "J1", 50)}
	for name, c := range map[string]struct {
		scores []Score
		cfg    AggregateConfig
		want   string
	}{
		"method":       {ok, AggregateConfig{Method: "median"}, "unknown aggregation method"},
		"tie-break":    {ok, AggregateConfig{Method: MethodZScore, TieBreak: []string{"nope"}}, "neither"},
		"judge weight": {ok, AggregateConfig{Method: MethodWeightedMean, JudgeWeights: map[string]float64{"J1": 0}}, "weight must be"},
		"twice":        {append(ok, flat("E1", "J1", 60)), AggregateConfig{Method: MethodWeightedMean}, "twice"},
		"range":        {[]Score{flat("E1", "J1", 120)}, AggregateConfig{Method: MethodWeightedMean}, "outside"},
	} {
		if _, err := Aggregate(testRubric(), c.scores, c.cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", name, err, c.want)
		}
	}
	if m, err := ParseMethod(" zscore "); err != nil || m != MethodZScore {
		t.Errorf("ParseMethod: %v %v", m, err)
	}
}

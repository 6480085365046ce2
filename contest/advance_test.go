package contest

import (
	"slices"
	"testing"
)

// Eight entries in two tracks and two cities (210102 is a district of
// 沈阳 210100), one judge. Ranking by total: E5 95, E1 90, E2 85, E3 85
// (tied with E2, ID order), E6 70, E7 70 (tied), E4 60, E8 50.
func advanceFixture(t *testing.T) ([]EntryResult, []Entry) {
	t.Helper()
	entries := []Entry{
		{ID: "E1", Track: "T1", City: "210100"}, {ID: "E2", Track: "T1", City: "210102"},
		{ID: "E3", Track: "T1", City: "210200"}, {ID: "E4", Track: "T1", City: "210200"},
		{ID: "E5", Track: "T2", City: "210100"}, {ID: "E6", Track: "T2", City: "210200"},
		{ID: "E7", Track: "T2", City: "210200"}, {ID: "E8", Track: "T2", City: "210100"},
	}
	totals := map[string]float64{"E1": 90, "E2": 85, "E3": 85, "E4": 60, "E5": 95, "E6": 70, "E7": 70, "E8": 50}
	var scores []Score
	for id, v := range totals {
		scores = append(scores, flat(id, "J1", v))
	}
	ranking, err := Aggregate(testRubric(), scores, AggregateConfig{Method: MethodWeightedMean})
	if err != nil {
		t.Fatal(err)
	}
	if got := order(ranking); !slices.Equal(got, []string{"E5", "E1", "E2", "E3", "E6", "E7", "E4", "E8"}) {
		t.Fatalf("fixture ranking %v", got)
	}
	return ranking, entries
}

func TestAdvanceByTrack(t *testing.T) {
	ranking, entries := advanceFixture(t)
	res, err := Advance(ranking, entries, AdvanceRule{Grouping: Grouping{ByTrack: true}, Quota: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Advanced, []string{"E5", "E1", "E2", "E6"}) {
		t.Fatalf("advanced %v", res.Advanced)
	}
	want := []GroupAdvance{
		{Group: "T1", Quota: 2, Advanced: []string{"E1", "E2"}, CutoffTie: true, CutoffIn: "E2", CutoffOut: "E3"},
		{Group: "T2", Quota: 2, Advanced: []string{"E5", "E6"}, CutoffTie: true, CutoffIn: "E6", CutoffOut: "E7"},
	}
	if !slices.EqualFunc(res.Groups, want, groupEqual) {
		t.Fatalf("groups %+v", res.Groups)
	}
	res, _ = Advance(ranking, entries, AdvanceRule{Grouping: Grouping{ByTrack: true}, Quota: 1})
	if !slices.Equal(res.Advanced, []string{"E5", "E1"}) || res.Groups[0].CutoffTie || res.Groups[1].CutoffTie {
		t.Fatalf("quota 1: %+v", res)
	}
}

func TestAdvanceByCityAndTrack(t *testing.T) {
	ranking, entries := advanceFixture(t)
	res, err := Advance(ranking, entries, AdvanceRule{Grouping: Grouping{ByCity: true}, Quota: 2})
	if err != nil {
		t.Fatal(err)
	}
	// 210100: E5, E1, E2, E8 → E5, E1; 210200: E3, E6, E7, E4 → E3, E6 (tie with E7).
	if !slices.Equal(res.Advanced, []string{"E5", "E1", "E3", "E6"}) || res.Groups[0].CutoffTie || !res.Groups[1].CutoffTie {
		t.Fatalf("by city %+v", res)
	}
	res, err = Advance(ranking, entries, AdvanceRule{
		Grouping: Grouping{ByTrack: true, ByCity: true}, Quota: 1, GroupQuotas: map[string]int{"T1|210200": 2},
	})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, g := range res.Groups {
		keys = append(keys, g.Group)
	}
	if !slices.Equal(keys, []string{"T1|210100", "T1|210200", "T2|210100", "T2|210200"}) {
		t.Fatalf("groups %v", keys)
	}
	if !slices.Equal(res.Advanced, []string{"E5", "E1", "E3", "E6", "E4"}) || !res.Groups[3].CutoffTie {
		t.Fatalf("by track and city %+v", res)
	}
	if _, err := Advance(ranking, entries[:3], AdvanceRule{Grouping: Grouping{ByTrack: true}, Quota: 1}); err == nil {
		t.Fatal("ranked entry missing from entries accepted")
	}
}

func TestAwards(t *testing.T) {
	ranking, entries := advanceFixture(t)
	res, err := Awards(ranking, entries, AwardRule{Tiers: StandardTiers(1, 2, 2, -1)})
	if err != nil {
		t.Fatal(err)
	}
	tier := map[string]string{}
	for _, a := range res.Awards {
		tier[a.EntryID] = a.Tier
	}
	want := map[string]string{"E5": "一等奖", "E1": "二等奖", "E2": "二等奖", "E3": "三等奖", "E6": "三等奖", "E7": "优秀奖", "E4": "优秀奖", "E8": "优秀奖"}
	for id, w := range want {
		if tier[id] != w {
			t.Errorf("%s: %q, want %q", id, tier[id], w)
		}
	}
	wantTies := []TierTie{{Upper: "E2", Lower: "E3", Tier: "二等奖"}, {Upper: "E6", Lower: "E7", Tier: "三等奖"}}
	if !slices.Equal(res.Ties, wantTies) {
		t.Fatalf("ties %+v", res.Ties)
	}
	// A fixed number of 优秀奖: the rest get nothing. Per track: T1 E1 一等,
	// E2 二等, E3 三等, E4 优秀; T2 E5 一等, E6 二等, E7 三等, E8 优秀.
	res, _ = Awards(ranking, entries, AwardRule{Grouping: Grouping{ByTrack: true}, Tiers: StandardTiers(1, 1, 1, 1)})
	if len(res.Awards) != 8 || res.Awards[2] != (Award{EntryID: "E3", Tier: "三等奖", Group: "T1", Place: 3}) {
		t.Fatalf("per track %+v", res.Awards)
	}
	res, _ = Awards(ranking, entries, AwardRule{Tiers: StandardTiers(1, 1, 1, 1)})
	if len(res.Awards) != 4 {
		t.Fatalf("%d awards, want 4", len(res.Awards))
	}
	if _, err := Awards(ranking, entries, AwardRule{Tiers: []AwardTier{{Name: "A", Rest: true}, {Name: "B", Count: 1}}}); err == nil {
		t.Fatal("rest tier before the last accepted")
	}
}

func groupEqual(a, b GroupAdvance) bool {
	return a.Group == b.Group && a.Quota == b.Quota && slices.Equal(a.Advanced, b.Advanced) &&
		a.CutoffTie == b.CutoffTie && a.CutoffIn == b.CutoffIn && a.CutoffOut == b.CutoffOut
}

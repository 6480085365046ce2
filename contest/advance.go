package contest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Grouping says how quotas and award counts are split: per track, per city
// (prefecture), per track within each city, or over the whole round.
type Grouping struct {
	ByTrack bool `json:"byTrack,omitempty"`
	ByCity  bool `json:"byCity,omitempty"`
}

// Key is the group an entry falls in: "" for the whole round, the track,
// the city code (CityOf), or "track|city".
func (g Grouping) Key(e Entry) string {
	var parts []string
	if g.ByTrack {
		parts = append(parts, strings.TrimSpace(e.Track))
	}
	if g.ByCity {
		parts = append(parts, CityOf(e.City))
	}
	return strings.Join(parts, "|")
}

// AdvanceRule is a round's advancement quota (晋级名额).
type AdvanceRule struct {
	Grouping
	// Quota is how many entries of each group advance.
	Quota int `json:"quota"`
	// GroupQuotas overrides Quota for some groups, by Key (a city with more
	// entries may send more).
	GroupQuotas map[string]int `json:"groupQuotas,omitempty"`
}

// GroupAdvance is the outcome for one group.
type GroupAdvance struct {
	Group    string   `json:"group"`
	Quota    int      `json:"quota"`
	Advanced []string `json:"advanced"` // in rank order
	// CutoffTie is set when the last entry in and the first entry out are
	// equal on every ranking key: the ranking's final order by entry ID
	// decided, and organisers should break the tie themselves.
	CutoffTie bool   `json:"cutoffTie,omitempty"`
	CutoffIn  string `json:"cutoffIn,omitempty"`
	CutoffOut string `json:"cutoffOut,omitempty"`
}

// AdvanceResult lists who advances.
type AdvanceResult struct {
	// Advanced are all advancing entries in ranking order.
	Advanced []string       `json:"advanced"`
	Groups   []GroupAdvance `json:"groups"` // by group key
}

// Advance takes the first Quota entries of each group in ranking order.
// ranking is Aggregate's output (or any list in final order with Keys);
// entries supply tracks and cities. Ties are already broken
// deterministically by the ranking; a tie that lands on a cutoff is
// reported rather than hidden.
func Advance(ranking []EntryResult, entries []Entry, rule AdvanceRule) (AdvanceResult, error) {
	if rule.Quota < 0 {
		return AdvanceResult{}, fmt.Errorf("quota must be >= 0, not %d", rule.Quota)
	}
	for k, q := range rule.GroupQuotas {
		if q < 0 {
			return AdvanceResult{}, fmt.Errorf("quota of group %q must be >= 0, not %d", k, q)
		}
	}
	groups, keys, err := groupRanking(ranking, entries, rule.Grouping)
	if err != nil {
		return AdvanceResult{}, err
	}
	in := make(map[string]bool)
	var res AdvanceResult
	for _, k := range keys {
		members := groups[k]
		q := rule.Quota
		if o, ok := rule.GroupQuotas[k]; ok {
			q = o
		}
		ga := GroupAdvance{Group: k, Quota: q}
		for i, r := range members {
			if i < q {
				ga.Advanced = append(ga.Advanced, r.EntryID)
				in[r.EntryID] = true
			}
		}
		if q > 0 && q < len(members) && compareKeys(members[q-1].Keys, members[q].Keys) == 0 {
			ga.CutoffTie, ga.CutoffIn, ga.CutoffOut = true, members[q-1].EntryID, members[q].EntryID
		}
		res.Groups = append(res.Groups, ga)
	}
	for _, r := range ranking {
		if in[r.EntryID] {
			res.Advanced = append(res.Advanced, r.EntryID)
		}
	}
	return res, nil
}

// AwardTier is one prize level. Tiers are given best first; the last may
// take all remaining entries (优秀奖 for everyone else).
type AwardTier struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
	Rest  bool   `json:"rest,omitempty"`
}

// StandardTiers returns the usual 一等奖, 二等奖, 三等奖 and 优秀奖 tiers
// with the given counts; excellent < 0 gives 优秀奖 to every other ranked
// entry.
func StandardTiers(first, second, third, excellent int) []AwardTier {
	return []AwardTier{
		{Name: "一等奖", Count: first},
		{Name: "二等奖", Count: second},
		{Name: "三等奖", Count: third},
		{Name: "优秀奖", Count: max(excellent, 0), Rest: excellent < 0},
	}
}

// AwardRule is how a round gives prizes: the tiers apply within each group.
type AwardRule struct {
	Grouping
	Tiers []AwardTier `json:"tiers"`
}

// Award is one entry's prize.
type Award struct {
	EntryID string `json:"entryId"`
	Tier    string `json:"tier"`
	Group   string `json:"group"`
	// Place is the entry's position within its group, from 1.
	Place int `json:"place"`
}

// TierTie is a tie across a tier boundary: Upper got the better prize only
// by the ranking's ID order.
type TierTie struct {
	Group string `json:"group"`
	Upper string `json:"upper"`
	Lower string `json:"lower"`
	Tier  string `json:"tier"` // the better tier
}

// AwardResult lists prizes by group key, then place.
type AwardResult struct {
	Awards []Award   `json:"awards"`
	Ties   []TierTie `json:"ties,omitempty"`
}

// Awards gives tiers by count in ranking order within each group: the
// first Count entries get the first tier, the next the second, and so on.
// Entries past the last tier get nothing.
func Awards(ranking []EntryResult, entries []Entry, rule AwardRule) (AwardResult, error) {
	var errs []error
	for i, t := range rule.Tiers {
		if strings.TrimSpace(t.Name) == "" {
			errs = append(errs, fmt.Errorf("tier %d has no name", i+1))
		}
		if t.Count < 0 {
			errs = append(errs, fmt.Errorf("tier %s: count must be >= 0, not %d", t.Name, t.Count))
		}
		if t.Rest && i != len(rule.Tiers)-1 {
			errs = append(errs, fmt.Errorf("tier %s takes the rest but is not the last tier", t.Name))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return AwardResult{}, err
	}
	groups, keys, err := groupRanking(ranking, entries, rule.Grouping)
	if err != nil {
		return AwardResult{}, err
	}
	var res AwardResult
	for _, k := range keys {
		members := groups[k]
		i := 0
		for _, t := range rule.Tiers {
			end := min(len(members), i+t.Count)
			if t.Rest {
				end = len(members)
			}
			for ; i < end; i++ {
				res.Awards = append(res.Awards, Award{EntryID: members[i].EntryID, Tier: t.Name, Group: k, Place: i + 1})
			}
			if i > 0 && i < len(members) && compareKeys(members[i-1].Keys, members[i].Keys) == 0 {
				res.Ties = append(res.Ties, TierTie{Group: k, Upper: members[i-1].EntryID, Lower: members[i].EntryID, Tier: t.Name})
			}
		}
	}
	return res, nil
}

// groupRanking splits a ranking into groups, keeping ranking order within
// each, and returns the group keys sorted.
func groupRanking(ranking []EntryResult, entries []Entry, g Grouping) (map[string][]EntryResult, []string, error) {
	byID := make(map[string]Entry, len(entries))
	for _, e := range entries {
		byID[e.ID] = e
	}
	groups := make(map[string][]EntryResult)
	seen := make(map[string]bool, len(ranking))
	for _, r := range ranking {
		if seen[r.EntryID] {
			return nil, nil, fmt.Errorf("entry %s appears twice in the ranking", r.EntryID)
		}
		seen[r.EntryID] = true
		e, ok := byID[r.EntryID]
		if !ok && (g.ByTrack || g.ByCity) {
			return nil, nil, fmt.Errorf("ranked entry %s is not among the entries", r.EntryID)
		}
		k := g.Key(e)
		groups[k] = append(groups[k], r)
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return groups, keys, nil
}

package contest

import (
	"context"
	"fmt"
	"slices"

	"github.com/liaoning12316/agrimaker/internal/httpx"
)

// RankedEntry is an entry's line in a round's results: the ranking with
// spread and disagreement flags, and how many sheets are in.
type RankedEntry struct {
	EntryResult
	Title     string `json:"title"`
	Track     string `json:"track"`
	Region    string `json:"region"`
	Submitted int    `json:"submitted"`
	Assigned  int    `json:"assigned"`
}

// RoundResults is the organisers' view of a round.
type RoundResults struct {
	Round   string        `json:"round"`
	Mode    string        `json:"mode"`
	Method  Method        `json:"method,omitempty"`
	Ranking []RankedEntry `json:"ranking"`
	// Unscored are the round's entries without any counted sheet or vote.
	Unscored []string `json:"unscored"`
	// Flagged lists entries whose judges disagree strongly.
	Flagged  []string    `json:"flagged"`
	Advanced []string    `json:"advanced"`
	Awards   []Award     `json:"awards"`
	Pairwise []ItemState `json:"pairwise,omitempty"`
}

// rank computes the round's ranking from the log: for a scored round the
// submitted sheets of current assignments (a sheet whose pair was dropped
// no longer counts), for a pairwise round the Crowd-BT model replayed from
// its votes.
func (rd *roundData) rank() ([]EntryResult, []ItemState, error) {
	if rd.round.Mode == ModePairwise {
		m, err := rd.crowdBT()
		if err != nil {
			return nil, nil, err
		}
		return pairwiseRanking(m), m.Ranking(), nil
	}
	res, err := Aggregate(rd.round.Rubric, rd.countedScores(), rd.round.Aggregate)
	if err != nil {
		return nil, nil, fmt.Errorf("aggregate round %s: %w", rd.round.ID, err)
	}
	return res, nil, nil
}

func (rd *roundData) countedScores() []Score {
	var scores []Score
	if rd.assignment == nil {
		return nil
	}
	for _, a := range rd.assignment.Result.Assignments {
		if ev, ok := rd.ledger.lockedSheet(rd.round.ID, a.EntryID, a.JudgeID); ok && rd.inRound(a.EntryID) {
			scores = append(scores, Score{EntryID: a.EntryID, JudgeID: a.JudgeID, Sheet: ev.Sheet})
		}
	}
	return scores
}

// pairwiseRanking turns Crowd-BT beliefs into ranking lines: the score is
// mu; entries never compared are left out, as unscored entries are.
func pairwiseRanking(m *CrowdBT) []EntryResult {
	var out []EntryResult
	for _, it := range m.Ranking() {
		if it.Comparisons == 0 {
			continue
		}
		out = append(out, EntryResult{EntryID: it.ID, Score: it.Mu, Raw: it.Mu, Criteria: map[string]float64{},
			Judges: []JudgeTotal{}, Keys: []float64{roundKey(it.Mu)}})
	}
	rankResults(out)
	return out
}

func (s *Service) roundResults(ctx context.Context, roundID string) (*RoundResults, error) {
	rd, err := s.loadRound(ctx, roundID)
	if err != nil {
		return nil, err
	}
	ranking, items, err := rd.rank()
	if err != nil {
		return nil, err
	}
	out := &RoundResults{Round: roundID, Mode: rd.round.Mode, Method: rd.round.Aggregate.Method, Pairwise: items,
		Ranking: []RankedEntry{}, Unscored: []string{}, Flagged: []string{},
		Advanced: nonNil(rd.ledger.advanced[roundID].Entries), Awards: rd.ledger.awarded[roundID].Awards}
	if out.Awards == nil {
		out.Awards = []Award{}
	}
	submitted, assigned := rd.sheetCounts()
	ranked := map[string]bool{}
	for _, r := range ranking {
		d := rd.docs[r.EntryID]
		out.Ranking = append(out.Ranking, RankedEntry{EntryResult: r, Title: d.Title, Track: d.Track, Region: d.Region,
			Submitted: submitted[r.EntryID], Assigned: assigned[r.EntryID]})
		ranked[r.EntryID] = true
		if r.Disagreement {
			out.Flagged = append(out.Flagged, r.EntryID)
		}
	}
	for _, id := range rd.ids {
		if !ranked[id] {
			out.Unscored = append(out.Unscored, id)
		}
	}
	return out, nil
}

func (rd *roundData) sheetCounts() (submitted, assigned map[string]int) {
	submitted, assigned = map[string]int{}, map[string]int{}
	if rd.assignment == nil {
		return
	}
	for _, a := range rd.assignment.Result.Assignments {
		assigned[a.EntryID]++
		if _, ok := rd.ledger.lockedSheet(rd.round.ID, a.EntryID, a.JudgeID); ok {
			submitted[a.EntryID]++
		}
	}
	return
}

// advance records, once, who goes on to the next round: the top entries
// by the round's quota. The event holds the list, so the next round's
// entries are fixed by one insert; a second call answers 409.
func (s *Service) advance(ctx context.Context, actor, roundID string) (*AdvanceResult, error) {
	rd, err := s.loadRound(ctx, roundID)
	if err != nil {
		return nil, err
	}
	if rd.round.Advance == nil {
		return nil, httpx.Errorf(409, "no_quota", "round %s has no advancement quota", rd.round.Name)
	}
	if err := rd.round.decided(rd.ledger); err != nil {
		return nil, httpx.Errorf(409, "already_advanced", "round %s has already been decided", rd.round.Name)
	}
	if err := rd.complete(); err != nil {
		return nil, err
	}
	ranking, _, err := rd.rank()
	if err != nil {
		return nil, err
	}
	res, err := Advance(ranking, rd.entriesForAlgo(), *rd.round.Advance)
	if err != nil {
		return nil, fmt.Errorf("advance round %s: %w", roundID, err)
	}
	res.Advanced = nonNil(res.Advanced)
	if res.Groups == nil {
		res.Groups = []GroupAdvance{}
	}
	_, err = s.once(ctx, AuditEvent{ID: advanceKey(roundID), Edition: rd.round.Edition, Round: roundID, Kind: EvAdvanced,
		Actor: actor, Entries: nonNil(res.Advanced)}, "already_advanced", "round %s has already been decided", rd.round.Name)
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// award gives the round's prize tiers, once.
func (s *Service) award(ctx context.Context, actor, roundID string) (*AwardResult, error) {
	rd, err := s.loadRound(ctx, roundID)
	if err != nil {
		return nil, err
	}
	if rd.round.Awards == nil {
		return nil, httpx.Errorf(409, "no_awards", "round %s gives no awards", rd.round.Name)
	}
	if err := rd.round.decided(rd.ledger); err != nil {
		return nil, httpx.Errorf(409, "already_awarded", "round %s has already been decided", rd.round.Name)
	}
	if err := rd.complete(); err != nil {
		return nil, err
	}
	ranking, _, err := rd.rank()
	if err != nil {
		return nil, err
	}
	res, err := Awards(ranking, rd.entriesForAlgo(), *rd.round.Awards)
	if err != nil {
		return nil, fmt.Errorf("award round %s: %w", roundID, err)
	}
	if res.Awards == nil {
		res.Awards = []Award{}
	}
	_, err = s.once(ctx, AuditEvent{ID: awardsKey(roundID), Edition: rd.round.Edition, Round: roundID, Kind: EvAwarded,
		Actor: actor, Awards: res.Awards}, "already_awarded", "round %s has already been decided", rd.round.Name)
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// complete refuses to decide a round while judging is unfinished: an
// assigned sheet not submitted, or a pairwise round without votes.
func (rd *roundData) complete() error {
	if rd.round.Mode == ModePairwise {
		if len(rd.votesInRound()) == 0 {
			return httpx.Errorf(409, "no_votes", "round %s has no votes yet", rd.round.Name)
		}
		return nil
	}
	if rd.assignment == nil {
		return httpx.Errorf(409, "not_assigned", "round %s has not been assigned yet", rd.round.Name)
	}
	submitted, assigned := rd.sheetCounts()
	missing := 0
	for e, n := range assigned {
		missing += n - submitted[e]
	}
	if missing > 0 {
		return httpx.Errorf(409, "scoring_incomplete", "%d assigned score sheets of round %s are not submitted", missing, rd.round.Name)
	}
	return nil
}

// reachedRounds lists, per entry, the rounds it competed in.
func reachedRounds(rounds []Round, l *ledger, docs map[string]*entryDoc) map[string][]string {
	out := map[string][]string{}
	for i := range rounds {
		for _, id := range roundEntryIDs(rounds, &rounds[i], l, docs) {
			out[id] = append(out[id], rounds[i].Name)
		}
	}
	return out
}

// awardOf finds an entry's prize in the last round that gave awards.
func awardOf(rounds []Round, l *ledger, entry string) *Award {
	for i := len(rounds) - 1; i >= 0; i-- {
		ev, ok := l.awarded[rounds[i].ID]
		if !ok {
			continue
		}
		if j := slices.IndexFunc(ev.Awards, func(a Award) bool { return a.EntryID == entry }); j >= 0 {
			return &ev.Awards[j]
		}
		return nil
	}
	return nil
}

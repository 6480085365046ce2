package contest

import (
	"context"
	"fmt"
	"slices"

	"github.com/liaoning12316/agrimaker/internal/httpx"
)

// Pairwise rounds (expo-style finals): judges compare two entries at a
// time. Votes are audit events with ids vote/<round>/<seq>; the model is
// never stored, only replayed from the votes not undone, so every process
// computes the same ranking from the same log.

// crowdBT replays the round's votes.
func (rd *roundData) crowdBT() (*CrowdBT, error) {
	m, err := ReplayCrowdBT(DefaultCrowdBTParams(), rd.ids, rd.votesInRound())
	if err != nil {
		return nil, fmt.Errorf("replay votes of %s: %w", rd.round.ID, err)
	}
	return m, nil
}

// votesInRound is the replayable log: votes on entries no longer in the
// round (vetoed after they were cast) are dropped, since Crowd-BT refuses
// unknown items, and so is a judge's second vote on the same pair, which
// only two processes racing each other can store (Crowd-BT refuses it
// too): the first one counts.
func (rd *roundData) votesInRound() []PairVote {
	var out []PairVote
	type judgePair struct {
		judge string
		pair  pairKey
	}
	seen := map[judgePair]bool{}
	for _, v := range rd.ledger.votes[rd.round.ID] {
		k := judgePair{v.JudgeID, keyOf(v.Winner, v.Loser)}
		if rd.inRound(v.Winner) && rd.inRound(v.Loser) && !seen[k] {
			seen[k] = true
			out = append(out, v)
		}
	}
	return out
}

// PairView offers a judge the next two entries to compare.
type PairView struct {
	Round string      `json:"round"`
	Done  bool        `json:"done"`
	A     *EntryBrief `json:"a"`
	B     *EntryBrief `json:"b"`
}

// VoteView is a stored vote.
type VoteView struct {
	Round  string `json:"round"`
	Seq    int64  `json:"seq"`
	Judge  string `json:"judge"`
	Winner string `json:"winner"`
	Loser  string `json:"loser"`
	Undone bool   `json:"undone"`
}

// pairScope loads a pairwise round for a judge of its pool.
func (s *Service) pairScope(ctx context.Context, judge, roundID string) (*roundData, *PoolJudge, error) {
	rd, err := s.loadRound(ctx, roundID)
	if err != nil {
		return nil, nil, err
	}
	if rd.round.Mode != ModePairwise {
		return nil, nil, httpx.Errorf(409, "not_pairwise", "round %s is judged by score sheets", rd.round.Name)
	}
	pj, ok := rd.judge(judge)
	if !ok || pj.Inactive {
		return nil, nil, httpx.Errorf(403, "not_in_pool", "you are not an active judge of this edition")
	}
	return rd, pj, nil
}

// eligibleFor applies the conflict rules to what a judge may compare.
func (rd *roundData) eligibleFor(pj *PoolJudge) func(string) bool {
	j := pj.judge()
	return func(id string) bool {
		c, _ := Conflicted(j, rd.docs[id].asEntry(), rd.round.CityRule)
		return !c
	}
}

// nextPair chooses the pair with the most expected information.
func (s *Service) nextPair(ctx context.Context, judge, roundID string) (*PairView, error) {
	rd, pj, err := s.pairScope(ctx, judge, roundID)
	if err != nil {
		return nil, err
	}
	m, err := rd.crowdBT()
	if err != nil {
		return nil, err
	}
	a, b, ok := m.NextPair(judge, PairOptions{Eligible: rd.eligibleFor(pj)})
	if !ok {
		return &PairView{Round: roundID, Done: true}, nil
	}
	ba, bb := rd.docs[a].brief(), rd.docs[b].brief()
	return &PairView{Round: roundID, A: &ba, B: &bb}, nil
}

type voteReq struct {
	Winner string `json:"winner" validate:"required"`
	Loser  string `json:"loser" validate:"required"`
}

// vote appends a judge's comparison as vote seq n+1. Within a process the
// round's lock orders votes; across processes the unique id arbitrates and
// the loser of a race reloads and takes the next number.
func (s *Service) vote(ctx context.Context, judge, roundID string, req *voteReq) (*VoteView, error) {
	defer s.lockRound(roundID)()
	for attempt := 0; attempt < 5; attempt++ {
		rd, pj, err := s.pairScope(ctx, judge, roundID)
		if err != nil {
			return nil, err
		}
		if err := rd.round.judgingOpen(rd.ledger, s.now()); err != nil {
			return nil, err
		}
		if err := rd.checkVote(pj, req); err != nil {
			return nil, err
		}
		seq := rd.ledger.lastSeq[roundID] + 1
		_, err = s.record(ctx, AuditEvent{ID: voteKey(roundID, seq), Edition: rd.round.Edition, Round: roundID, Judge: judge,
			Kind: EvVote, Actor: judge, Seq: seq, Winner: req.Winner, Loser: req.Loser})
		if _, dup := err.(errAlready); dup {
			continue // another process took seq
		}
		if err != nil {
			return nil, err
		}
		return &VoteView{Round: roundID, Seq: seq, Judge: judge, Winner: req.Winner, Loser: req.Loser}, nil
	}
	return nil, httpx.Errorf(409, "busy", "too many votes at once; try again")
}

// checkVote: both entries in the round, no conflict, and a pair the judge
// has not compared yet (an undo frees it again).
func (rd *roundData) checkVote(pj *PoolJudge, req *voteReq) error {
	fields := map[string]string{}
	for f, id := range map[string]string{"winner": req.Winner, "loser": req.Loser} {
		if !rd.inRound(id) {
			fields[f] = "is not an entry of this round"
		}
	}
	if req.Winner == req.Loser {
		fields["loser"] = "must differ from winner"
	}
	if len(fields) > 0 {
		return httpx.Invalid(fields)
	}
	ok := rd.eligibleFor(pj)
	if !ok(req.Winner) || !ok(req.Loser) {
		return httpx.Errorf(403, "conflict", "you have a conflict of interest with one of these entries")
	}
	if slices.ContainsFunc(rd.ledger.votes[rd.round.ID], func(v PairVote) bool {
		return v.JudgeID == pj.User && keyOf(v.Winner, v.Loser) == keyOf(req.Winner, req.Loser)
	}) {
		return httpx.Errorf(409, "already_compared", "you already compared these two; undo that vote to change it")
	}
	return nil
}

// undoVote takes back a judge's vote (the latest when seq is 0), once.
func (s *Service) undoVote(ctx context.Context, judge, roundID string, seq int64) (*VoteView, error) {
	rd, _, err := s.pairScope(ctx, judge, roundID)
	if err != nil {
		return nil, err
	}
	if err := rd.round.judgingOpen(rd.ledger, s.now()); err != nil {
		return nil, err
	}
	var target *PairVote
	for _, v := range rd.ledger.votes[roundID] {
		if v.JudgeID == judge && (seq == 0 || v.Seq == seq) {
			target = &v
		}
	}
	if target == nil {
		return nil, httpx.Errorf(404, "not_found", "no vote of yours to undo")
	}
	_, err = s.once(ctx, AuditEvent{ID: undoKey(roundID, target.Seq), Edition: rd.round.Edition, Round: roundID, Judge: judge,
		Kind: EvVoteUndone, Actor: judge, Seq: target.Seq}, "already_undone", "vote %d was already undone", target.Seq)
	if err != nil {
		return nil, err
	}
	return &VoteView{Round: roundID, Seq: target.Seq, Judge: judge, Winner: target.Winner, Loser: target.Loser, Undone: true}, nil
}

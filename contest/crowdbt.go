package contest

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Pairwise judging with the Crowd-BT model of Chen, Bennett, Collins-
// Thompson and Horvitz, "Pairwise Ranking Aggregation in a Crowdsourced
// Setting" (WSDM 2013), as Gavel (github.com/anishathalye/gavel, the
// hackathon judging system) uses it: each entry has a Gaussian belief
// N(mu, sigma²) about its quality, each judge a Beta(alpha, beta) belief
// about how often they vote the way the qualities say, and every vote
// moves both by one step of online moment matching. The next pair shown
// to a judge is the one whose vote is expected to teach the model most.
//
// The vote log is the source of truth: undo removes a vote from the log and
// replays the rest from the priors. Online updates do not commute, so a
// removed vote cannot be subtracted out; a replay gives exactly the state
// the model would have had without it, which is also what a server
// restarting from stored votes computes.

// CrowdBTParams are the model's constants; DefaultCrowdBTParams are those
// of the paper's experiments, which Gavel uses.
type CrowdBTParams struct {
	Gamma        float64 // weight of judge information in the expected gain
	Kappa        float64 // floor that keeps variances positive
	MuPrior      float64
	SigmaSqPrior float64
	AlphaPrior   float64 // prior belief that a judge is reliable: Beta(10, 1)
	BetaPrior    float64
}

// DefaultCrowdBTParams returns Gavel's settings.
func DefaultCrowdBTParams() CrowdBTParams {
	return CrowdBTParams{Gamma: 0.1, Kappa: 1e-4, MuPrior: 0, SigmaSqPrior: 1, AlphaPrior: 10, BetaPrior: 1}
}

// ItemState is the model's belief about one entry.
type ItemState struct {
	ID          string  `json:"id"`
	Mu          float64 `json:"mu"`
	SigmaSq     float64 `json:"sigmaSq"`
	Comparisons int     `json:"comparisons"`
}

// AnnotatorState is the model's belief about one judge: alpha/(alpha+beta)
// is the expected chance that they vote with the consensus.
type AnnotatorState struct {
	ID    string  `json:"id"`
	Alpha float64 `json:"alpha"`
	Beta  float64 `json:"beta"`
	Votes int     `json:"votes"`
}

// PairVote is one judgement: JudgeID preferred Winner to Loser. Seq is set
// by the model, increases with every vote and is never reused, so a stored
// log replays in its original order and an undo names one vote.
type PairVote struct {
	Seq     int64  `json:"seq"`
	JudgeID string `json:"judgeId"`
	Winner  string `json:"winner"`
	Loser   string `json:"loser"`
}

// CrowdBT is the state of one pairwise round. It is not safe for
// concurrent use; the caller serialises votes (one round, one lock).
type CrowdBT struct {
	p      CrowdBTParams
	items  map[string]*ItemState
	ids    []string // sorted, for deterministic scans
	judges map[string]*AnnotatorState
	log    []PairVote
	next   int64
	seen   map[string]map[pairKey]bool
}

// pairKey is an unordered pair, smaller ID first.
type pairKey struct{ a, b string }

func keyOf(a, b string) pairKey {
	if b < a {
		a, b = b, a
	}
	return pairKey{a, b}
}

// NewCrowdBT starts a round over the given entry IDs with Gavel's priors.
func NewCrowdBT(items []string) (*CrowdBT, error) {
	return NewCrowdBTWithParams(DefaultCrowdBTParams(), items)
}

// NewCrowdBTWithParams starts a round with other constants.
func NewCrowdBTWithParams(p CrowdBTParams, items []string) (*CrowdBT, error) {
	if !(p.SigmaSqPrior > 0 && p.AlphaPrior > 0 && p.BetaPrior > 0 && p.Kappa > 0 && p.Gamma >= 0) {
		return nil, fmt.Errorf("crowd-bt parameters out of range: %+v", p)
	}
	m := &CrowdBT{p: p, items: map[string]*ItemState{}, judges: map[string]*AnnotatorState{}, seen: map[string]map[pairKey]bool{}, next: 1}
	for _, id := range items {
		if err := m.AddItem(id); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// ReplayCrowdBT rebuilds a round from its stored vote log (in Seq order),
// as after a restart. Later votes keep getting higher Seqs.
func ReplayCrowdBT(p CrowdBTParams, items []string, log []PairVote) (*CrowdBT, error) {
	m, err := NewCrowdBTWithParams(p, items)
	if err != nil {
		return nil, err
	}
	for i, v := range log {
		if i > 0 && v.Seq <= log[i-1].Seq {
			return nil, fmt.Errorf("vote log out of order at seq %d", v.Seq)
		}
		if err := m.check(v.JudgeID, v.Winner, v.Loser); err != nil {
			return nil, fmt.Errorf("vote %d: %w", v.Seq, err)
		}
		m.apply(v)
		m.next = max(m.next, v.Seq+1)
	}
	return m, nil
}

// AddItem adds an entry with the prior belief (a late registration).
func (m *CrowdBT) AddItem(id string) error {
	if id == "" {
		return errors.New("item ID is empty")
	}
	if _, dup := m.items[id]; dup {
		return fmt.Errorf("item %q is already in the round", id)
	}
	m.items[id] = &ItemState{ID: id, Mu: m.p.MuPrior, SigmaSq: m.p.SigmaSqPrior}
	i, _ := slices.BinarySearch(m.ids, id)
	m.ids = slices.Insert(m.ids, i, id)
	return nil
}

func (m *CrowdBT) check(judge, winner, loser string) error {
	switch {
	case judge == "":
		return errors.New("vote has no judge")
	case winner == loser:
		return fmt.Errorf("judge %s compared %s with itself", judge, winner)
	case m.items[winner] == nil:
		return fmt.Errorf("unknown item %q", winner)
	case m.items[loser] == nil:
		return fmt.Errorf("unknown item %q", loser)
	case m.seen[judge][keyOf(winner, loser)]:
		return fmt.Errorf("judge %s already compared %s and %s; undo that vote to change it", judge, winner, loser)
	}
	return nil
}

func (m *CrowdBT) annotator(judge string) *AnnotatorState {
	a := m.judges[judge]
	if a == nil {
		a = &AnnotatorState{ID: judge, Alpha: m.p.AlphaPrior, Beta: m.p.BetaPrior}
		m.judges[judge] = a
	}
	return a
}

// apply updates the state for a checked vote and appends it to the log.
func (m *CrowdBT) apply(v PairVote) {
	a := m.annotator(v.JudgeID)
	w, l := m.items[v.Winner], m.items[v.Loser]
	a.Alpha, a.Beta, w.Mu, w.SigmaSq, l.Mu, l.SigmaSq = m.p.update(a.Alpha, a.Beta, w.Mu, w.SigmaSq, l.Mu, l.SigmaSq)
	a.Votes++
	w.Comparisons++
	l.Comparisons++
	if m.seen[v.JudgeID] == nil {
		m.seen[v.JudgeID] = map[pairKey]bool{}
	}
	m.seen[v.JudgeID][keyOf(v.Winner, v.Loser)] = true
	m.log = append(m.log, v)
}

// Vote records that judge preferred winner to loser and updates the model.
func (m *CrowdBT) Vote(judge, winner, loser string) (PairVote, error) {
	if err := m.check(judge, winner, loser); err != nil {
		return PairVote{}, err
	}
	v := PairVote{Seq: m.next, JudgeID: judge, Winner: winner, Loser: loser}
	m.next++
	m.apply(v)
	return v, nil
}

// Undo removes the vote with the given Seq and rebuilds the model from the
// remaining log. The pair becomes available to that judge again.
func (m *CrowdBT) Undo(seq int64) (PairVote, error) {
	i := slices.IndexFunc(m.log, func(v PairVote) bool { return v.Seq == seq })
	if i < 0 {
		return PairVote{}, fmt.Errorf("no vote %d", seq)
	}
	removed := m.log[i]
	rest := slices.Delete(slices.Clone(m.log), i, i+1)
	m.reset()
	for _, v := range rest {
		m.apply(v)
	}
	return removed, nil
}

// UndoLast removes the judge's latest vote: the usual "I clicked the wrong
// one" case.
func (m *CrowdBT) UndoLast(judge string) (PairVote, error) {
	for i := len(m.log) - 1; i >= 0; i-- {
		if m.log[i].JudgeID == judge {
			return m.Undo(m.log[i].Seq)
		}
	}
	return PairVote{}, fmt.Errorf("judge %s has no votes", judge)
}

// reset puts every item and judge back to the priors and empties the log;
// judges known so far stay known (at the prior).
func (m *CrowdBT) reset() {
	for _, it := range m.items {
		*it = ItemState{ID: it.ID, Mu: m.p.MuPrior, SigmaSq: m.p.SigmaSqPrior}
	}
	m.judges = map[string]*AnnotatorState{}
	m.seen = map[string]map[pairKey]bool{}
	m.log = nil
}

// Log returns a copy of the vote log, oldest first.
func (m *CrowdBT) Log() []PairVote { return slices.Clone(m.log) }

// Item returns the belief about one entry.
func (m *CrowdBT) Item(id string) (ItemState, bool) {
	if it := m.items[id]; it != nil {
		return *it, true
	}
	return ItemState{}, false
}

// Annotator returns the belief about one judge (the prior if they have not
// voted).
func (m *CrowdBT) Annotator(judge string) AnnotatorState {
	if a := m.judges[judge]; a != nil {
		return *a
	}
	return AnnotatorState{ID: judge, Alpha: m.p.AlphaPrior, Beta: m.p.BetaPrior}
}

// Ranking lists entries by mu, highest first; equal mus by ID.
func (m *CrowdBT) Ranking() []ItemState {
	out := make([]ItemState, 0, len(m.ids))
	for _, id := range m.ids {
		out = append(out, *m.items[id])
	}
	slices.SortStableFunc(out, func(a, b ItemState) int {
		return cmp.Or(cmp.Compare(b.Mu, a.Mu), strings.Compare(a.ID, b.ID))
	})
	return out
}

// PairOptions narrows the pairs NextPair may offer.
type PairOptions struct {
	// Eligible, when set, says which entries the judge may see; pass the
	// conflict rules here.
	Eligible func(itemID string) bool
	// Anchor, when set, limits pairs to those with this entry: Gavel's
	// sequential mode, where a judge compares the entry just seen with a
	// new one and so reads one new entry per vote.
	Anchor string
}

// NextPair picks, among pairs of eligible entries the judge has not yet
// compared, the one with the largest expected information gain; ties go
// to the first pair in ID order. Gavel also picks a random pair a quarter
// of the time; that is left to the caller, to keep this deterministic.
// ok is false when no pair is left.
func (m *CrowdBT) NextPair(judge string, opt PairOptions) (a, b string, ok bool) {
	ann := m.Annotator(judge)
	seen := m.seen[judge]
	var ids []string
	for _, id := range m.ids {
		if opt.Eligible == nil || opt.Eligible(id) {
			ids = append(ids, id)
		}
	}
	best := math.Inf(-1)
	consider := func(x, y string) {
		if seen[keyOf(x, y)] {
			return
		}
		ix, iy := m.items[x], m.items[y]
		g := m.p.ExpectedInformationGain(ann.Alpha, ann.Beta, ix.Mu, ix.SigmaSq, iy.Mu, iy.SigmaSq)
		if g > best || !ok {
			best, a, b, ok = g, x, y, true
		}
	}
	if opt.Anchor != "" {
		if m.items[opt.Anchor] == nil || (opt.Eligible != nil && !opt.Eligible(opt.Anchor)) {
			return "", "", false
		}
		for _, y := range ids {
			if y != opt.Anchor {
				consider(opt.Anchor, y)
			}
		}
		return a, b, ok
	}
	for i, x := range ids {
		for _, y := range ids[i+1:] {
			consider(x, y)
		}
	}
	return a, b, ok
}

// update returns the new (alpha, beta, mu_winner, sigma²_winner, mu_loser,
// sigma²_loser) after a vote.
func (p CrowdBTParams) update(alpha, beta, muW, sW, muL, sL float64) (float64, float64, float64, float64, float64, float64) {
	a, b, _ := p.updatedAnnotator(alpha, beta, muW, sW, muL, sL)
	mw, ml := p.updatedMus(alpha, beta, muW, sW, muL, sL)
	sw, sl := p.updatedSigmaSqs(alpha, beta, muW, sW, muL, sL)
	return a, b, mw, sw, ml, sl
}

// ExpectedInformationGain is the expected KL divergence from the current
// beliefs to those after a judge with (alpha, beta) compares items a and b:
// over both outcomes, weighted by how likely the model thinks each is, the
// divergences of both items' Gaussians plus Gamma times the judge's Beta.
func (p CrowdBTParams) ExpectedInformationGain(alpha, beta, muA, sA, muB, sB float64) float64 {
	a1, b1, c := p.updatedAnnotator(alpha, beta, muA, sA, muB, sB)
	muA1, muB1 := p.updatedMus(alpha, beta, muA, sA, muB, sB)
	sA1, sB1 := p.updatedSigmaSqs(alpha, beta, muA, sA, muB, sB)
	a2, b2, _ := p.updatedAnnotator(alpha, beta, muB, sB, muA, sA)
	muB2, muA2 := p.updatedMus(alpha, beta, muB, sB, muA, sA)
	sB2, sA2 := p.updatedSigmaSqs(alpha, beta, muB, sB, muA, sA)
	return c*(klGaussian(muA1, sA1, muA, sA)+klGaussian(muB1, sB1, muB, sB)+p.Gamma*klBeta(a1, b1, alpha, beta)) +
		(1-c)*(klGaussian(muA2, sA2, muA, sA)+klGaussian(muB2, sB2, muB, sB)+p.Gamma*klBeta(a2, b2, alpha, beta))
}

// updatedMus moves the winner up and the loser down by their variances
// times the gap between what a judge of this reliability predicts and what
// plain Bradley-Terry predicts.
func (p CrowdBTParams) updatedMus(alpha, beta, muW, sW, muL, sL float64) (float64, float64) {
	ew, el := math.Exp(muW), math.Exp(muL)
	mult := alpha*ew/(alpha*ew+beta*el) - ew/(ew+el)
	return muW + sW*mult, muL - sL*mult
}

// updatedSigmaSqs shrinks both variances; Kappa keeps them positive.
func (p CrowdBTParams) updatedSigmaSqs(alpha, beta, muW, sW, muL, sL float64) (float64, float64) {
	ew, el := math.Exp(muW), math.Exp(muL)
	mult := alpha*ew*beta*el/((alpha*ew+beta*el)*(alpha*ew+beta*el)) - ew*el/((ew+el)*(ew+el))
	return sW * max(1+sW*mult, p.Kappa), sL * max(1+sL*mult, p.Kappa)
}

// updatedAnnotator matches the first two moments of the judge's posterior
// Beta and returns it with c, the predicted chance of this outcome. If
// rounding makes the moments impossible (variance <= 0), the judge's
// belief is left as it was rather than turned into NaN; Gavel has no such
// guard, but it never triggers with sane parameters.
func (p CrowdBTParams) updatedAnnotator(alpha, beta, muW, sW, muL, sL float64) (float64, float64, float64) {
	ew, el := math.Exp(muW), math.Exp(muL)
	c1 := ew/(ew+el) + 0.5*(sW+sL)*(ew*el*(el-ew))/math.Pow(ew+el, 3)
	c2 := 1 - c1
	c := (c1*alpha + c2*beta) / (alpha + beta)
	ab := alpha + beta
	expt := (c1*(alpha+1)*alpha + c2*alpha*beta) / (c * (ab + 1) * ab)
	exptSq := (c1*(alpha+2)*(alpha+1)*alpha + c2*(alpha+1)*alpha*beta) / (c * (ab + 2) * (ab + 1) * ab)
	variance := exptSq - expt*expt
	na := (expt - exptSq) * expt / variance
	nb := (expt - exptSq) * (1 - expt) / variance
	if !(variance > 0) || !(na > 0) || !(nb > 0) || math.IsInf(na, 0) || math.IsInf(nb, 0) {
		return alpha, beta, c
	}
	return na, nb, c
}

// klGaussian is KL(N(mu1, s1) ‖ N(mu2, s2)) for variances s1, s2.
func klGaussian(mu1, s1, mu2, s2 float64) float64 {
	r := s1 / s2
	return (mu1-mu2)*(mu1-mu2)/(2*s2) + (r-1-math.Log(r))/2
}

// klBeta is KL(Beta(a1, b1) ‖ Beta(a2, b2)).
func klBeta(a1, b1, a2, b2 float64) float64 {
	return lnBeta(a2, b2) - lnBeta(a1, b1) + (a1-a2)*digamma(a1) + (b1-b2)*digamma(b1) + (a2-a1+b2-b1)*digamma(a1+b1)
}

func lnBeta(a, b float64) float64 {
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	return la + lb - lab
}

// digamma is ψ(x) for x > 0: the recurrence ψ(x) = ψ(x+1) − 1/x lifts x to
// at least 10, where the asymptotic series is accurate to ~1e-14.
func digamma(x float64) float64 {
	var r float64
	for x < 10 {
		r -= 1 / x
		x++
	}
	f := 1 / (x * x)
	return r + math.Log(x) - 0.5/x - f*(1.0/12-f*(1.0/120-f*(1.0/252-f*(1.0/240-f/132))))
}

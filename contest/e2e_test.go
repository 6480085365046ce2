package contest_test

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/liaoning12316/agrimaker/internal/tabular"
	"github.com/liaoning12316/agrimaker/internal/testserver"
)

type entryView struct {
	ID          string
	Status      string
	Attachments []struct{ ID, ContentType, URL string }
}

type assignment struct {
	Assignments []struct{ EntryID, JudgeID string }
	Shortfalls  []struct {
		EntryID                                           string
		Want, Got, Available, Declared, SameOrg, SameCity int
		Reason                                            string
	}
	Stats struct{ MinLoad, MaxLoad int }
}

type rankedEntry struct {
	EntryID      string
	Rank         int
	Score, Raw   float64
	StdDev       float64
	Spread       float64
	Disagreement bool
	Submitted    int
}

type roundResults struct {
	Ranking  []rankedEntry
	Flagged  []string
	Unscored []string
}

// sheet scores one entry from its quality q (0..1): the same shape on
// every criterion, so entries rank by q.
func sheet(q float64) map[string]float64 {
	return map[string]float64{"innovation": math.Round(30 * q), "feasibility": math.Round(25 * q), "market": math.Round(25 * q),
		"team": math.Round(10 * q), "social": math.Round(10 * q)}
}

// contestRun is the state an end-to-end run carries from phase to phase.
type contestRun struct {
	*fixture
	t        *testing.T
	ed       string
	r1, r2   string
	leaders  []testserver.User
	entries  []string
	judges   []testserver.User
	assigned map[[2]string]bool
	top      []string // the four best entries of round 1, best first
	first    assignmentPair
}

// TestContestEndToEnd runs one edition through the HTTP API, from
// registration to published results, exports and the audit log.
func TestContestEndToEnd(t *testing.T) {
	f := newFixture(t)
	c := &contestRun{fixture: f, t: t}
	c.ed = f.edition(editionBody(2026, 45))
	c.r1 = f.round(c.ed, scoredRound(1, 3, 4))
	c.r2 = f.round(c.ed, pairwiseFinal(2))

	c.register()
	c.review()
	c.poolJudges()
	c.assign()
	c.checkAccess()
	c.score()
	c.scoreByHand()
	c.aggregate()
	c.advance()
	c.pairwiseFinal()
	c.awardAndPublish()
	checkExports(t, f, c.ed)
	checkAudit(t, f, c.ed)
}

// register: 13 teams, each with a PDF business plan; team 12 adds an
// advisor born in 1970, over the age limit of 45, and cannot submit.
func (c *contestRun) register() {
	const teams = 13
	c.leaders = make([]testserver.User, teams)
	c.entries = make([]string, teams)
	for i := range teams {
		c.leaders[i] = c.ts.Register("farmer")
		c.entries[i] = c.entry(c.ed, c.leaders[i], i, fmt.Sprintf("合作社%d", i))
		if r := c.upload(c.entries[i], c.leaders[i], "plan.pdf", pdf); r.Status != http.StatusCreated {
			c.t.Fatalf("upload: %d %s", r.Status, r.Body)
		}
	}
	body := entryBody("", c.leaders[12], 12, "合作社12")
	body["members"] = append(body["members"].([]any), map[string]any{"name": "老张", "phone": testserver.NewPhone(), "org": "农大", "role": "advisor", "region": "210300", "birthDate": "1970-01-01"})
	c.must(http.StatusOK, "PUT", api+"/entries/"+c.entries[12], c.leaders[12].Token, body, nil)
	for i := range 12 {
		c.must(http.StatusOK, "POST", api+"/entries/"+c.entries[i]+"/submit", c.leaders[i].Token, nil, nil)
	}
	r := c.ts.Do("POST", api+"/entries/"+c.entries[12]+"/submit", c.leaders[12].Token, nil)
	if e := testserver.AssertErrorShape(c.t, r); r.Status != 422 || e.Code != "ineligible" || e.Fields["members[2].birthDate"] == "" {
		c.t.Fatalf("ineligible submit: %d %s", r.Status, r.Body)
	}
	var ev entryView
	c.must(http.StatusOK, "GET", api+"/entries/"+c.entries[0], c.leaders[0].Token, nil, &ev)
	if ev.Status != "submitted" || len(ev.Attachments) != 1 || ev.Attachments[0].ContentType != "application/pdf" {
		c.t.Fatalf("entry after submit: %+v", ev)
	}
}

// review: all 12 submitted entries eligible, then entry 11 vetoed as
// outside the contest's scope; 11 entries compete.
func (c *contestRun) review() {
	for i := range 12 {
		c.must(http.StatusOK, "POST", api+"/entries/"+c.entries[i]+"/review", c.org.Token, map[string]string{"verdict": "eligible"}, nil)
	}
	c.must(http.StatusOK, "POST", api+"/entries/"+c.entries[11]+"/veto", c.org.Token, map[string]string{"reason": "项目与农业无关"}, nil)
}

func (c *contestRun) competing() []string { return c.entries[:11] }

// poolJudges: judge A works at team 0's organisation and judge B declared
// a conflict with entry 0, so entry 0 can get only 2 of its 3 judges.
func (c *contestRun) poolJudges() {
	c.judges = []testserver.User{c.judge(), c.judge(), c.judge(), c.judge()}
	pool := []map[string]any{
		{"org": "合作社0", "region": "210100", "expertise": []string{"种植"}},
		{"org": "沈阳农业大学", "region": "210200", "expertise": []string{"养殖"}, "declaredConflicts": []string{c.entries[0]}},
		{"org": "辽宁省农科院", "region": "210300", "expertise": []string{"智慧农业"}},
		{"org": "大连海洋大学", "region": "210400", "expertise": []string{"种植", "养殖"}},
	}
	for i, j := range c.judges {
		c.must(http.StatusOK, "PUT", api+"/editions/"+c.ed+"/judges/"+j.ID, c.org.Token, pool[i], nil)
	}
}

// assign: k=3, balanced loads, entry 0's shortfall explained, a re-run
// moves nothing, and withdrawing is now refused.
func (c *contestRun) assign() {
	var as assignment
	c.must(http.StatusOK, "POST", api+"/rounds/"+c.r1+"/assignment", c.org.Token, nil, &as)
	if len(as.Assignments) != 11*3-1 || as.Stats.MaxLoad-as.Stats.MinLoad > 1 {
		c.t.Fatalf("assignment: %d pairs, loads %d..%d", len(as.Assignments), as.Stats.MinLoad, as.Stats.MaxLoad)
	}
	if sf := as.Shortfalls; len(sf) != 1 || sf[0].EntryID != c.entries[0] || sf[0].Got != 2 || sf[0].SameOrg != 1 || sf[0].Declared != 1 || sf[0].Reason == "" {
		c.t.Fatalf("shortfalls: %+v", sf)
	}
	c.assigned = map[[2]string]bool{}
	for _, a := range as.Assignments {
		c.assigned[[2]string{a.EntryID, a.JudgeID}] = true
	}
	var again assignment
	c.must(http.StatusOK, "POST", api+"/rounds/"+c.r1+"/assignment", c.org.Token, nil, &again)
	if fmt.Sprint(again.Assignments) != fmt.Sprint(as.Assignments) {
		c.t.Fatal("a re-run moved assignments")
	}
	c.removeByHand()
	if r := c.ts.Do("POST", api+"/entries/"+c.entries[3]+"/withdraw", c.leaders[3].Token, nil); r.Status != 409 || r.ErrCode() != "judging_started" {
		c.t.Fatalf("late withdraw: %d %s", r.Status, r.Body)
	}
}

// removeByHand: an organiser removes one of entry 2's judges; the re-run
// gives entry 2 the one judge left over instead and keeps the rest.
func (c *contestRun) removeByHand() {
	var gone string
	for _, j := range c.judges {
		if c.assigned[[2]string{c.entries[2], j.ID}] {
			gone = j.ID
			break
		}
	}
	var as assignment
	c.must(http.StatusOK, "POST", api+"/rounds/"+c.r1+"/assignment/locks", c.org.Token,
		map[string]string{"entryId": c.entries[2], "judgeId": gone, "kind": "forbid"}, &as)
	next := map[[2]string]bool{}
	judgesOf2 := 0
	for _, a := range as.Assignments {
		next[[2]string{a.EntryID, a.JudgeID}] = true
		if a.EntryID == c.entries[2] {
			judgesOf2++
		}
	}
	if next[[2]string{c.entries[2], gone}] || judgesOf2 != 3 || len(as.Assignments) != len(c.assigned) {
		c.t.Fatalf("after removing %s from entry 2: %d judges, %d pairs", gone, judgesOf2, len(as.Assignments))
	}
	c.assigned = next
}

func (c *contestRun) sheetPath(entry string) string {
	return api + "/rounds/" + c.r1 + "/entries/" + entry + "/sheet"
}

// checkAccess: an assigned judge downloads the entry's plan, another team
// may not; a conflicted judge and an unassigned one may not score.
func (c *contestRun) checkAccess() {
	var j testserver.User
	for _, u := range c.judges {
		if c.assigned[[2]string{c.entries[5], u.ID}] {
			j = u
		}
	}
	var e entryView
	c.must(http.StatusOK, "GET", api+"/entries/"+c.entries[5], j.Token, nil, &e)
	file := c.must(http.StatusOK, "GET", e.Attachments[0].URL, j.Token, nil, nil)
	if !bytes.Equal(file.Body, pdf) || file.Header.Get("Content-Type") != "application/pdf" {
		c.t.Fatalf("download: %q %s", file.Body, file.Header.Get("Content-Type"))
	}
	if r := c.ts.Do("GET", e.Attachments[0].URL, c.leaders[6].Token, nil); r.Status != 403 {
		c.t.Fatalf("another team downloads: %d", r.Status)
	}
	if r := c.ts.Do("PUT", c.sheetPath(c.entries[0]), c.judges[0].Token, map[string]any{"scores": map[string]float64{}}); r.Status != 403 || r.ErrCode() != "conflict" {
		c.t.Fatalf("conflicted judge: %d %s", r.Status, r.Body)
	}
	for _, e := range c.competing()[1:] {
		if !c.assigned[[2]string{e, c.judges[2].ID}] {
			r := c.ts.Do("POST", c.sheetPath(e)+"/submit", c.judges[2].Token, map[string]any{"scores": sheet(0.5)})
			if r.Status != 403 || r.ErrCode() != "not_assigned" {
				c.t.Fatalf("unassigned entry: %d %s", r.Status, r.Body)
			}
			return
		}
	}
}

// handSheets give entry 1 the totals 100, 70 and 40: weighted mean 70,
// spread 60, population standard deviation √600, and a disagreement flag
// since 60 > 30% of the 0–100 range.
var handSheets = []map[string]float64{
	{"innovation": 30, "feasibility": 25, "market": 25, "team": 10, "social": 10},
	{"innovation": 20, "feasibility": 20, "market": 20, "team": 5, "social": 5},
	{"innovation": 10, "feasibility": 10, "market": 10, "team": 5, "social": 5},
}

// quality ranks the entries: entry 10 is best.
func quality(i int) float64 { return 0.35 + 0.05*float64(i) }

// score: judges submit every assigned sheet, two at a time, except the
// first pair, kept for scoreByHand.
func (c *contestRun) score() {
	var wg sync.WaitGroup
	for i, e := range c.competing() {
		n := 0
		for _, j := range c.judges {
			if !c.assigned[[2]string{e, j.ID}] {
				continue
			}
			s := sheet(quality(i))
			if i == 1 {
				s = handSheets[n]
			}
			n++
			if c.first.entry == "" {
				c.first = assignmentPair{e, j}
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := c.ts.Try("POST", c.sheetPath(e)+"/submit", j.Token, map[string]any{"scores": s, "comments": map[string]string{"overall": "好"}})
				if err != nil || r.Status != http.StatusCreated {
					c.t.Errorf("submit %s by %s: %d %s %v", e, j.ID, r.Status, r.Body, err)
				}
			}()
			if n%2 == 0 {
				wg.Wait() // two at a time: the machine has two cores
			}
		}
	}
	wg.Wait()
}

// scoreByHand: a draft, an out-of-range submission, two tabs submitting at
// once, an edit of the locked sheet, then a reopen and a resubmission.
func (c *contestRun) scoreByHand() {
	fp, jt := c.sheetPath(c.first.entry), c.first.judge.Token
	c.must(http.StatusOK, "PUT", fp, jt, map[string]any{"scores": map[string]float64{"innovation": 12}}, nil)
	var sv struct {
		Status string
		Scores map[string]float64
	}
	c.must(http.StatusOK, "GET", fp, jt, nil, &sv)
	if sv.Status != "draft" || sv.Scores["innovation"] != 12 {
		c.t.Fatalf("draft: %+v", sv)
	}
	bad := sheet(0.5)
	bad["innovation"] = 31
	if r := c.ts.Do("POST", fp+"/submit", jt, map[string]any{"scores": bad}); r.Status != 422 {
		c.t.Fatalf("out of range: %d %s", r.Status, r.Body)
	}
	statuses := concurrently(2, func(int) int {
		return status(c.ts.Try("POST", fp+"/submit", jt, map[string]any{"scores": sheet(quality(0))}))
	})
	if !sameCounts(statuses, map[int]int{201: 1, 409: 1}) {
		c.t.Fatalf("two tabs: %v", statuses)
	}
	if r := c.ts.Do("PUT", fp, jt, map[string]any{"scores": sheet(0.1)}); r.Status != 409 || r.ErrCode() != "sheet_locked" {
		c.t.Fatalf("edit after submit: %d %s", r.Status, r.Body)
	}
	c.must(http.StatusOK, "POST", api+"/rounds/"+c.r1+"/entries/"+c.first.entry+"/sheets/"+c.first.judge.ID+"/reopen", c.org.Token, map[string]string{"reason": "评委录入有误"}, nil)
	c.must(http.StatusOK, "GET", fp, jt, nil, &sv)
	if sv.Status != "draft" || sv.Scores["innovation"] != sheet(quality(0))["innovation"] {
		c.t.Fatalf("reopened sheet: %+v", sv)
	}
	c.must(http.StatusCreated, "POST", fp+"/submit", jt, map[string]any{"scores": sheet(quality(0))}, nil)
}

// aggregate checks entry 1 against the hand computation and the order.
func (c *contestRun) aggregate() {
	var res roundResults
	c.must(http.StatusOK, "GET", api+"/rounds/"+c.r1+"/results", c.org.Token, nil, &res)
	if len(res.Ranking) != 11 || len(res.Unscored) != 0 {
		c.t.Fatalf("ranking has %d entries, %d unscored", len(res.Ranking), len(res.Unscored))
	}
	hand := res.Ranking[slices.IndexFunc(res.Ranking, func(r rankedEntry) bool { return r.EntryID == c.entries[1] })]
	if hand.Score != 70 || hand.Raw != 70 || hand.Spread != 60 || math.Abs(hand.StdDev-math.Sqrt(600)) > 1e-9 || !hand.Disagreement || hand.Submitted != 3 {
		c.t.Fatalf("hand-computed entry: %+v", hand)
	}
	if !slices.Contains(res.Flagged, c.entries[1]) {
		c.t.Fatalf("entry 1 not flagged: %v", res.Flagged)
	}
	for _, r := range res.Ranking[:4] {
		c.top = append(c.top, r.EntryID)
	}
	if want := []string{c.entries[10], c.entries[9], c.entries[8], c.entries[7]}; !slices.Equal(c.top, want) {
		c.t.Fatalf("top 4 %v, want %v", c.top, want)
	}
}

// advance: the top 4, once; the decided round takes no more scores.
func (c *contestRun) advance() {
	var adv struct{ Advanced []string }
	c.must(http.StatusCreated, "POST", api+"/rounds/"+c.r1+"/advance", c.org.Token, nil, &adv)
	if !slices.Equal(adv.Advanced, c.top) {
		c.t.Fatalf("advanced %v, want %v", adv.Advanced, c.top)
	}
	if r := c.ts.Do("POST", api+"/rounds/"+c.r1+"/advance", c.org.Token, nil); r.Status != 409 {
		c.t.Fatalf("second advance: %d %s", r.Status, r.Body)
	}
	if r := c.ts.Do("POST", c.sheetPath(c.first.entry)+"/submit", c.first.judge.Token, map[string]any{"scores": sheet(0.5)}); r.Status != 409 {
		c.t.Fatalf("scoring a decided round: %d %s", r.Status, r.Body)
	}
}

// pairwiseFinal: each judge compares every pair Crowd-BT offers until
// none is left, the better entry winning; judge D sometimes votes the
// wrong way first and undoes it. The ranking must be round 1's order.
func (c *contestRun) pairwiseFinal() {
	better := map[string]int{}
	for i, e := range c.entries {
		better[e] = i
	}
	votes := 0
	for ji, j := range c.judges {
		for {
			var p struct {
				Done bool
				A, B *struct{ ID string }
			}
			c.must(http.StatusOK, "GET", api+"/rounds/"+c.r2+"/pairs/next", j.Token, nil, &p)
			if p.Done {
				break
			}
			w, l := p.A.ID, p.B.ID
			if better[l] > better[w] {
				w, l = l, w
			}
			if ji == 3 && votes%7 == 0 {
				var v struct{ Seq int64 }
				c.must(http.StatusCreated, "POST", api+"/rounds/"+c.r2+"/votes", j.Token, map[string]string{"winner": l, "loser": w}, &v)
				c.must(http.StatusOK, "POST", api+"/rounds/"+c.r2+"/votes/undo", j.Token, map[string]int64{"seq": v.Seq}, nil)
			}
			c.must(http.StatusCreated, "POST", api+"/rounds/"+c.r2+"/votes", j.Token, map[string]string{"winner": w, "loser": l}, nil)
			votes++
		}
	}
	if votes < 12 {
		c.t.Fatalf("only %d votes", votes)
	}
	var final roundResults
	c.must(http.StatusOK, "GET", api+"/rounds/"+c.r2+"/results", c.org.Token, nil, &final)
	var order []string
	for _, r := range final.Ranking {
		order = append(order, r.EntryID)
	}
	if !slices.Equal(order, c.top) {
		c.t.Fatalf("Crowd-BT order %v, want %v", order, c.top)
	}
}

// awardAndPublish: tiers by count; five organisers publish at once and
// one succeeds; the public page needs no token; the team sees its prize.
func (c *contestRun) awardAndPublish() {
	var aw struct {
		Awards []struct{ EntryID, Tier string }
	}
	c.must(http.StatusCreated, "POST", api+"/rounds/"+c.r2+"/awards", c.org.Token, nil, &aw)
	if len(aw.Awards) != 4 || aw.Awards[0].EntryID != c.entries[10] || aw.Awards[0].Tier != "一等奖" || aw.Awards[3].Tier != "优秀奖" {
		c.t.Fatalf("awards: %+v", aw.Awards)
	}
	statuses := concurrently(5, func(int) int { return status(c.ts.Try("POST", api+"/editions/"+c.ed+"/publish", c.org.Token, nil)) })
	if !sameCounts(statuses, map[int]int{201: 1, 409: 4}) {
		c.t.Fatalf("publish: %v", statuses)
	}
	var pub struct {
		Entries []struct {
			Entry, Award string
			Rounds       []string
		}
	}
	c.must(http.StatusOK, "GET", api+"/editions/"+c.ed+"/results", "", nil, &pub)
	if len(pub.Entries) != 11 || pub.Entries[0].Entry != c.entries[10] || pub.Entries[0].Award != "一等奖" || len(pub.Entries[0].Rounds) != 2 {
		c.t.Fatalf("public results: %+v", pub.Entries)
	}
	var mine struct {
		Published bool
		Result    struct{ Award string }
	}
	c.must(http.StatusOK, "GET", api+"/entries/"+c.entries[10]+"/result", c.leaders[10].Token, nil, &mine)
	if !mine.Published || mine.Result.Award != "一等奖" {
		c.t.Fatalf("team result: %+v", mine)
	}
}

type assignmentPair struct {
	entry string
	judge testserver.User
}

func checkExports(t *testing.T, f *fixture, ed string) {
	csv := f.must(http.StatusOK, "GET", api+"/editions/"+ed+"/export/entries?format=csv", f.org.Token, nil, nil)
	if !bytes.HasPrefix(csv.Body, []byte("\xEF\xBB\xBFid,title")) || bytes.Count(csv.Body, []byte("\r\n")) != 14 {
		t.Fatalf("entries CSV: %q", csv.Body[:min(200, len(csv.Body))])
	}
	x := f.must(http.StatusOK, "GET", api+"/editions/"+ed+"/export/results?format=xlsx", f.org.Token, nil, nil)
	path := filepath.Join(t.TempDir(), "results.xlsx")
	if err := os.WriteFile(path, x.Body, 0o600); err != nil {
		t.Fatal(err)
	}
	rd, err := tabular.Open(path)
	if err != nil {
		t.Fatalf("open XLSX: %v", err)
	}
	defer rd.Close()
	if h := rd.Header(); len(h) < 3 || h[0] != "round" || h[2] != "entry" {
		t.Fatalf("XLSX header %v", h)
	}
	rows := 0
	awarded := 0
	for {
		row, _, err := rd.Next()
		if err != nil {
			break
		}
		rows++
		if row[len(row)-1] == "一等奖" {
			awarded++
		}
	}
	if rows != 11+4 || awarded != 1 {
		t.Fatalf("XLSX has %d rows, %d first prizes", rows, awarded)
	}
}

// checkAudit: every state change is in the log, in the order it happened.
func checkAudit(t *testing.T, f *fixture, ed string) {
	var log struct {
		Items []struct{ ID, Kind, Reason string }
		Next  string
	}
	f.must(http.StatusOK, "GET", api+"/editions/"+ed+"/audit?limit=500", f.org.Token, nil, &log)
	count := map[string]int{}
	var kinds []string
	for _, ev := range log.Items {
		count[ev.Kind]++
		if len(kinds) == 0 || kinds[len(kinds)-1] != ev.Kind {
			kinds = append(kinds, ev.Kind)
		}
		if ev.Kind == "score_reopened" && ev.Reason != "评委录入有误" {
			t.Errorf("reopen reason %q", ev.Reason)
		}
	}
	want := map[string]int{"entry_submitted": 12, "entry_reviewed": 12, "entry_vetoed": 1, "judge_saved": 4, "assignment_run": 3, "assignment_lock": 1,
		"score_submitted": 11*3 - 1 + 1, "score_reopened": 1, "advanced": 1, "awarded": 1, "published": 1}
	for k, n := range want {
		if count[k] != n {
			t.Errorf("audit has %d %s, want %d", count[k], k, n)
		}
	}
	if count["vote_undone"] < 1 || count["vote"] != count["vote_undone"]+12 && count["vote"] < 13 {
		t.Errorf("votes %d, undone %d", count["vote"], count["vote_undone"])
	}
	pos := func(kind string) int { return slices.Index(kinds, kind) }
	order := []string{"edition_saved", "entry_submitted", "entry_reviewed", "entry_vetoed", "judge_saved", "assignment_run",
		"score_submitted", "score_reopened", "advanced", "vote", "awarded", "published"}
	for i := 1; i < len(order); i++ {
		if pos(order[i-1]) < 0 || pos(order[i-1]) > pos(order[i]) {
			t.Errorf("audit order: %s should come before %s in %v", order[i-1], order[i], kinds)
		}
	}
}

// concurrently runs fn n times at once and returns the results.
func concurrently(n int, fn func(i int) int) []int {
	out := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out[i] = fn(i)
		}()
	}
	close(start)
	wg.Wait()
	return out
}

// status is a response's status, or -1 for a transport error (Try is
// what goroutines may call: Do fails the test from the wrong goroutine).
func status(r testserver.Resp, err error) int {
	if err != nil {
		return -1
	}
	return r.Status
}

func sameCounts(got []int, want map[int]int) bool {
	c := map[int]int{}
	for _, s := range got {
		c[s]++
	}
	return fmt.Sprint(c) == fmt.Sprint(want)
}

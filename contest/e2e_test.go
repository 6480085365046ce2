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
		EntryID                                 string
		Want, Got, Available, Declared, SameOrg int
		Reason                                  string
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

// TestContestEndToEnd runs one edition through the HTTP API, from
// registration to published results, exports and the audit log.
func TestContestEndToEnd(t *testing.T) {
	f := newFixture(t)
	ts := f.ts
	ed := f.edition(editionBody(2026, 45))
	r1 := f.round(ed, scoredRound(1, 3, 4))
	r2 := f.round(ed, pairwiseFinal(2))

	// Registration: 13 teams, each with a PDF business plan.
	const teams = 13
	leaders := make([]testserver.User, teams)
	entries := make([]string, teams)
	for i := range teams {
		leaders[i] = ts.Register("farmer")
		entries[i] = f.entry(ed, leaders[i], i, fmt.Sprintf("合作社%d", i))
		r := f.upload(entries[i], leaders[i], "plan.pdf", pdf)
		if r.Status != http.StatusCreated {
			t.Fatalf("upload: %d %s", r.Status, r.Body)
		}
	}
	// Team 12 adds an advisor born in 1970: over the age limit of 45.
	body := entryBody("", leaders[12], 12, "合作社12")
	body["members"] = append(body["members"].([]any), map[string]any{"name": "老张", "phone": testserver.NewPhone(), "org": "农大", "role": "advisor", "region": "210300", "birthDate": "1970-01-01"})
	f.must(http.StatusOK, "PUT", api+"/entries/"+entries[12], leaders[12].Token, body, nil)
	for i := range 12 {
		f.must(http.StatusOK, "POST", api+"/entries/"+entries[i]+"/submit", leaders[i].Token, nil, nil)
	}
	r := ts.Do("POST", api+"/entries/"+entries[12]+"/submit", leaders[12].Token, nil)
	if e := testserver.AssertErrorShape(t, r); r.Status != 422 || e.Code != "ineligible" || e.Fields["members[2].birthDate"] == "" {
		t.Fatalf("ineligible submit: %d %s", r.Status, r.Body)
	}
	var ev entryView
	f.must(http.StatusOK, "GET", api+"/entries/"+entries[0], leaders[0].Token, nil, &ev)
	if ev.Status != "submitted" || len(ev.Attachments) != 1 || ev.Attachments[0].ContentType != "application/pdf" {
		t.Fatalf("entry after submit: %+v", ev)
	}

	// Review: all 12 eligible, then entry 11 vetoed (outside the scope).
	for i := range 12 {
		f.must(http.StatusOK, "POST", api+"/entries/"+entries[i]+"/review", f.org.Token, map[string]string{"verdict": "eligible"}, nil)
	}
	f.must(http.StatusOK, "POST", api+"/entries/"+entries[11]+"/veto", f.org.Token, map[string]string{"reason": "项目与农业无关"}, nil)
	competing := entries[:11]

	// Judges: A works at team 0's organisation, B declared a conflict with
	// entry 0, so entry 0 can only get 2 of its 3 judges.
	judges := []testserver.User{f.judge(), f.judge(), f.judge(), f.judge()}
	pool := []map[string]any{
		{"org": "合作社0", "region": "210100", "expertise": []string{"种植"}},
		{"org": "沈阳农业大学", "region": "210200", "expertise": []string{"养殖"}, "declaredConflicts": []string{entries[0]}},
		{"org": "辽宁省农科院", "region": "210300", "expertise": []string{"智慧农业"}},
		{"org": "大连海洋大学", "region": "210400", "expertise": []string{"种植", "养殖"}},
	}
	for i, j := range judges {
		f.must(http.StatusOK, "PUT", api+"/editions/"+ed+"/judges/"+j.ID, f.org.Token, pool[i], nil)
	}

	var as assignment
	f.must(http.StatusOK, "POST", api+"/rounds/"+r1+"/assignment", f.org.Token, nil, &as)
	if len(as.Assignments) != 11*3-1 || as.Stats.MaxLoad-as.Stats.MinLoad > 1 {
		t.Fatalf("assignment: %d pairs, loads %d..%d", len(as.Assignments), as.Stats.MinLoad, as.Stats.MaxLoad)
	}
	if len(as.Shortfalls) != 1 || as.Shortfalls[0].EntryID != entries[0] || as.Shortfalls[0].Got != 2 ||
		as.Shortfalls[0].SameOrg != 1 || as.Shortfalls[0].Declared != 1 || as.Shortfalls[0].Reason == "" {
		t.Fatalf("shortfalls: %+v", as.Shortfalls)
	}
	assigned := map[[2]string]bool{}
	for _, a := range as.Assignments {
		assigned[[2]string{a.EntryID, a.JudgeID}] = true
	}
	// Re-running with nothing changed moves nothing.
	var again assignment
	f.must(http.StatusOK, "POST", api+"/rounds/"+r1+"/assignment", f.org.Token, nil, &again)
	if fmt.Sprint(again.Assignments) != fmt.Sprint(as.Assignments) {
		t.Fatal("a re-run moved assignments")
	}
	// Withdrawing after judging started is refused.
	if r := ts.Do("POST", api+"/entries/"+entries[3]+"/withdraw", leaders[3].Token, nil); r.Status != 409 || r.ErrCode() != "judging_started" {
		t.Fatalf("late withdraw: %d %s", r.Status, r.Body)
	}

	// Attachments: the entry's judges and team read them, others may not.
	for pair := range assigned {
		if pair[0] != entries[5] {
			continue
		}
		j := judges[slices.IndexFunc(judges, func(u testserver.User) bool { return u.ID == pair[1] })]
		var e entryView
		f.must(http.StatusOK, "GET", api+"/entries/"+entries[5], j.Token, nil, &e)
		file := f.must(http.StatusOK, "GET", e.Attachments[0].URL, j.Token, nil, nil)
		if !bytes.Equal(file.Body, pdf) || file.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("download: %q %s", file.Body, file.Header.Get("Content-Type"))
		}
		if r := ts.Do("GET", e.Attachments[0].URL, leaders[6].Token, nil); r.Status != 403 {
			t.Fatalf("another team downloads: %d", r.Status)
		}
		break
	}
	sheetPath := func(entry string) string { return api + "/rounds/" + r1 + "/entries/" + entry + "/sheet" }
	// A judge with a conflict, and one not assigned, may not score.
	if r := ts.Do("PUT", sheetPath(entries[0]), judges[0].Token, map[string]any{"scores": map[string]float64{}}); r.Status != 403 || r.ErrCode() != "conflict" {
		t.Fatalf("conflicted judge: %d %s", r.Status, r.Body)
	}
	var unassignedEntry string
	for _, e := range competing[1:] {
		if !assigned[[2]string{e, judges[2].ID}] {
			unassignedEntry = e
			break
		}
	}
	if r := ts.Do("POST", sheetPath(unassignedEntry)+"/submit", judges[2].Token, map[string]any{"scores": sheet(0.5)}); r.Status != 403 || r.ErrCode() != "not_assigned" {
		t.Fatalf("unassigned entry: %d %s", r.Status, r.Body)
	}

	// Hand-computed case: entry 1 gets totals 100, 70 and 40 from its
	// three judges: weighted mean 70, spread 60, population standard
	// deviation √600, flagged since 60 > 30% of the 0–100 range.
	handSheets := []map[string]float64{
		{"innovation": 30, "feasibility": 25, "market": 25, "team": 10, "social": 10},
		{"innovation": 20, "feasibility": 20, "market": 20, "team": 5, "social": 5},
		{"innovation": 10, "feasibility": 10, "market": 10, "team": 5, "social": 5},
	}
	quality := func(i int) float64 { return 0.35 + 0.05*float64(i) } // entry 10 is best
	var first assignmentPair
	var wg sync.WaitGroup
	for i, e := range competing {
		n := 0
		for _, j := range judges {
			if !assigned[[2]string{e, j.ID}] {
				continue
			}
			s := sheet(quality(i))
			if i == 1 {
				s = handSheets[n]
			}
			n++
			if first.entry == "" {
				first = assignmentPair{e, j}
				continue // scored below, with drafts and two tabs
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := ts.Try("POST", sheetPath(e)+"/submit", j.Token, map[string]any{"scores": s, "comments": map[string]string{"overall": "好"}})
				if err != nil || r.Status != http.StatusCreated {
					t.Errorf("submit %s by %s: %d %s", e, j.ID, r.Status, r.Body)
				}
			}()
			if n%2 == 0 {
				wg.Wait() // two at a time: the machine has two cores
			}
		}
	}
	wg.Wait()

	// The first pair: a draft, an out-of-range submission, then two tabs.
	fp := sheetPath(first.entry)
	f.must(http.StatusOK, "PUT", fp, first.judge.Token, map[string]any{"scores": map[string]float64{"innovation": 12}}, nil)
	var sv struct {
		Status string
		Scores map[string]float64
	}
	f.must(http.StatusOK, "GET", fp, first.judge.Token, nil, &sv)
	if sv.Status != "draft" || sv.Scores["innovation"] != 12 {
		t.Fatalf("draft: %+v", sv)
	}
	bad := sheet(0.5)
	bad["innovation"] = 31
	if r := ts.Do("POST", fp+"/submit", first.judge.Token, map[string]any{"scores": bad}); r.Status != 422 {
		t.Fatalf("out of range: %d %s", r.Status, r.Body)
	}
	statuses := concurrently(2, func(int) int {
		return status(ts.Try("POST", fp+"/submit", first.judge.Token, map[string]any{"scores": sheet(quality(0))}))
	})
	if !sameCounts(statuses, map[int]int{201: 1, 409: 1}) {
		t.Fatalf("two tabs: %v", statuses)
	}
	if r := ts.Do("PUT", fp, first.judge.Token, map[string]any{"scores": sheet(0.1)}); r.Status != 409 || r.ErrCode() != "sheet_locked" {
		t.Fatalf("edit after submit: %d %s", r.Status, r.Body)
	}
	// Reopen with a reason; the judge submits a corrected sheet.
	f.must(http.StatusOK, "POST", api+"/rounds/"+r1+"/entries/"+first.entry+"/sheets/"+first.judge.ID+"/reopen", f.org.Token, map[string]string{"reason": "评委录入有误"}, nil)
	f.must(http.StatusCreated, "POST", fp+"/submit", first.judge.Token, map[string]any{"scores": sheet(quality(0))}, nil)

	// Aggregation.
	var res roundResults
	f.must(http.StatusOK, "GET", api+"/rounds/"+r1+"/results", f.org.Token, nil, &res)
	if len(res.Ranking) != 11 || len(res.Unscored) != 0 {
		t.Fatalf("ranking has %d entries, %d unscored", len(res.Ranking), len(res.Unscored))
	}
	hand := res.Ranking[slices.IndexFunc(res.Ranking, func(r rankedEntry) bool { return r.EntryID == entries[1] })]
	if hand.Score != 70 || hand.Raw != 70 || hand.Spread != 60 || math.Abs(hand.StdDev-math.Sqrt(600)) > 1e-9 || !hand.Disagreement || hand.Submitted != 3 {
		t.Fatalf("hand-computed entry: %+v", hand)
	}
	if !slices.Contains(res.Flagged, entries[1]) {
		t.Fatalf("entry 1 not flagged: %v", res.Flagged)
	}
	var top []string
	for _, r := range res.Ranking[:4] {
		top = append(top, r.EntryID)
	}
	if want := []string{entries[10], entries[9], entries[8], entries[7]}; !slices.Equal(top, want) {
		t.Fatalf("top 4 %v, want %v", top, want)
	}

	// Advancement, once.
	var adv struct{ Advanced []string }
	f.must(http.StatusCreated, "POST", api+"/rounds/"+r1+"/advance", f.org.Token, nil, &adv)
	if !slices.Equal(adv.Advanced, top) {
		t.Fatalf("advanced %v, want %v", adv.Advanced, top)
	}
	if r := ts.Do("POST", api+"/rounds/"+r1+"/advance", f.org.Token, nil); r.Status != 409 {
		t.Fatalf("second advance: %d %s", r.Status, r.Body)
	}
	if r := ts.Do("POST", sheetPath(first.entry)+"/submit", first.judge.Token, map[string]any{"scores": sheet(0.5)}); r.Status != 409 {
		t.Fatalf("scoring a decided round: %d %s", r.Status, r.Body)
	}

	// The pairwise final: each judge compares every pair they may see; the
	// better entry (higher index) wins. Judge D first votes wrongly and undoes.
	rank := map[string]int{}
	for i, e := range entries {
		rank[e] = i
	}
	votes := 0
	for ji, j := range judges {
		for {
			var p struct {
				Done bool
				A, B *struct{ ID string }
			}
			f.must(http.StatusOK, "GET", api+"/rounds/"+r2+"/pairs/next", j.Token, nil, &p)
			if p.Done {
				break
			}
			w, l := p.A.ID, p.B.ID
			if rank[l] > rank[w] {
				w, l = l, w
			}
			if ji == 3 && votes%7 == 0 {
				var v struct{ Seq int64 }
				f.must(http.StatusCreated, "POST", api+"/rounds/"+r2+"/votes", j.Token, map[string]string{"winner": l, "loser": w}, &v)
				f.must(http.StatusOK, "POST", api+"/rounds/"+r2+"/votes/undo", j.Token, map[string]int64{"seq": v.Seq}, nil)
			}
			f.must(http.StatusCreated, "POST", api+"/rounds/"+r2+"/votes", j.Token, map[string]string{"winner": w, "loser": l}, nil)
			votes++
		}
	}
	if votes < 12 {
		t.Fatalf("only %d votes", votes)
	}
	var final roundResults
	f.must(http.StatusOK, "GET", api+"/rounds/"+r2+"/results", f.org.Token, nil, &final)
	var order []string
	for _, r := range final.Ranking {
		order = append(order, r.EntryID)
	}
	if !slices.Equal(order, top) {
		t.Fatalf("Crowd-BT order %v, want %v", order, top)
	}

	// Awards, then publication: five organisers' clicks at once, one wins.
	var aw struct {
		Awards []struct{ EntryID, Tier string }
	}
	f.must(http.StatusCreated, "POST", api+"/rounds/"+r2+"/awards", f.org.Token, nil, &aw)
	if len(aw.Awards) != 4 || aw.Awards[0].EntryID != entries[10] || aw.Awards[0].Tier != "一等奖" || aw.Awards[3].Tier != "优秀奖" {
		t.Fatalf("awards: %+v", aw.Awards)
	}
	statuses = concurrently(5, func(int) int { return status(ts.Try("POST", api+"/editions/"+ed+"/publish", f.org.Token, nil)) })
	if !sameCounts(statuses, map[int]int{201: 1, 409: 4}) {
		t.Fatalf("publish: %v", statuses)
	}
	var pub struct {
		Entries []struct {
			Entry, Award string
			Rounds       []string
		}
	}
	f.must(http.StatusOK, "GET", api+"/editions/"+ed+"/results", "", nil, &pub)
	if len(pub.Entries) != 11 || pub.Entries[0].Entry != entries[10] || pub.Entries[0].Award != "一等奖" || len(pub.Entries[0].Rounds) != 2 {
		t.Fatalf("public results: %+v", pub.Entries)
	}
	var mine struct {
		Published bool
		Result    struct{ Award string }
	}
	f.must(http.StatusOK, "GET", api+"/entries/"+entries[10]+"/result", leaders[10].Token, nil, &mine)
	if !mine.Published || mine.Result.Award != "一等奖" {
		t.Fatalf("team result: %+v", mine)
	}

	checkExports(t, f, ed)
	checkAudit(t, f, ed)
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
	want := map[string]int{"entry_submitted": 12, "entry_reviewed": 12, "entry_vetoed": 1, "judge_saved": 4, "assignment_run": 2,
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

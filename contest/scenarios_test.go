package contest_test

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"github.com/liaoning12316/agrimaker/internal/testserver"
)

// png is the signature http.DetectContentType knows a PNG by.
var png = []byte("\x89PNG\r\n\x1a\n0000")

// TestContestRoutes checks each route's answers per role and input: 401
// without a token, 403 for the wrong role, 404 for unknown ids, 422 for
// bad input and 409 for conflicts.
func TestContestRoutes(t *testing.T) {
	f := newFixture(t)
	ts := f.ts
	ed := f.edition(editionBody(2027, 0))
	r1 := f.round(ed, scoredRound(1, 1, 2))
	closed := editionBody(2025, 0)
	closed["registration"] = map[string]any{"opens": testserver.FromNow(-48 * time.Hour), "closes": testserver.FromNow(-24 * time.Hour)}
	closedEd := f.edition(closed)

	leader, stranger := ts.Register("farmer"), ts.Register("farmer")
	entry := f.entry(ed, leader, 1, "合作社A")
	leader2 := ts.Register("farmer")
	entry2 := f.entry(ed, leader2, 2, "合作社B")
	judge, outsider := f.judge(), f.judge()
	f.must(http.StatusOK, "PUT", api+"/editions/"+ed+"/judges/"+judge.ID, f.org.Token, map[string]any{"org": "农科院", "region": "210100"}, nil)

	o, l, s, j := f.org.Token, leader.Token, stranger.Token, judge.Token
	const none = "0123456789abcdef01234567"
	dup := entryBody(ed, ts.Register("farmer"), 3, "x")
	dup["members"] = append(dup["members"].([]any), map[string]any{"name": "重复", "phone": leader.Phone, "org": "x", "role": "member", "region": "210100"})
	badPhone := entryBody(ed, leader, 4, "x")
	badPhone["members"].([]any)[1].(map[string]any)["phone"] = "12345"
	badTrack := entryBody(ed, leader, 4, "x")
	badTrack["track"] = "捕鱼"
	badRubric := scoredRound(2, 3, 1)
	badRubric["rubric"] = map[string]any{"criteria": []any{map[string]any{"key": "a", "name": "a", "weight": 0, "min": 0, "max": 10}}}
	sheetPath := api + "/rounds/" + r1 + "/entries/" + entry + "/sheet"
	bigImage := append(append([]byte{}, png...), bytes.Repeat([]byte{0}, 5<<20)...)
	image := append(append([]byte{}, png...), bytes.Repeat([]byte{0}, 2<<20)...) // over the 1 MiB JSON limit
	upload := func(name, entry, token string, body []byte, code int, errCode string) testserver.Scenario {
		return testserver.Scenario{Name: name, Method: "POST", Path: api + "/entries/" + entry + "/attachments?name=f.bin", Token: token,
			Body: body, Headers: []string{"Content-Type", "application/octet-stream"}, WantStatus: code, WantCode: errCode}
	}

	ts.RunScenarios(t, []testserver.Scenario{
		{Name: "create edition without token", Method: "POST", Path: api + "/editions", Body: editionBody(2028, 0), WantStatus: 401},
		{Name: "create edition as farmer", Method: "POST", Path: api + "/editions", Token: s, Body: editionBody(2028, 0), WantStatus: 403},
		{Name: "create edition without tracks", Method: "POST", Path: api + "/editions", Token: o, Body: map[string]any{"year": 2028, "name": "x"}, WantStatus: 422, WantFields: []string{"tracks"}},
		{Name: "list editions without token", Method: "GET", Path: api + "/editions", WantStatus: 200},
		{Name: "unknown edition", Method: "GET", Path: api + "/editions/" + none, WantStatus: 404, WantCode: "not_found"},
		{Name: "update unknown edition", Method: "PUT", Path: api + "/editions/" + none, Token: o, Body: editionBody(2027, 0), WantStatus: 404},
		{Name: "update edition as farmer", Method: "PUT", Path: api + "/editions/" + ed, Token: s, Body: editionBody(2027, 0), WantStatus: 403},
		{Name: "round seq taken", Method: "POST", Path: api + "/editions/" + ed + "/rounds", Token: o, Body: scoredRound(1, 3, 1), WantStatus: 409, WantCode: "round_exists"},
		{Name: "round with a zero weight", Method: "POST", Path: api + "/editions/" + ed + "/rounds", Token: o, Body: badRubric, WantStatus: 422, WantFields: []string{"rubric"}},
		{Name: "round of unknown edition", Method: "POST", Path: api + "/editions/" + none + "/rounds", Token: o, Body: scoredRound(1, 3, 1), WantStatus: 404},
		{Name: "unknown round", Method: "GET", Path: api + "/rounds/" + none, WantStatus: 404},

		{Name: "register without token", Method: "POST", Path: api + "/entries", Body: entryBody(ed, leader, 5, "x"), WantStatus: 401},
		{Name: "register a bad phone", Method: "POST", Path: api + "/entries", Token: l, Body: badPhone, WantStatus: 422, WantFields: []string{"members[1].phone"}},
		{Name: "register an unknown track", Method: "POST", Path: api + "/entries", Token: l, Body: badTrack, WantStatus: 422, WantFields: []string{"track"}},
		{Name: "register after the window", Method: "POST", Path: api + "/entries", Token: s, Body: entryBody(closedEd, stranger, 6, "x"), WantStatus: 409, WantCode: "registration_closed"},
		{Name: "a person on two teams", Method: "POST", Path: api + "/entries", Token: s, Body: dup, WantStatus: 409, WantCode: "member_taken"},
		{Name: "edit someone else's entry", Method: "PUT", Path: api + "/entries/" + entry, Token: s, Body: entryBody("", leader, 1, "x"), WantStatus: 403},
		{Name: "edit unknown entry", Method: "PUT", Path: api + "/entries/" + none, Token: l, Body: entryBody("", leader, 1, "x"), WantStatus: 404},
		{Name: "read someone else's entry", Method: "GET", Path: api + "/entries/" + entry, Token: s, WantStatus: 403},
		{Name: "read own entry", Method: "GET", Path: api + "/entries/" + entry, Token: l, WantStatus: 200},
		{Name: "my entries without token", Method: "GET", Path: api + "/me/entries", WantStatus: 401},
		{Name: "my entries", Method: "GET", Path: api + "/me/entries", Token: l, WantStatus: 200},

		upload("upload text", entry, l, []byte("just some text, not a PDF"), 415, "bad_attachment"),
		upload("upload an image over 5 MiB", entry, l, bigImage, 413, "too_large"),
		upload("upload to someone else's entry", entry, s, pdf, 403, ""),
		upload("upload a 2 MiB image", entry, l, image, 201, ""),
		{Name: "upload without a name", Method: "POST", Path: api + "/entries/" + entry + "/attachments", Token: l, Body: pdf, WantStatus: 422, WantFields: []string{"name"}},
		{Name: "unknown attachment id", Method: "GET", Path: api + "/attachments/" + none, Token: l, WantStatus: 404},

		{Name: "submit someone else's entry", Method: "POST", Path: api + "/entries/" + entry + "/submit", Token: s, WantStatus: 403},
		{Name: "submit", Method: "POST", Path: api + "/entries/" + entry + "/submit", Token: l, WantStatus: 200},
		{Name: "submit twice", Method: "POST", Path: api + "/entries/" + entry + "/submit", Token: l, WantStatus: 409, WantCode: "already_submitted"},
		{Name: "edit after submit", Method: "PUT", Path: api + "/entries/" + entry, Token: l, Body: entryBody("", leader, 1, "x"), WantStatus: 409, WantCode: "not_draft"},
		{Name: "review a draft", Method: "POST", Path: api + "/entries/" + entry2 + "/review", Token: o, Body: map[string]string{"verdict": "eligible"}, WantStatus: 409, WantCode: "not_submitted"},
		{Name: "review as farmer", Method: "POST", Path: api + "/entries/" + entry + "/review", Token: s, Body: map[string]string{"verdict": "eligible"}, WantStatus: 403},
		{Name: "review with a bad verdict", Method: "POST", Path: api + "/entries/" + entry + "/review", Token: o, Body: map[string]string{"verdict": "ok"}, WantStatus: 422, WantFields: []string{"verdict"}},
		{Name: "ineligible without reason", Method: "POST", Path: api + "/entries/" + entry + "/review", Token: o, Body: map[string]string{"verdict": "ineligible"}, WantStatus: 422, WantFields: []string{"reason"}},
		{Name: "review unknown entry", Method: "POST", Path: api + "/entries/" + none + "/review", Token: o, Body: map[string]string{"verdict": "eligible"}, WantStatus: 404},
		{Name: "review", Method: "POST", Path: api + "/entries/" + entry + "/review", Token: o, Body: map[string]string{"verdict": "eligible"}, WantStatus: 200},
		{Name: "veto without reason", Method: "POST", Path: api + "/entries/" + entry2 + "/veto", Token: o, Body: map[string]string{}, WantStatus: 422, WantFields: []string{"reason"}},
		{Name: "withdraw", Method: "POST", Path: api + "/entries/" + entry2 + "/withdraw", Token: leader2.Token, WantStatus: 200},
		{Name: "withdraw twice", Method: "POST", Path: api + "/entries/" + entry2 + "/withdraw", Token: leader2.Token, WantStatus: 409, WantCode: "already_withdrawn"},
		{Name: "a withdrawn team's member is free", Method: "POST", Path: api + "/entries", Token: leader2.Token, Body: entryBody(ed, leader2, 7, "x"), WantStatus: 201},

		{Name: "pool a user without the judge role", Method: "PUT", Path: api + "/editions/" + ed + "/judges/" + stranger.ID, Token: o, Body: map[string]any{"org": "x", "region": "210100"}, WantStatus: 409, WantCode: "not_a_judge"},
		{Name: "pool a judge outside Liaoning", Method: "PUT", Path: api + "/editions/" + ed + "/judges/" + judge.ID, Token: o, Body: map[string]any{"org": "x", "region": "110000"}, WantStatus: 422, WantFields: []string{"region"}},
		{Name: "pool as farmer", Method: "PUT", Path: api + "/editions/" + ed + "/judges/" + judge.ID, Token: s, Body: map[string]any{"org": "x", "region": "210100"}, WantStatus: 403},
		{Name: "pool of unknown edition", Method: "PUT", Path: api + "/editions/" + none + "/judges/" + judge.ID, Token: o, Body: map[string]any{"org": "x", "region": "210100"}, WantStatus: 404},
		{Name: "list pool", Method: "GET", Path: api + "/editions/" + ed + "/judges", Token: o, WantStatus: 200},
		{Name: "assignment before a run", Method: "GET", Path: api + "/rounds/" + r1 + "/assignment", Token: o, WantStatus: 404, WantCode: "not_assigned"},
		{Name: "run assignment as judge", Method: "POST", Path: api + "/rounds/" + r1 + "/assignment", Token: j, WantStatus: 403},
		{Name: "run assignment of unknown round", Method: "POST", Path: api + "/rounds/" + none + "/assignment", Token: o, WantStatus: 404},
		{Name: "run assignment", Method: "POST", Path: api + "/rounds/" + r1 + "/assignment", Token: o, WantStatus: 200},
		{Name: "lock with a bad kind", Method: "POST", Path: api + "/rounds/" + r1 + "/assignment/locks", Token: o, Body: map[string]string{"entryId": entry, "judgeId": judge.ID, "kind": "maybe"}, WantStatus: 422, WantFields: []string{"kind"}},
		{Name: "lock an entry not in the round", Method: "POST", Path: api + "/rounds/" + r1 + "/assignment/locks", Token: o, Body: map[string]string{"entryId": entry2, "judgeId": judge.ID, "kind": "force"}, WantStatus: 422, WantFields: []string{"entryId"}},
		{Name: "update a started round", Method: "PUT", Path: api + "/rounds/" + r1, Token: o, Body: scoredRound(1, 2, 2), WantStatus: 409, WantCode: "round_started"},

		{Name: "judge reads an entry not assigned to them", Method: "GET", Path: api + "/entries/" + entry2, Token: j, WantStatus: 403},
		{Name: "judge reads an assigned entry", Method: "GET", Path: api + "/entries/" + entry, Token: j, WantStatus: 200},
		{Name: "sheet as farmer", Method: "GET", Path: sheetPath, Token: s, WantStatus: 403},
		{Name: "sheet by a judge not in the pool", Method: "GET", Path: sheetPath, Token: outsider.Token, WantStatus: 403, WantCode: "not_in_pool"},
		{Name: "sheet of an entry not in the round", Method: "GET", Path: api + "/rounds/" + r1 + "/entries/" + none + "/sheet", Token: j, WantStatus: 404},
		{Name: "sheet draft out of range", Method: "PUT", Path: sheetPath, Token: j, Body: map[string]any{"scores": map[string]float64{"team": 11}}, WantStatus: 422, WantFields: []string{"scores"}},
		{Name: "sheet with an unknown criterion", Method: "PUT", Path: sheetPath, Token: j, Body: map[string]any{"scores": map[string]float64{"luck": 1}}, WantStatus: 422, WantFields: []string{"scores"}},
		{Name: "incomplete submission", Method: "POST", Path: sheetPath + "/submit", Token: j, Body: map[string]any{"scores": map[string]float64{"team": 5}}, WantStatus: 422, WantFields: []string{"scores"}},
		{Name: "sheet draft", Method: "PUT", Path: sheetPath, Token: j, Body: map[string]any{"scores": map[string]float64{"team": 5}}, WantStatus: 200},
		{Name: "my assignments", Method: "GET", Path: api + "/rounds/" + r1 + "/my-assignments", Token: j, WantStatus: 200},
		{Name: "reopen an unsubmitted sheet", Method: "POST", Path: sheetPath + "s/" + judge.ID + "/reopen", Token: o, Body: map[string]string{"reason": "x"}, WantStatus: 409, WantCode: "not_submitted"},
		{Name: "reopen without reason", Method: "POST", Path: sheetPath + "s/" + judge.ID + "/reopen", Token: o, Body: map[string]string{}, WantStatus: 422, WantFields: []string{"reason"}},
		{Name: "next pair of a scored round", Method: "GET", Path: api + "/rounds/" + r1 + "/pairs/next", Token: j, WantStatus: 409, WantCode: "not_pairwise"},
		{Name: "vote without token", Method: "POST", Path: api + "/rounds/" + r1 + "/votes", Body: map[string]string{"winner": entry, "loser": entry2}, WantStatus: 401},
		{Name: "round results as judge", Method: "GET", Path: api + "/rounds/" + r1 + "/results", Token: j, WantStatus: 403},
		{Name: "round results", Method: "GET", Path: api + "/rounds/" + r1 + "/results", Token: o, WantStatus: 200},
		{Name: "awards of a round without tiers", Method: "POST", Path: api + "/rounds/" + r1 + "/awards", Token: o, WantStatus: 409, WantCode: "no_awards"},
		{Name: "publish before awards", Method: "POST", Path: api + "/editions/" + ed + "/publish", Token: o, WantStatus: 409, WantCode: "not_awarded"},
		{Name: "public results before publication", Method: "GET", Path: api + "/editions/" + ed + "/results", WantStatus: 404, WantCode: "not_published"},
		{Name: "team result before publication", Method: "GET", Path: api + "/entries/" + entry + "/result", Token: l, WantStatus: 200},
		{Name: "team result of another team", Method: "GET", Path: api + "/entries/" + entry + "/result", Token: s, WantStatus: 403},
		{Name: "export as farmer", Method: "GET", Path: api + "/editions/" + ed + "/export/entries", Token: s, WantStatus: 403},
		{Name: "export an unknown table", Method: "GET", Path: api + "/editions/" + ed + "/export/bids", Token: o, WantStatus: 404},
		{Name: "export in a bad format", Method: "GET", Path: api + "/editions/" + ed + "/export/entries?format=pdf", Token: o, WantStatus: 422, WantFields: []string{"format"}},
		{Name: "export scores", Method: "GET", Path: api + "/editions/" + ed + "/export/scores?format=xlsx", Token: o, WantStatus: 200},
		{Name: "audit as judge", Method: "GET", Path: api + "/editions/" + ed + "/audit", Token: j, WantStatus: 403},
		{Name: "audit with a bad limit", Method: "GET", Path: api + "/editions/" + ed + "/audit?limit=0", Token: o, WantStatus: 422, WantFields: []string{"limit"}},
		{Name: "advance with sheets missing", Method: "POST", Path: api + "/rounds/" + r1 + "/advance", Token: o, WantStatus: 409, WantCode: "scoring_incomplete"},
		{Name: "submit sheet", Method: "POST", Path: sheetPath + "/submit", Token: j, Body: map[string]any{"scores": sheet(0.5)}, WantStatus: 201},
		{Name: "advance", Method: "POST", Path: api + "/rounds/" + r1 + "/advance", Token: o, WantStatus: 201},
		{Name: "advance twice", Method: "POST", Path: api + "/rounds/" + r1 + "/advance", Token: o, WantStatus: 409, WantCode: "already_advanced"},
		{Name: "draft after advancement", Method: "PUT", Path: sheetPath, Token: j, Body: map[string]any{"scores": map[string]float64{"team": 5}}, WantStatus: 409, WantCode: "round_closed"},
		{Name: "veto", Method: "POST", Path: api + "/entries/" + entry + "/veto", Token: o, Body: map[string]string{"reason": "超出范围"}, WantStatus: 200},
		{Name: "veto twice", Method: "POST", Path: api + "/entries/" + entry + "/veto", Token: o, Body: map[string]string{"reason": "超出范围"}, WantStatus: 409, WantCode: "already_vetoed"},
	})
}

// TestContestCityRuleAndJudgingWindow: in a city round no judge gets an
// entry from their own city (a county counts as its city), and sheets are
// refused outside the round's judging window.
func TestContestCityRuleAndJudgingWindow(t *testing.T) {
	f := newFixture(t)
	ed := f.edition(editionBody(2031, 0))
	round := scoredRound(1, 1, 1)
	round["cityRule"] = true
	round["judging"] = map[string]any{"opens": testserver.FromNow(24 * time.Hour), "closes": testserver.FromNow(48 * time.Hour)}
	r1 := f.round(ed, round)
	var ids []string
	for i := range 2 { // entry 0 competes for 沈阳 (210100), entry 1 for 大连 (210200)
		leader := f.ts.Register("farmer")
		id := f.entry(ed, leader, i, "合作社")
		f.must(http.StatusOK, "POST", api+"/entries/"+id+"/submit", leader.Token, nil, nil)
		f.must(http.StatusOK, "POST", api+"/entries/"+id+"/review", f.org.Token, map[string]string{"verdict": "eligible"}, nil)
		ids = append(ids, id)
	}
	shenyang, dalian := f.judge(), f.judge()
	f.must(http.StatusOK, "PUT", api+"/editions/"+ed+"/judges/"+shenyang.ID, f.org.Token, map[string]any{"org": "甲", "region": "210102"}, nil)
	f.must(http.StatusOK, "PUT", api+"/editions/"+ed+"/judges/"+dalian.ID, f.org.Token, map[string]any{"org": "乙", "region": "210202"}, nil)
	var as assignment
	f.must(http.StatusOK, "POST", api+"/rounds/"+r1+"/assignment", f.org.Token, nil, &as)
	got := map[string]string{}
	for _, a := range as.Assignments {
		got[a.EntryID] = a.JudgeID
	}
	if got[ids[0]] != dalian.ID || got[ids[1]] != shenyang.ID || len(as.Shortfalls) != 0 {
		t.Fatalf("city rule: %+v, shortfalls %+v", got, as.Shortfalls)
	}
	r := f.ts.Do("POST", api+"/rounds/"+r1+"/entries/"+ids[1]+"/sheet/submit", shenyang.Token, map[string]any{"scores": sheet(0.5)})
	if r.Status != 409 || r.ErrCode() != "judging_closed" {
		t.Fatalf("scoring before the window: %d %s", r.Status, r.Body)
	}

	// The Dalian judge declares a conflict with entry 0: the re-run leaves
	// entry 0 without a judge, and says why.
	conflicts := api + "/editions/" + ed + "/conflicts"
	f.ts.RunScenarios(t, []testserver.Scenario{
		{Name: "declare as a farmer", Method: "POST", Path: conflicts, Token: f.org.Token, Body: map[string]string{"entryId": ids[0], "reason": "x"}, WantStatus: 403},
		{Name: "declare outside the pool", Method: "POST", Path: conflicts, Token: f.judge().Token, Body: map[string]string{"entryId": ids[0], "reason": "x"}, WantStatus: 403, WantCode: "not_in_pool"},
		{Name: "declare an unknown entry", Method: "POST", Path: conflicts, Token: dalian.Token, Body: map[string]string{"entryId": "nope", "reason": "x"}, WantStatus: 422, WantFields: []string{"entryId"}},
		{Name: "declare without reason", Method: "POST", Path: conflicts, Token: dalian.Token, Body: map[string]string{"entryId": ids[0]}, WantStatus: 422, WantFields: []string{"reason"}},
		{Name: "declare", Method: "POST", Path: conflicts, Token: dalian.Token, Body: map[string]string{"entryId": ids[0], "reason": "亲属关系"}, WantStatus: 200},
		{Name: "declare again", Method: "POST", Path: conflicts, Token: dalian.Token, Body: map[string]string{"entryId": ids[0], "reason": "亲属关系"}, WantStatus: 200},
	})
	f.must(http.StatusOK, "POST", api+"/rounds/"+r1+"/assignment", f.org.Token, nil, &as)
	if len(as.Shortfalls) != 1 || as.Shortfalls[0].EntryID != ids[0] || as.Shortfalls[0].Declared != 1 || as.Shortfalls[0].SameCity != 1 {
		t.Fatalf("after the declaration: shortfalls %+v", as.Shortfalls)
	}
	var pool struct {
		Items []struct {
			User              string
			DeclaredConflicts []string
		}
	}
	f.must(http.StatusOK, "GET", api+"/editions/"+ed+"/judges", f.org.Token, nil, &pool)
	for _, j := range pool.Items {
		if j.User == dalian.ID && len(j.DeclaredConflicts) != 1 {
			t.Fatalf("declared conflicts %v", j.DeclaredConflicts)
		}
	}
}

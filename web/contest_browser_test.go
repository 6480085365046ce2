package web_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/liaoning12316/agrimaker/internal/testserver"
)

// TestBrowserContest: a team leader registers a team with two members and
// an attachment and submits it, from a phone; after the organisers' review
// and the judge assignment (through the API), a judge scores the entry on a
// phone — one tap per criterion, autosaved, then submitted and locked; once
// published, the public results page shows the award to anyone.
func TestBrowserContest(t *testing.T) {
	ts := testserver.Start(t, testserver.WithAdmin())
	admin := ts.Admin()
	org := ts.Register("farmer")
	ts.Grant(admin, org, "farmer", "organizer")
	judge := ts.Register("farmer")
	ts.Grant(admin, judge, "judge")
	leader := ts.Register("farmer")

	must := func(want int, method, path, token string, body, out any) {
		t.Helper()
		r := ts.Do(method, "/api/v1/contest"+path, token, body)
		if r.Status != want {
			t.Fatalf("%s %s: %d %s", method, path, r.Status, r.Body)
		}
		if out != nil {
			r.Decode(t, out)
		}
	}
	var ed, round struct{ ID string }
	must(201, "POST", "/editions", org.Token, map[string]any{
		"year": 2026, "name": "全省农业创客大赛", "tracks": []string{"种植", "智慧农业"},
		"eligibility":  map[string]any{"minMembers": 1, "maxMembers": 5},
		"registration": map[string]any{"opens": testserver.FromNow(-time.Hour), "closes": testserver.FromNow(time.Hour)},
	}, &ed)
	crit := func(key, name string) map[string]any {
		return map[string]any{"key": key, "name": name, "weight": 1, "min": 0, "max": 10, "description": name + "，0—10 分"}
	}
	must(201, "POST", "/editions/"+ed.ID+"/rounds", org.Token, map[string]any{
		"seq": 1, "name": "初赛", "mode": "scores", "k": 1,
		"rubric":    map[string]any{"criteria": []any{crit("innovation", "创新性"), crit("feasibility", "可行性"), crit("market", "市场前景")}},
		"aggregate": map[string]any{"method": "weighted_mean"},
		"awards":    map[string]any{"tiers": []any{map[string]any{"name": "一等奖", "count": 1}}},
	}, &round)
	must(200, "PUT", "/editions/"+ed.ID+"/judges/"+judge.ID, org.Token, map[string]any{"org": "沈阳农业大学", "region": "210100", "expertise": []string{"智慧农业"}}, nil)

	b := newBrowser(t)

	// The team leader registers from a phone.
	lead := b.tab("leader", ts.URL, true)
	lead.signIn(leader, "李队长", "farmer")
	lead.open("#/contest")
	lead.waitText("#editions", "全省农业创客大赛", 5*time.Second)
	lead.open("#/contest/" + ed.ID)
	lead.tap("#register")
	lead.wait("the registration form", `document.querySelector('#entry-form')`, 10*time.Second)
	lead.fill("#entry-form [name=title]", "智慧大棚物联网")
	lead.fill("#entry-form [name=summary]", "用传感器和手机控制温室")
	lead.fill("#entry-form [name=track]", "智慧农业")
	lead.fill("#entry-form [name=stage]", "startup")
	lead.fill("#entry-form [name=region]", "210100")
	lead.fill(".member[data-i='0'] [name=m-org]", "辽宁创客合作社")
	lead.fill(".member[data-i='0'] [name=m-region]", "210102")
	lead.tap("#add-member")
	lead.fill(".member[data-i='1'] [name=m-name]", "张队员")
	lead.fill(".member[data-i='1'] [name=m-phone]", testserver.NewPhone())
	lead.fill(".member[data-i='1'] [name=m-org]", "辽宁创客合作社")
	lead.fill(".member[data-i='1'] [name=m-region]", "210202")
	lead.shot("contest-register")
	lead.tap("#save-entry")
	lead.wait("the entry page", `/^#\/entries\/[0-9a-f]{24}$/.test(location.hash) && document.querySelector('#entry-status')`, 10*time.Second)
	entry := strings.TrimPrefix(js[string](lead, `location.hash`), "#/entries/")
	lead.waitText("#entry-status", "草稿", 5*time.Second)
	lead.waitText("#view", "张队员", time.Second)
	pdf := filepath.Join(t.TempDir(), "计划书.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	lead.do(chromedp.SetUploadFiles(chromedp.CSS("#upload input[type=file]"), []string{pdf}))
	lead.tap("#upload button[type=submit]")
	lead.waitText("#attachments", "计划书.pdf", 10*time.Second)
	js[chromedp.Void](lead, `window.confirm = () => true`)
	lead.tap("#submit")
	lead.waitText("#entry-status", "已提交", 10*time.Second)
	lead.shot("contest-entry")
	var e struct {
		Status      string
		Members     []struct{ Name, Role string }
		Attachments []struct{ Name string }
	}
	must(200, "GET", "/entries/"+entry, leader.Token, nil, &e)
	if e.Status != "submitted" || len(e.Members) != 2 || e.Members[0].Role != "leader" || e.Members[1].Name != "张队员" || len(e.Attachments) != 1 {
		t.Fatalf("the entry as stored: %+v", e)
	}

	// Organisers review it and assign judges (API).
	must(200, "POST", "/entries/"+entry+"/review", org.Token, map[string]string{"verdict": "eligible"}, nil)
	must(200, "POST", "/rounds/"+round.ID+"/assignment", org.Token, nil, nil)

	// The judge scores on a phone.
	j := b.tab("judge", ts.URL, true)
	j.signIn(judge, "赵评委", "judge")
	j.open("#/judge/" + round.ID)
	j.waitText("#progress", "已提交 0 / 1", 5*time.Second)
	j.shot("judge-list")
	j.tap(fmt.Sprintf(`#assigned li[data-entry="%s"] a`, entry))
	j.wait("the score sheet", `document.querySelectorAll('section.crit').length === 3`, 10*time.Second)
	// Targets are large enough for a thumb.
	if small := js[int](j, `[...document.querySelectorAll('.scorebtns button, #submit-sheet')].filter((b) => { const r = b.getBoundingClientRect(); return r.width < 44 || r.height < 44; }).length`); small != 0 {
		t.Fatalf("%d score buttons smaller than 44 px", small)
	}
	j.tap(`section[data-key=innovation] button[value="8"]`)
	j.tap(`section[data-key=feasibility] button[value="7"]`)
	j.waitText("#saved", "已自动保存", 5*time.Second)
	var sheet struct {
		Status string
		Scores map[string]float64
	}
	testserver.WaitFor(t, 5*time.Second, "the draft to be saved", func() bool {
		must(200, "GET", "/rounds/"+round.ID+"/entries/"+entry+"/sheet", judge.Token, nil, &sheet)
		return sheet.Scores["innovation"] == 8 && sheet.Scores["feasibility"] == 7
	})
	if sheet.Status != "draft" {
		t.Fatalf("sheet %+v, want a draft", sheet)
	}
	// Submitting with a criterion left is refused on the page.
	js[chromedp.Void](j, `window.confirm = () => true`)
	j.tap("#submit-sheet")
	j.waitText("#sheet-msg", "市场前景", 5*time.Second)
	// Reloading keeps what was autosaved.
	j.do(chromedp.Reload())
	j.wait("the sheet after a reload", `document.querySelector('section[data-key=innovation] button[value="8"]')?.getAttribute('aria-pressed') === 'true'`, 10*time.Second)
	j.tap(`section[data-key=market] button[value="9"]`)
	j.waitText("#total", "已评 3/3 项", 5*time.Second)
	j.shot("judge-sheet")
	js[chromedp.Void](j, `window.confirm = () => true`)
	j.tap("#submit-sheet")
	j.wait("back on the list", `location.hash === '#/judge/`+round.ID+`'`, 10*time.Second)
	j.waitText("#progress", "已提交 1 / 1", 5*time.Second)
	j.wait("the entry marked submitted", `document.querySelector('#assigned li').dataset.sheet === 'submitted'`, 5*time.Second)
	must(200, "GET", "/rounds/"+round.ID+"/entries/"+entry+"/sheet", judge.Token, nil, &sheet)
	if sheet.Status != "submitted" || sheet.Scores["market"] != 9 {
		t.Fatalf("sheet after submit: %+v", sheet)
	}
	j.open("#/judge/" + round.ID + "/" + entry)
	j.wait("the locked sheet", `document.querySelector('#locked') && document.querySelector('#submit-sheet').disabled`, 5*time.Second)

	// Awards, publication, and the public page for anyone.
	must(201, "POST", "/rounds/"+round.ID+"/awards", org.Token, nil, nil)
	must(201, "POST", "/editions/"+ed.ID+"/publish", org.Token, nil, nil)
	pub := b.tab("public", ts.URL, true)
	pub.open("#/contest/" + ed.ID + "/results")
	pub.waitText("#results", "智慧大棚物联网", 5*time.Second)
	pub.waitText("#results", "一等奖", time.Second)
	pub.shot("contest-results")
}

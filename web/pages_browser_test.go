package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/liaoning12316/agrimaker/internal/testserver"
)

// TestBrowserEveryPage opens every page at phone size as a user holding
// every role, over real data, and checks each one renders its heading with
// no error notice, no uncaught exception and no value printed as text; the
// price page must draw its chart from the series. Screenshots of each.
func TestBrowserEveryPage(t *testing.T) {
	ts := testserver.Start(t, testserver.WithAdmin())
	admin := ts.Admin()
	ts.Grant(admin, admin, "admin", "farmer", "buyer", "organizer", "judge")
	seller := ts.Register("farmer")
	live := ts.CreateAuction(seller.Token, testserver.SellAuction(time.Hour, nil))
	ts.MustBid(admin.Token, live.ID, 10000)
	ts.CreateAuction(seller.Token, testserver.SellAuction(time.Hour, map[string]any{"title": "铁岭玉米 10吨", "commodity": "玉米"}))

	day := time.Now().In(shanghai)
	for i := 0; i < 12; i++ {
		d := day.AddDate(0, 0, -i).Format("2006-01-02")
		avg := 1200 + (i%5)*60
		r := ts.Do("POST", "/api/v1/prices", admin.Token, map[string]any{"commodity": "草莓", "market": "沈阳八家子", "region": "210100",
			"date": d, "unit": "斤", "minPrice": avg - 150, "avgPrice": avg, "maxPrice": avg + 200})
		if r.Status != 201 {
			t.Fatalf("price: %d %s", r.Status, r.Body)
		}
	}
	if r := ts.Do("POST", "/api/v1/knowledge", admin.Token, map[string]any{"question": "草莓白粉病怎么防治？", "answer": "发病初期喷施枯草芽孢杆菌，注意通风降湿。", "crop": "草莓", "category": "病虫害", "expert": "李专家"}); r.Status != 201 {
		t.Fatalf("knowledge: %d %s", r.Status, r.Body)
	}
	if r := ts.Do("POST", "/api/v1/supply", seller.Token, map[string]any{"kind": "supply", "title": "东港草莓 2000斤", "commodity": "草莓",
		"quantity": map[string]any{"value": 2000, "unit": "斤"}, "price": 1500, "region": "210681", "validUntil": day.AddDate(0, 0, 20).Format("2006-01-02")}); r.Status != 201 {
		t.Fatalf("supply: %d %s", r.Status, r.Body)
	}
	var ed, round struct{ ID string }
	if r := ts.Do("POST", "/api/v1/contest/editions", admin.Token, map[string]any{"year": 2026, "name": "全省农业创客大赛", "tracks": []string{"种植"},
		"eligibility": map[string]any{"minMembers": 1, "maxMembers": 5}, "registration": map[string]any{"opens": testserver.FromNow(-time.Hour), "closes": testserver.FromNow(time.Hour)}}); r.Status == 201 {
		r.Decode(t, &ed)
	} else {
		t.Fatalf("edition: %d %s", r.Status, r.Body)
	}
	if r := ts.Do("POST", "/api/v1/contest/editions/"+ed.ID+"/rounds", admin.Token, map[string]any{"seq": 1, "name": "初赛", "mode": "scores", "k": 1,
		"rubric":    map[string]any{"criteria": []any{map[string]any{"key": "innovation", "name": "创新性", "weight": 1, "min": 0, "max": 10}}},
		"aggregate": map[string]any{"method": "weighted_mean"}}); r.Status == 201 {
		r.Decode(t, &round)
	} else {
		t.Fatalf("round: %d %s", r.Status, r.Body)
	}

	b := newBrowser(t)
	p := b.tab("admin", ts.URL, true)
	p.signIn(admin, "管理员", "admin", "farmer", "buyer", "organizer", "judge")
	pages := []struct{ name, hash, want string }{
		{"market", "#/", "盘锦大米"},
		{"watch", "#/watch", "盘锦大米"},
		{"mine", "#/mine", "盘锦大米"},
		{"new-auction", "#/new", "起拍价"},
		{"data", "#/data", "价格行情"},
		{"prices", "#/prices", "沈阳八家子"},
		{"knowledge", "#/knowledge", "草莓白粉病"},
		{"supply", "#/supply", "东港草莓"},
		{"org", "#/org", "申请数据接口"},
		{"contest", "#/contest", "全省农业创客大赛"},
		{"edition", "#/contest/" + ed.ID, "初赛"},
		{"results-unpublished", "#/contest/" + ed.ID + "/results", "尚未发布"},
		{"judge", "#/judge", "初赛"},
		{"organize", "#/organize", "全省农业创客大赛"},
		{"organize-edition", "#/organize/" + ed.ID, "评委库"},
		{"organize-round", "#/organize/round/" + round.ID, "运行分配"},
		{"admin-users", "#/admin", "测试farmer"},
		{"admin-imports", "#/admin/imports", "最近导入"},
	}
	for _, pg := range pages {
		p.open(pg.hash)
		p.waitText("#view", pg.want, 10*time.Second)
		p.wait(pg.name+" without an error notice", `document.querySelector('#view h1') && !document.querySelector('#view [role=alert].notice.bad, #view .notice.bad[role=alert]')`, 5*time.Second)
		if pg.name == "prices" {
			// The chart: a line through one point per day, and the band.
			p.wait("the price chart", `document.querySelectorAll('svg.chart circle.pt').length === 12 && document.querySelector('svg.chart polygon.band')`, 10*time.Second)
			if got := js[string](p, `document.querySelector('svg.chart circle.pt title').textContent`); !strings.Contains(got, "¥") {
				t.Fatalf("chart point title %q", got)
			}
		}
		p.checkErrors()
		p.shot("page-" + pg.name)
	}
	// Accessibility basics on the busiest form: every field has a label.
	p.open("#/new")
	if n := js[int](p, `[...document.querySelectorAll('#view input, #view select, #view textarea')].filter((el) => el.type !== 'checkbox' && el.type !== 'radio' && !(el.id && document.querySelector('label[for="' + el.id + '"]'))).length`); n != 0 {
		t.Fatalf("%d fields of the create form have no <label>", n)
	}
	if n := js[int](p, `[...document.querySelectorAll('#view button, #nav a')].filter((b) => { const r = b.getBoundingClientRect(); return r.height > 0 && r.height < 44; }).length`); n != 0 {
		t.Fatalf("%d touch targets under 44 px", n)
	}
}

package contest_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/liaoning12316/agrimaker/internal/testserver"
)

// fixture is a running server with an administrator and an organiser.
type fixture struct {
	t     testing.TB
	ts    *testserver.TS
	admin testserver.User
	org   testserver.User
}

func newFixture(t testing.TB) *fixture {
	ts := testserver.Start(t, testserver.WithAdmin())
	f := &fixture{t: t, ts: ts, admin: ts.Admin()}
	f.org = ts.Register("farmer")
	ts.Grant(f.admin, f.org, "farmer", "organizer")
	return f
}

// judge registers a user with the judge role.
func (f *fixture) judge() testserver.User {
	u := f.ts.Register("farmer")
	f.ts.Grant(f.admin, u, "judge")
	return u
}

// must sends a request and fails unless the status is want; it decodes
// the body into out when out is not nil.
func (f *fixture) must(want int, method, path, token string, body, out any) testserver.Resp {
	f.t.Helper()
	r := f.ts.Do(method, path, token, body)
	if r.Status != want {
		f.t.Fatalf("%s %s: %d, want %d: %s", method, path, r.Status, want, r.Body)
	}
	if out != nil {
		r.Decode(f.t, out)
	}
	return r
}

const api = "/api/v1/contest"

var tracks = []string{"种植", "养殖", "智慧农业"}

// editionBody opens registration for an hour either side of now.
func editionBody(year, maxAge int) map[string]any {
	return map[string]any{
		"year": year, "name": fmt.Sprintf("%d年全省农业创客大赛", year), "tracks": tracks,
		"eligibility":  map[string]any{"minMembers": 1, "maxMembers": 5, "maxAge": maxAge},
		"registration": map[string]any{"opens": testserver.FromNow(-time.Hour), "closes": testserver.FromNow(time.Hour)},
	}
}

func (f *fixture) edition(body map[string]any) string {
	f.t.Helper()
	var e struct{ ID string }
	f.must(http.StatusCreated, "POST", api+"/editions", f.org.Token, body, &e)
	return e.ID
}

// rubric is the example: 创新性 30, 可行性 25, 市场前景 25, 团队 10,
// 社会效益 10, as points (weight 1, max = the points).
func rubric() map[string]any {
	crit := func(key, name string, max float64) map[string]any {
		return map[string]any{"key": key, "name": name, "weight": 1, "min": 0, "max": max, "description": name + "，满分" + fmt.Sprint(max)}
	}
	return map[string]any{"criteria": []any{
		crit("innovation", "创新性", 30), crit("feasibility", "可行性", 25), crit("market", "市场前景", 25),
		crit("team", "团队", 10), crit("social", "社会效益", 10),
	}}
}

func scoredRound(seq, k, quota int) map[string]any {
	return map[string]any{
		"seq": seq, "name": fmt.Sprintf("第%d轮 复赛", seq), "mode": "scores", "k": k, "rubric": rubric(),
		"aggregate": map[string]any{"method": "weighted_mean", "tieBreak": []string{"raw", "innovation"}},
		"advance":   map[string]any{"quota": quota},
	}
}

func pairwiseFinal(seq int) map[string]any {
	return map[string]any{
		"seq": seq, "name": "总决赛（路演）", "mode": "pairwise",
		"awards": map[string]any{"tiers": []any{
			map[string]any{"name": "一等奖", "count": 1}, map[string]any{"name": "二等奖", "count": 1},
			map[string]any{"name": "三等奖", "count": 1}, map[string]any{"name": "优秀奖", "count": 0, "rest": true},
		}},
	}
}

func (f *fixture) round(edition string, body map[string]any) string {
	f.t.Helper()
	var r struct{ ID string }
	f.must(http.StatusCreated, "POST", api+"/editions/"+edition+"/rounds", f.org.Token, body, &r)
	return r.ID
}

// entryBody is a team led by leader with one more member.
func entryBody(edition string, leader testserver.User, i int, org string) map[string]any {
	b := map[string]any{
		"title": fmt.Sprintf("项目%02d：智慧大棚", i), "summary": "物联网温室控制", "track": tracks[i%len(tracks)],
		"stage": "startup", "region": fmt.Sprintf("21%02d00", 1+i%14),
		"members": []any{
			map[string]any{"name": fmt.Sprintf("队长%d", i), "phone": leader.Phone, "org": org, "role": "leader", "region": "210102", "birthDate": "1995-03-01"},
			map[string]any{"name": fmt.Sprintf("队员%d", i), "phone": testserver.NewPhone(), "org": org, "role": "member", "region": "210202", "birthDate": "1998-07-15"},
		},
	}
	if edition != "" {
		b["edition"] = edition
	}
	return b
}

func (f *fixture) entry(edition string, leader testserver.User, i int, org string) string {
	f.t.Helper()
	var e struct{ ID string }
	f.must(http.StatusCreated, "POST", api+"/entries", leader.Token, entryBody(edition, leader, i, org), &e)
	return e.ID
}

// pdf is a tiny file the sniffer takes for a PDF.
var pdf = []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")

func (f *fixture) upload(entry string, leader testserver.User, name string, body []byte) testserver.Resp {
	f.t.Helper()
	return f.ts.Do("POST", api+"/entries/"+entry+"/attachments?name="+name, leader.Token, body, "Content-Type", "application/octet-stream")
}

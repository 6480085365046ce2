package knowledge_test

import (
	"bytes"
	"net/url"
	"strings"
	"testing"

	"github.com/liaoning12316/agrimaker/internal/testserver"
)

type entry struct {
	ID, Key, Question, Answer, Crop, Region string
}

func TestKnowledgeHTTP(t *testing.T) {
	ts := testserver.Start(t, testserver.WithAdmin())
	admin := ts.Admin()
	farmer := ts.Register("farmer")
	noScope, _ := ts.APIKey(admin, "research", "prices:read")
	reader, _ := ts.APIKey(admin, "research", "knowledge:read")

	ids := map[string]string{}
	for _, e := range []map[string]any{
		{"id": "GD-1", "question": "草莓白粉病怎么防治", "answer": "发病初期喷施嘧菌酯，加强通风。", "crop": "草莓", "category": "植保", "region": "210681", "time": "2026-11-01T10:00:00+08:00"},
		{"id": "GD-2", "question": "黄瓜白粉病如何用药", "answer": "可选用乙嘧酚。", "crop": "黄瓜", "category": "植保", "time": "2026-11-02T10:00:00+08:00"},
		{"id": "GD-3", "question": "玉米螟怎么防治", "answer": "释放赤眼蜂，或用Bt乳剂。", "crop": "玉米", "time": "2026-10-01T10:00:00+08:00"},
		{"id": "GD-4", "question": "水稻稻瘟病的症状", "answer": "叶片出现梭形斑。", "crop": "水稻", "region": "211122", "time": "2026-09-01T10:00:00+08:00"},
		{"id": "GD-5", "question": "草莓叶片发白怎么办", "answer": "可能是白粉病，及早用药。", "crop": "草莓", "time": "2026-10-15T10:00:00+08:00"},
	} {
		r := ts.Do("POST", "/api/v1/knowledge", admin.Token, e)
		if r.Status != 201 {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		var got entry
		r.Decode(t, &got)
		ids[e["id"].(string)] = got.ID
	}

	// wantKeys checks the page holds exactly these entries, in this order.
	wantKeys := func(want ...string) func(t *testing.T, r testserver.Resp) {
		return func(t *testing.T, r testserver.Resp) {
			var page struct {
				Items []entry
				Next  string
			}
			r.Decode(t, &page)
			var got []string
			for _, e := range page.Items {
				got = append(got, e.Key)
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("entries %v, want %v", got, want)
			}
		}
	}
	q := func(s string) string { return "/api/v1/knowledge?q=" + url.QueryEscape(s) }
	tok := farmer.Token
	ts.RunScenarios(t, []testserver.Scenario{
		{Name: "anonymous", Method: "GET", Path: "/api/v1/knowledge", WantStatus: 401},
		{Name: "key without knowledge:read", Method: "GET", Path: "/api/v1/knowledge", Headers: []string{"X-API-Key", noScope}, WantStatus: 403, WantCode: "scope_missing"},
		{Name: "key with knowledge:read", Method: "GET", Path: q("草莓白粉病"), Headers: []string{"X-API-Key", reader}, WantStatus: 200, Check: wantKeys("GD-1")},
		{Name: "whole term, not its parts elsewhere", Method: "GET", Path: q("草莓白粉病"), Token: tok, WantStatus: 200, Check: wantKeys("GD-1")},
		// question matches (newest first) before an answer match
		{Name: "two characters find both diseases", Method: "GET", Path: q("白粉"), Token: tok, WantStatus: 200, Check: wantKeys("GD-2", "GD-1", "GD-5")},
		{Name: "one character", Method: "GET", Path: q("螟"), Token: tok, WantStatus: 200, Check: wantKeys("GD-3")},
		{Name: "words with a space", Method: "GET", Path: q("水稻 稻瘟病"), Token: tok, WantStatus: 200, Check: wantKeys("GD-4")},
		{Name: "Latin word, any case, full width", Method: "GET", Path: q("ＢＴ"), Token: tok, WantStatus: 200, Check: wantKeys("GD-3")},
		{Name: "search and crop", Method: "GET", Path: q("白粉") + "&crop=黄瓜", Token: tok, WantStatus: 200, Check: wantKeys("GD-2")},
		{Name: "city includes its counties", Method: "GET", Path: "/api/v1/knowledge?region=211100", Token: tok, WantStatus: 200, Check: wantKeys("GD-4")},
		{Name: "day range in Shanghai", Method: "GET", Path: "/api/v1/knowledge?from=2026-11-01&to=2026-11-01", Token: tok, WantStatus: 200, Check: wantKeys("GD-1")},
		{Name: "no q: newest first", Method: "GET", Path: "/api/v1/knowledge", Token: tok, WantStatus: 200, Check: wantKeys("GD-2", "GD-1", "GD-5", "GD-3", "GD-4")},
		{Name: "nothing found", Method: "GET", Path: q("苹果"), Token: tok, WantStatus: 200, Check: wantKeys()},
		{Name: "regex is not a pattern", Method: "GET", Path: q(".*"), Token: tok, WantStatus: 422, WantFields: []string{"q"}},
		{Name: "operator is a literal", Method: "GET", Path: q(`{"$ne":null}`), Token: tok, WantStatus: 200, Check: wantKeys()},
		{Name: "sql is a literal", Method: "GET", Path: q("'; drop"), Token: tok, WantStatus: 200, Check: wantKeys()},
		{Name: "script is a literal", Method: "GET", Path: q("<script>"), Token: tok, WantStatus: 200, Check: wantKeys()},
		// The longest queries that fit the server's 8 KiB request head (a
		// longer URL is refused before routing, 431).
		{Name: "6 KB query", Method: "GET", Path: q(strings.Repeat("a", 6000)), Token: tok, WantStatus: 422, WantFields: []string{"q"}},
		{Name: "6 KB Chinese query", Method: "GET", Path: q(strings.Repeat("病", 700)), Token: tok, WantStatus: 422, WantFields: []string{"q"}},
		{Name: "operator in a filter is a literal", Method: "GET", Path: "/api/v1/knowledge?crop=" + url.QueryEscape(`{"$ne":null}`), Token: tok, WantStatus: 200, Check: wantKeys()},
		{Name: "bad region", Method: "GET", Path: "/api/v1/knowledge?region=.*", Token: tok, WantStatus: 422, WantFields: []string{"region"}},
		{Name: "bad date", Method: "GET", Path: "/api/v1/knowledge?from=yesterday", Token: tok, WantStatus: 422, WantFields: []string{"from"}},
		{Name: "bad cursor", Method: "GET", Path: "/api/v1/knowledge?cursor=x", Token: tok, WantStatus: 422, WantFields: []string{"cursor"}},
		{Name: "one entry", Method: "GET", Path: "/api/v1/knowledge/" + ids["GD-4"], Token: tok, WantStatus: 200,
			Check: func(t *testing.T, r testserver.Resp) {
				var e entry
				r.Decode(t, &e)
				if e.Question != "水稻稻瘟病的症状" || e.Region != "211122" {
					t.Errorf("entry %+v", e)
				}
			}},
		{Name: "unknown entry", Method: "GET", Path: "/api/v1/knowledge/ffffffffffffffffffffffff", Token: tok, WantStatus: 404, WantCode: "not_found"},
		{Name: "farmers may not write", Method: "POST", Path: "/api/v1/knowledge", Token: tok, Body: map[string]any{"question": "问", "answer": "答"}, WantStatus: 403},
		{Name: "same ticket twice", Method: "POST", Path: "/api/v1/knowledge", Token: admin.Token, Body: map[string]any{"id": "GD-1", "question": "问", "answer": "答"}, WantStatus: 409, WantCode: "duplicate"},
		{Name: "answer required", Method: "POST", Path: "/api/v1/knowledge", Token: admin.Token, Body: map[string]any{"question": "问"}, WantStatus: 422, WantFields: []string{"answer"}},
		{Name: "region checked", Method: "POST", Path: "/api/v1/knowledge", Token: admin.Token, Body: map[string]any{"question": "问", "answer": "答", "region": "110000"}, WantStatus: 422, WantFields: []string{"region"}},
	})

	t.Run("recency pages by cursor", func(t *testing.T) {
		var keys []string
		path := "/api/v1/knowledge?limit=2"
		for range 5 {
			r := ts.Do("GET", path, tok, nil)
			var page struct {
				Items []entry
				Next  string
			}
			r.Decode(t, &page)
			for _, e := range page.Items {
				keys = append(keys, e.Key)
			}
			if page.Next == "" {
				break
			}
			path = "/api/v1/knowledge?limit=2&cursor=" + url.QueryEscape(page.Next)
		}
		if got := strings.Join(keys, ","); got != "GD-2,GD-1,GD-5,GD-3,GD-4" {
			t.Errorf("pages gave %s", got)
		}
	})

	t.Run("csv download of a search", func(t *testing.T) {
		r := ts.Do("GET", q("白粉")+"&format=csv", "", nil, "X-API-Key", reader)
		if r.Status != 200 {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		if !bytes.HasPrefix(r.Body, []byte("\xEF\xBB\xBF编号,问题,解答,类别,作物,地区,专家,咨询时间")) {
			t.Fatalf("header %q", r.Body[:min(80, len(r.Body))])
		}
		body := string(r.Body)
		if !strings.Contains(body, "GD-1,草莓白粉病怎么防治") || strings.Contains(body, "玉米螟") || strings.Count(body, "\n") != 4 {
			t.Errorf("download:\n%s", body)
		}
		if !strings.Contains(body, "2026-11-01 10:00:00") {
			t.Errorf("times are not Shanghai wall clock:\n%s", body)
		}
	})
}

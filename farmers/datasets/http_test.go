package datasets_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/internal/testserver"
	"github.com/liaoning12316/agrimaker/server"
)

// pricesCSV is a 12316 price export as the hotline's system writes it:
// Chinese headers, 元 with decimals, county names or codes.
func pricesCSV(rows int, bad ...int) string {
	var b strings.Builder
	b.WriteString("品名,规格,市场名称,地区,报价日期,单位,最低价,均价,最高价\n")
	isBad := map[int]bool{}
	for _, r := range bad {
		isBad[r] = true
	}
	for i := 0; i < rows; i++ {
		if isBad[i] {
			fmt.Fprintf(&b, "盘锦大米,,盘锦市农产品批发市场,219999,2026-03-%02d,斤,3.20,3.50,3.80\n", i%28+1)
			continue
		}
		fmt.Fprintf(&b, "盘锦大米,蟹田稻%d,盘锦市农产品批发市场,盘山县,2026-03-%02d,斤,3.20,3.50,3.80\n", i/28, i%28+1)
	}
	return b.String()
}

func gbk(t *testing.T, s string) []byte {
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type jobResp struct{ Import datasets.Job }

// TestHTTPImport: an administrator uploads a GBK file; the job runs in the
// background with its progress readable; the per-row report pages through
// rejected rows; a second upload of the same file changes nothing.
func TestHTTPImport(t *testing.T) {
	ts := testserver.Start(t, testserver.WithAdmin())
	admin := ts.Admin()
	body := gbk(t, pricesCSV(300, 7, 150))

	r := ts.Do("POST", "/api/v1/datasets/prices/imports?filename=prices-gbk.csv", admin.Token, body)
	if r.Status != 202 {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	var started jobResp
	r.Decode(t, &started)
	var job datasets.Job
	testserver.WaitFor(t, 30*time.Second, "the import to finish", func() bool {
		var jr jobResp
		ts.Do("GET", "/api/v1/imports/"+started.Import.ID, admin.Token, nil).Decode(t, &jr)
		job = jr.Import
		return job.State != datasets.JobRunning
	})
	rep := job.Report
	if job.State != datasets.JobDone || rep.Encoding != "gbk" || rep.Imported != 298 || rep.Rejected != 2 || job.Filename != "prices-gbk.csv" {
		t.Fatalf("job %s: encoding %s counts %+v file %q", job.State, rep.Encoding, rep.Counts, job.Filename)
	}
	// Rows 9 and 152 of the file (header is row 1, data from row 2).
	var rows struct {
		Items []datasets.RowOutcome
		Next  string
	}
	ts.Do("GET", "/api/v1/imports/"+job.ID+"/rows?outcome=rejected", admin.Token, nil).Decode(t, &rows)
	if len(rows.Items) != 2 || rows.Items[0].Row != 9 || rows.Items[1].Row != 152 || rows.Items[0].Reasons["region"] == "" {
		t.Fatalf("rejected rows %+v", rows.Items)
	}
	// Paging through every row: 300 outcomes, in order, no repeats.
	seen, cursor := 0, ""
	for {
		var page struct {
			Items []datasets.RowOutcome
			Next  string
		}
		ts.Do("GET", "/api/v1/imports/"+job.ID+"/rows?limit=70&cursor="+cursor, admin.Token, nil).Decode(t, &page)
		for _, it := range page.Items {
			if it.Row != seen+2 {
				t.Fatalf("row %d after %d rows", it.Row, seen)
			}
			seen++
		}
		if page.Next == "" {
			break
		}
		cursor = page.Next
	}
	if seen != 300 {
		t.Fatalf("paged %d rows, want 300", seen)
	}
	again := ts.Do("POST", "/api/v1/datasets/prices/imports?wait=true", admin.Token, body)
	var done jobResp
	again.Decode(t, &done)
	if again.Status != 200 || done.Import.Report.Unchanged != 298 || done.Import.Report.Imported != 0 {
		t.Fatalf("second upload: %d %+v", again.Status, done.Import.Report.Counts)
	}
	var list struct{ Items []datasets.Job }
	ts.Do("GET", "/api/v1/imports", admin.Token, nil).Decode(t, &list)
	if len(list.Items) != 2 || list.Items[0].ID != done.Import.ID {
		t.Fatalf("job list: %d jobs, first %+v", len(list.Items), list.Items)
	}
}

// TestHTTPImportDryRun: a dry run reports what would happen and writes nothing.
func TestHTTPImportDryRun(t *testing.T) {
	ts := testserver.Start(t, testserver.WithAdmin())
	admin := ts.Admin()
	r := ts.Do("POST", "/api/v1/datasets/prices/imports?dryRun=true&wait=true", admin.Token, pricesCSV(40, 3))
	var jr jobResp
	r.Decode(t, &jr)
	if r.Status != 200 || !jr.Import.DryRun || jr.Import.Report.Imported != 39 || jr.Import.Report.Rejected != 1 {
		t.Fatalf("dry run: %d %+v", r.Status, jr.Import.Report.Counts)
	}
	var cat struct{ Dataset datasets.Entry }
	ts.Do("GET", "/api/v1/datasets/prices", "", nil).Decode(t, &cat)
	if cat.Dataset.RecordCount != 0 {
		t.Fatalf("a dry run stored %d records", cat.Dataset.RecordCount)
	}
}

// TestHTTPImportRefusals: who may import, and files refused before any
// row is written, with a code that says why.
func TestHTTPImportRefusals(t *testing.T) {
	ts := testserver.Start(t, testserver.WithAdmin(), func(c *server.Config) { c.ImportMaxBytes = 64 << 10 })
	admin := ts.Admin()
	farmer := ts.Register("farmer")
	big := pricesCSV(2000) // about 150 KB, over the 64 KiB set above
	ts.RunScenarios(t, []testserver.Scenario{
		{Name: "no token", Method: "POST", Path: "/api/v1/datasets/prices/imports", Body: pricesCSV(2), WantStatus: 401},
		{Name: "not an administrator", Method: "POST", Path: "/api/v1/datasets/prices/imports", Token: farmer.Token, Body: pricesCSV(2), WantStatus: 403},
		{Name: "unknown dataset", Method: "POST", Path: "/api/v1/datasets/nope/imports", Token: admin.Token, Body: pricesCSV(2), WantStatus: 404, WantCode: "not_found"},
		{Name: "empty body", Method: "POST", Path: "/api/v1/datasets/prices/imports", Token: admin.Token, Body: "", WantStatus: 422, WantCode: "empty_file"},
		{Name: "header only", Method: "POST", Path: "/api/v1/datasets/prices/imports?wait=true", Token: admin.Token, Body: "品名,市场,地区,日期,单位,均价\n", WantStatus: 200},
		{Name: "missing columns", Method: "POST", Path: "/api/v1/datasets/prices/imports", Token: admin.Token, Body: "品名,日期\n大米,2026-01-01\n", WantStatus: 422, WantCode: "missing_columns"},
		{Name: "binary", Method: "POST", Path: "/api/v1/datasets/prices/imports", Token: admin.Token, Body: []byte{0, 1, 2, 0xff, 0xfe, 0, 0x81}, WantStatus: 422, WantCode: "bad_encoding"},
		{Name: "too large", Method: "POST", Path: "/api/v1/datasets/prices/imports", Token: admin.Token, Body: big, WantStatus: 413, WantCode: "too_large"},
		{Name: "unknown job", Method: "GET", Path: "/api/v1/imports/nope", Token: admin.Token, WantStatus: 404, WantCode: "not_found"},
		{Name: "rows of an unknown job", Method: "GET", Path: "/api/v1/imports/nope/rows", Token: admin.Token, WantStatus: 404, WantCode: "not_found"},
		{Name: "jobs are for administrators", Method: "GET", Path: "/api/v1/imports", Token: farmer.Token, WantStatus: 403},
	})
	var cat struct{ Dataset datasets.Entry }
	ts.Do("GET", "/api/v1/datasets/prices", "", nil).Decode(t, &cat)
	if cat.Dataset.RecordCount != 0 {
		t.Fatalf("refused uploads stored %d records", cat.Dataset.RecordCount)
	}
}

// TestHTTPImportOneAtATime: two uploads into one dataset at once: one
// runs, the other is told to wait (409), and nothing is counted twice.
func TestHTTPImportOneAtATime(t *testing.T) {
	ts := testserver.Start(t, testserver.WithAdmin())
	admin := ts.Admin()
	body := pricesCSV(3000)
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := ts.Try("POST", "/api/v1/datasets/prices/imports?wait=true", admin.Token, body)
			if err == nil {
				statuses[i] = r.Status
			}
		}()
	}
	wg.Wait()
	ok, busy := 0, 0
	for _, s := range statuses {
		switch s {
		case 200:
			ok++
		case 409:
			busy++
		}
	}
	// Both may succeed one after the other if the first ends before the
	// second starts; what must never happen is a failure or a double count.
	if ok+busy != 2 || ok == 0 {
		t.Fatalf("statuses %v", statuses)
	}
	var cat struct{ Dataset datasets.Entry }
	ts.Do("GET", "/api/v1/datasets/prices", "", nil).Decode(t, &cat)
	if cat.Dataset.RecordCount != 3000 {
		t.Fatalf("%d records after two uploads of 3000 rows", cat.Dataset.RecordCount)
	}
}

// TestCatalogue: the catalogue lists every dataset with schema, licence
// and counts, and answers 304 to a matching If-None-Match.
func TestCatalogue(t *testing.T) {
	ts := testserver.Start(t, testserver.WithAdmin())
	admin := ts.Admin()
	ts.Do("POST", "/api/v1/datasets/prices/imports?wait=true", admin.Token, pricesCSV(10))
	r := ts.Do("GET", "/api/v1/datasets", "", nil)
	var list struct{ Items []datasets.Entry }
	r.Decode(t, &list)
	names := map[string]datasets.Entry{}
	for _, e := range list.Items {
		names[e.Name] = e
		if e.Title == "" || e.Licence == "" || e.Frequency == "" || len(e.Schema) == 0 || e.Scope == "" || e.Downloads.CSV == "" {
			t.Errorf("%s is described incompletely: %+v", e.Name, e)
		}
	}
	for _, n := range []string{"people", "knowledge", "prices", "supply"} {
		if _, ok := names[n]; !ok {
			t.Errorf("the catalogue lacks %s", n)
		}
	}
	if p := names["prices"]; p.RecordCount != 10 || p.LastUpdated == nil {
		t.Errorf("prices: %d records, last updated %v", p.RecordCount, p.LastUpdated)
	}
	etag := r.Header.Get("ETag")
	if nm := ts.Do("GET", "/api/v1/datasets", "", nil, "If-None-Match", etag); nm.Status != 304 || len(nm.Body) != 0 {
		t.Fatalf("If-None-Match with the current ETag: %d %q", nm.Status, nm.Body)
	}
	if m := ts.Do("GET", "/api/v1/datasets", "", nil, "If-None-Match", `"stale"`); m.Status != 200 {
		t.Fatalf("stale ETag: %d", m.Status)
	}
}

// TestDownloadHead: HEAD on a download answers its type without a body
// (and opens no cursor the body's writer would have closed).
func TestDownloadHead(t *testing.T) {
	ts := testserver.Start(t, testserver.WithAdmin())
	admin := ts.Admin()
	ts.Do("POST", "/api/v1/datasets/prices/imports?wait=true", admin.Token, pricesCSV(5))
	r := ts.Do("HEAD", "/api/v1/prices?format=csv", admin.Token, nil)
	if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") || len(r.Body) != 0 {
		t.Fatalf("HEAD download: %d %q %d bytes", r.Status, r.Header.Get("Content-Type"), len(r.Body))
	}
}

package prices_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/farmers/prices"
	"github.com/liaoning12316/agrimaker/internal/tabular"
	"github.com/liaoning12316/agrimaker/internal/testserver"
)

// A file as 12316 exports it (its own header words, 元, a region by name)
// imports; importing it again changes nothing; and the platform's own
// download imports back unchanged.
func TestImportAndDownloadRoundTrip(t *testing.T) {
	ts := testserver.Start(t)
	farmer := ts.Register("farmer")
	const file = "品种,市场名称,地区,报价日期,单位,最低价,均价,最高价\n" +
		"盘锦大米,盘锦农产品批发市场,盘锦市,2026/11/20,元/斤,3.2,3.50,3.8\n" +
		"盘锦大米,盘锦农产品批发市场,211100,2026-11-21,斤,3.30,3.55,3.90\n" +
		"草莓,丹东市场,东港市,2026-11-21,斤,,12.5,\n" +
		"草莓,丹东市场,东港市,2026-11-22,斤,13,12.5,14\n" // avg below min: rejected
	imp := func(csv string) datasets.Counts {
		t.Helper()
		r, err := tabular.NewCSVReader(strings.NewReader(csv))
		if err != nil {
			t.Fatal(err)
		}
		rep, err := ts.S.Datasets.Import(context.Background(), prices.Dataset, r, datasets.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return rep.Counts
	}
	if c := imp(file); c.Imported != 3 || c.Rejected != 1 {
		t.Fatalf("first import %+v", c)
	}
	if c := imp(file); c.Imported != 0 || c.Unchanged != 3 {
		t.Fatalf("second import %+v", c)
	}
	r := ts.Do("GET", "/api/v1/prices?format=csv", farmer.Token, nil)
	if r.Status != 200 {
		t.Fatalf("download: %d %s", r.Status, r.Body)
	}
	if !strings.Contains(string(r.Body), "草莓,,丹东市场,210681,2026-11-21,斤,12.50,12.50,12.50,import") {
		t.Errorf("download:\n%s", r.Body)
	}
	if c := imp(string(bytes.TrimPrefix(r.Body, []byte("\xEF\xBB\xBF")))); c.Imported != 0 || c.Unchanged != 3 || c.Rejected != 0 {
		t.Errorf("download imported back as %+v", c)
	}
}

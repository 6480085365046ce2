package datasets_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/internal/store"
	"github.com/liaoning12316/agrimaker/internal/tabular"
	"github.com/liaoning12316/agrimaker/internal/testserver"
)

// fruits is a small dataset made for these tests: a code (the key), a
// name and a price in fen.
func fruits(coll string) *datasets.Dataset {
	return &datasets.Dataset{
		Name: coll, Title: "水果", Collection: coll, KeyField: "code",
		Columns: []datasets.Column{
			{Name: "code", Title: "编号", Aliases: []string{"代码"}, Type: "string", Required: true},
			{Name: "name", Title: "名称", Aliases: []string{"品名"}, Type: "string", Required: true},
			{Name: "price", Title: "价格（分）", Type: "integer"},
		},
		Parse: func(r datasets.Row) (datasets.Record, error) {
			fields := bson.D{{Key: "code", Value: r["code"]}, {Key: "name", Value: r["name"]}}
			if r["code"] == "" {
				return datasets.Record{}, datasets.Reject("code", "is required")
			}
			if r["name"] == "" {
				return datasets.Record{}, datasets.Reject("name", "is required")
			}
			if p := r["price"]; p != "" {
				n, err := strconv.ParseInt(p, 10, 64)
				if err != nil || n < 0 {
					return datasets.Record{}, datasets.Reject("price", "must be a whole number of fen, at least 0")
				}
				fields = append(fields, bson.E{Key: "price", Value: n})
			}
			return datasets.Record{Key: r["code"], Fields: fields}, nil
		},
		Format: func(raw bson.Raw) ([]string, error) {
			var v struct {
				Code, Name string
				Price      *int64
			}
			if err := bson.Unmarshal(raw, &v); err != nil {
				return nil, err
			}
			p := ""
			if v.Price != nil {
				p = strconv.FormatInt(*v.Price, 10)
			}
			return []string{v.Code, v.Name, p}, nil
		},
	}
}

type env struct {
	t   testing.TB
	db  *mongo.Database
	svc *datasets.Service
	ds  *datasets.Dataset
	dir string
}

// newEnv uses tiny batches, so that small files cross batch boundaries.
func newEnv(t *testing.T) *env { return newEnvBatch(t, 7) }

func newEnvBatch(t testing.TB, batch int) *env {
	ts := testserver.Start(t)
	ctx := context.Background()
	svc, err := datasets.NewService(ctx, ts.S.Store.DB, ts.S.Accounts, datasets.Config{BatchSize: batch}, testserver.Logger())
	if err != nil {
		t.Fatal(err)
	}
	ds := fruits("test_fruits")
	coll := ts.S.Store.DB.Collection(ds.Collection)
	if err := store.EnsureIndexes(ctx, coll, mongo.IndexModel{Keys: bson.D{{Key: "code", Value: 1}}, Options: options.Index().SetUnique(true)}); err != nil {
		t.Fatal(err)
	}
	svc.Register(ds)
	return &env{t: t, db: ts.S.Store.DB, svc: svc, ds: ds, dir: t.TempDir()}
}

func (e *env) file(name string, body []byte) string {
	p := filepath.Join(e.dir, name)
	if err := os.WriteFile(p, body, 0o600); err != nil {
		e.t.Fatal(err)
	}
	return p
}

func (e *env) importFile(path string, dry bool) (*datasets.Report, error) {
	r, err := tabular.Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return e.svc.Import(context.Background(), e.ds, r, datasets.ImportOptions{DryRun: dry})
}

func (e *env) mustImport(path string, dry bool) *datasets.Report {
	e.t.Helper()
	rep, err := e.importFile(path, dry)
	if err != nil {
		e.t.Fatalf("import %s: %v", filepath.Base(path), err)
	}
	return rep
}

// stored returns code → "name/price" of every record.
func (e *env) stored() map[string]string {
	e.t.Helper()
	type fruit struct {
		Code, Name string
		Price      *int64
	}
	all, err := store.FindAll[fruit](context.Background(), e.db.Collection(e.ds.Collection), "fruits", bson.D{})
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range all {
		if _, dup := out[f.Code]; dup {
			e.t.Fatalf("record %s stored twice", f.Code)
		}
		p := "-"
		if f.Price != nil {
			p = strconv.FormatInt(*f.Price, 10)
		}
		out[f.Code] = f.Name + "/" + p
	}
	return out
}

func csvOf(rows int, edit func(i int) (name string, price string)) []byte {
	var b bytes.Buffer
	b.WriteString("编号,品名,价格（分）\n")
	for i := 0; i < rows; i++ {
		name, price := edit(i)
		fmt.Fprintf(&b, "F%03d,%s,%s\n", i, name, price)
	}
	return b.Bytes()
}

func csvOfKeys(rows int, key func(i int) string) []byte {
	var b bytes.Buffer
	b.WriteString("编号,品名,价格（分）\n")
	for i := 0; i < rows; i++ {
		fmt.Fprintf(&b, "%s,丹东草莓,%d\n", key(i), 1000+i)
	}
	return b.Bytes()
}

func base(i int) (string, string) { return "丹东草莓" + strconv.Itoa(i), strconv.Itoa(1000 + i) }

func wantCounts(t *testing.T, what string, rep *datasets.Report, imported, updated, unchanged, rejected int) {
	t.Helper()
	got := rep.Counts
	want := datasets.Counts{Rows: imported + updated + unchanged + rejected, Imported: imported, Updated: updated, Unchanged: unchanged, Rejected: rejected}
	if got != want {
		t.Fatalf("%s: counts %+v, want %+v (rejections %v)", what, got, want, rep.Rejections)
	}
}

// TestImportIsIdempotent: a file imported twice changes nothing the second
// time; changed rows are updated; reverting them is a change again; a dry
// run predicts exactly what the real run then does, without writing.
func TestImportIsIdempotent(t *testing.T) {
	e := newEnv(t)
	first := e.file("a.csv", csvOf(30, base))
	wantCounts(t, "first import", e.mustImport(first, false), 30, 0, 0, 0)
	before := e.stored()
	if len(before) != 30 || before["F007"] != "丹东草莓7/1007" {
		t.Fatalf("stored %d records, F007=%q", len(before), before["F007"])
	}
	wantCounts(t, "same file again", e.mustImport(first, false), 0, 0, 30, 0)

	changed := e.file("b.csv", csvOf(32, func(i int) (string, string) {
		if i == 3 || i == 20 {
			return "盘锦大米", "350"
		}
		return base(i)
	}))
	dry := e.mustImport(changed, true)
	wantCounts(t, "dry run of the changed file", dry, 2, 2, 28, 0)
	if got := e.stored(); len(got) != 30 || got["F003"] != before["F003"] {
		t.Fatalf("the dry run wrote: %d records, F003=%q", len(got), got["F003"])
	}
	wantCounts(t, "changed file", e.mustImport(changed, false), 2, 2, 28, 0)
	if got := e.stored(); got["F003"] != "盘锦大米/350" || got["F031"] != "丹东草莓31/1031" || len(got) != 32 {
		t.Fatalf("after the change: %d records, F003=%q F031=%q", len(got), got["F003"], got["F031"])
	}
	// Back to the first content: those two rows changed again.
	wantCounts(t, "revert", e.mustImport(first, false), 0, 2, 28, 0)
	if got := e.stored(); got["F003"] != before["F003"] {
		t.Fatalf("after the revert F003=%q, want %q", got["F003"], before["F003"])
	}
}

// TestImportEncodingsAgree: the same table as UTF-8, UTF-8 with BOM, GBK
// and XLSX imports to the same records (the later ones unchanged).
func TestImportEncodingsAgree(t *testing.T) {
	e := newEnv(t)
	plain := csvOf(12, base)
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(plain)
	if err != nil {
		t.Fatal(err)
	}
	var xlsx bytes.Buffer
	w := tabular.NewXLSXWriter(&xlsx, "水果")
	for _, line := range strings.Split(strings.TrimSpace(string(plain)), "\n") {
		if err := w.WriteRow(strings.Split(line, ",")); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files := []struct {
		name, enc string
		body      []byte
	}{
		{"utf8.csv", "utf-8", plain},
		{"bom.csv", "utf-8-bom", append([]byte("\ufeff"), plain...)},
		{"gbk.csv", "gbk", gbk},
		{"book.xlsx", "xlsx", xlsx.Bytes()},
	}
	for i, f := range files {
		rep := e.mustImport(e.file(f.name, f.body), false)
		if rep.Encoding != f.enc {
			t.Errorf("%s: encoding %q, want %q", f.name, rep.Encoding, f.enc)
		}
		if i == 0 {
			wantCounts(t, f.name, rep, 12, 0, 0, 0)
		} else {
			wantCounts(t, f.name, rep, 0, 0, 12, 0)
		}
	}
	if got := e.stored()["F011"]; got != "丹东草莓11/1011" {
		t.Fatalf("F011 = %q", got)
	}
}

// TestImportRejectsRows: invalid rows are reported with their file row
// number and reason; valid rows around them are imported.
func TestImportRejectsRows(t *testing.T) {
	e := newEnv(t)
	body := "代码,名称,价格(分),备注\n" + // aliases, half-width brackets, an ignored column
		"A1,鞍山南果梨,800,好\n" +
		"A2,,100,\n" + // no name
		"A3,铁岭榛子,-5,\n" + // negative price
		"\n" + // empty rows are skipped
		"A4,朝阳小米,abc,\n" +
		"A5,大连苹果,600,,extra\n" + // more cells than the header
		"A6,\"锦州,北镇葡萄\",700,\n"
	rep := e.mustImport(e.file("r.csv", []byte(body)), false)
	wantCounts(t, "mixed file", rep, 2, 0, 0, 4)
	want := map[int]string{3: "name", 4: "price", 6: "price", 7: "row"}
	for _, r := range rep.Rejections {
		if _, ok := r.Fields[want[r.Row]]; !ok {
			t.Errorf("row %d rejected for %v, want a reason for %q", r.Row, r.Fields, want[r.Row])
		}
		delete(want, r.Row)
	}
	if len(want) > 0 {
		t.Errorf("rows not rejected: %v", want)
	}
	if got := e.stored(); got["A6"] != "锦州,北镇葡萄/700" || len(got) != 2 {
		t.Fatalf("stored %v", got)
	}
	if len(rep.Ignored) != 1 || rep.Ignored[0] != "备注" {
		t.Errorf("ignored columns %v, want [备注]", rep.Ignored)
	}
}

// TestImportRefusesUnusableFiles: nothing is written for a file whose
// header, encoding or content makes it unusable.
func TestImportRefusesUnusableFiles(t *testing.T) {
	e := newEnv(t)
	headerCode := func(code string) func(error) bool {
		return func(err error) bool {
			var he *datasets.HeaderError
			return errors.As(err, &he) && he.Code == code
		}
	}
	is := func(target error) func(error) bool { return func(err error) bool { return errors.Is(err, target) } }
	cases := []struct {
		name string
		body []byte
		want func(error) bool
	}{
		{"missing column", []byte("编号,价格\nX1,100\n"), headerCode("missing_columns")},
		{"two columns for one", []byte("编号,名称,品名\nX1,a,b\n"), headerCode("duplicate_column")},
		{"empty", []byte{}, is(tabular.ErrEmpty)},
		{"binary", []byte{0x00, 0xff, 0xfe, 0x81, 0x30, 0xc0, 0xc1, 0xff, 0x00, 0x9f}, is(tabular.ErrEncoding)},
		{"not an xlsx zip", []byte("PK\x03\x04garbage"), is(tabular.ErrFormat)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.importFile(e.file(c.name+".csv", c.body), false)
			if !c.want(err) {
				t.Fatalf("err = %v", err)
			}
		})
	}
	if n := len(e.stored()); n != 0 {
		t.Fatalf("%d records written from unusable files", n)
	}
}

// TestImportStopsAtBrokenRowAndResumes: a file whose quoting breaks at a
// row keeps the batches before it and says where; after the fix, importing
// again completes and the committed rows come back unchanged.
func TestImportStopsAtBrokenRowAndResumes(t *testing.T) {
	e := newEnv(t)
	good := csvOf(40, base)
	lines := strings.SplitAfter(string(good), "\n")
	broken := strings.Join(lines[:30], "") + "F999,\"unclosed,1\n" + strings.Join(lines[30:], "")
	rep, err := e.importFile(e.file("broken.csv", []byte(broken)), false)
	if err == nil || !strings.Contains(err.Error(), "row") {
		t.Fatalf("err = %v, want a malformed-row error naming the row", err)
	}
	if rep == nil || rep.CommittedRow < 2 || rep.CommittedRow > 30 {
		t.Fatalf("report %+v: committed row should be before the broken row 31", rep)
	}
	kept := len(e.stored())
	if kept != rep.CommittedRow-1 {
		t.Fatalf("%d records stored, report says rows 2..%d", kept, rep.CommittedRow)
	}
	rep2 := e.mustImport(e.file("fixed.csv", good), false)
	wantCounts(t, "resume", rep2, 40-kept, 0, kept, 0)
}

// TestImportRepairsAfterCrash: an import killed between writing a
// batch's fingerprints and updating its records leaves a pending note; a
// restart deletes those fingerprints so the next import rewrites the rows.
func TestImportRepairsAfterCrash(t *testing.T) {
	e := newEnv(t)
	e.mustImport(e.file("a.csv", csvOf(5, base)), false)
	changed := e.file("b.csv", csvOf(5, func(i int) (string, string) { return "变了", "1" }))
	wantCounts(t, "change", e.mustImport(changed, false), 0, 5, 0, 0)
	// Simulate the crash: put the records back as they were and leave a
	// note naming the new fingerprints, as writeBatch would have.
	ctx := context.Background()
	coll := e.db.Collection(e.ds.Collection)
	if _, err := coll.UpdateMany(ctx, bson.D{}, bson.D{{Key: "$set", Value: bson.D{{Key: "name", Value: "旧"}}}}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	cur, err := e.db.Collection("import_fingerprints").Find(ctx, bson.D{{Key: "d", Value: e.ds.Name}})
	if err != nil {
		t.Fatal(err)
	}
	for cur.Next(ctx) {
		ids = append(ids, cur.Current.Lookup("_id").StringValue())
	}
	if _, err := e.db.Collection("import_pending").InsertOne(ctx, bson.D{{Key: "_id", Value: "crash"}, {Key: "fps", Value: ids}}); err != nil {
		t.Fatal(err)
	}
	if wantCounts(t, "before repair", e.mustImport(changed, false), 0, 0, 5, 0); e.stored()["F001"] != "旧/1" {
		t.Fatal("expected the simulated lost update to be visible before repair")
	}
	// A restart repairs; the same import then rewrites the rows.
	if _, err := datasets.NewService(ctx, e.db, nil, datasets.Config{}, testserver.Logger()); err != nil {
		t.Fatal(err)
	}
	wantCounts(t, "after repair", e.mustImport(changed, false), 0, 5, 0, 0)
	if got := e.stored()["F001"]; got != "变了/1" {
		t.Fatalf("F001 = %q after repair", got)
	}
}

package datasets_test

import (
	"context"
	"fmt"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/internal/tabular"
)

// Import throughput against the embedded store, with the store's own bulk
// insert as the baseline measured in the same run:
//
//	go test -run '^$' -bench Import -benchtime 3x ./farmers/datasets/
//
// Each op moves benchRows rows in batches of 1,000 (the service default).
const benchRows = 20000

func newBenchEnv(b *testing.B) *env { return newEnvBatch(b, 1000) }

// BenchmarkImportBaselineInsertMany: the same documents, 1,000 per
// unordered InsertMany, no validation, no fingerprints.
func BenchmarkImportBaselineInsertMany(b *testing.B) {
	e := newBenchEnv(b)
	ctx := context.Background()
	coll := e.db.Collection("bench_raw")
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		for start := 0; start < benchRows; start += 1000 {
			docs := make([]any, 0, 1000)
			for i := start; i < start+1000; i++ {
				docs = append(docs, bson.D{{Key: "_id", Value: fmt.Sprintf("%d-%d", n, i)}, {Key: "code", Value: fmt.Sprintf("%d-%d", n, i)},
					{Key: "name", Value: "丹东草莓"}, {Key: "price", Value: int64(1000 + i)}})
			}
			if _, err := coll.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false)); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkImportFresh: new rows, parsed, validated and fingerprinted.
func BenchmarkImportFresh(b *testing.B) {
	e := newBenchEnv(b)
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		path := e.file(fmt.Sprintf("fresh%d.csv", n), benchCSV(n))
		b.StartTimer()
		rep := e.mustImportB(b, path)
		if rep.Imported != benchRows {
			b.Fatalf("imported %d", rep.Imported)
		}
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkImportUnchanged: the same file again: every row unchanged.
func BenchmarkImportUnchanged(b *testing.B) {
	e := newBenchEnv(b)
	path := e.file("same.csv", benchCSV(0))
	e.mustImportB(b, path)
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		if rep := e.mustImportB(b, path); rep.Unchanged != benchRows {
			b.Fatalf("unchanged %d", rep.Unchanged)
		}
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

func benchCSV(n int) []byte {
	return csvOfKeys(benchRows, func(i int) string { return fmt.Sprintf("B%d-%06d", n, i) })
}

func (e *env) mustImportB(b *testing.B, path string) *datasets.Report {
	r, err := tabular.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	rep, err := e.svc.Import(context.Background(), e.ds, r, datasets.ImportOptions{})
	if err != nil {
		b.Fatal(err)
	}
	return rep
}

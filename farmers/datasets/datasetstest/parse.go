package datasetstest

import (
	"bytes"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
)

// RoundTrip checks the export round-trip for one record: stored as the
// importer would store it, downloaded, and parsed again, it must come
// back with the same key and fields. Datasets test their Parse and Format
// with it.
func RoundTrip(d *datasets.Dataset, rec datasets.Record) error {
	raw, err := bson.Marshal(append(bson.D{{Key: "_id", Value: "id-1"}}, rec.Fields...))
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	row, err := datasets.FormatRow(d, raw)
	if err != nil {
		return fmt.Errorf("format: %w", err)
	}
	back, err := d.Parse(row)
	if err != nil {
		return fmt.Errorf("parse %v: %w", row, err)
	}
	want, _ := bson.Marshal(rec.Fields)
	got, _ := bson.Marshal(back.Fields)
	if back.Key != rec.Key || !bytes.Equal(want, got) {
		return fmt.Errorf("row %v reads back as %q %v, want %q %v", row, back.Key, back.Fields, rec.Key, rec.Fields)
	}
	return nil
}

// CheckParse runs parse on row for a table test. With bad set, the row
// must be rejected with a reason for that column (ok false: the case is
// done); otherwise it must be accepted. A mismatch is the error.
func CheckParse(parse func(datasets.Row) (datasets.Record, error), row datasets.Row, bad string) (rec datasets.Record, ok bool, err error) {
	rec, perr := parse(row)
	if bad != "" {
		var re *datasets.RowError
		if !errors.As(perr, &re) || re.Fields[bad] == "" {
			return rec, false, fmt.Errorf("want %s rejected, got %v", bad, perr)
		}
		return rec, false, nil
	}
	if perr != nil {
		return rec, false, perr
	}
	return rec, true, nil
}

// FieldMap is a record's fields by name, for assertions.
func FieldMap(rec datasets.Record) map[string]any {
	m := make(map[string]any, len(rec.Fields))
	for _, e := range rec.Fields {
		m[e.Key] = e.Value
	}
	return m
}

// RejectedFor says what is wrong, if anything, with a parser's refusal in a
// table test: it must be a *RowError giving a reason for exactly the
// columns cols.
func RejectedFor(err error, cols []string) error {
	var re *datasets.RowError
	if !errors.As(err, &re) {
		return fmt.Errorf("want a RowError for %v, got %v", cols, err)
	}
	for _, col := range cols {
		if re.Fields[col] == "" {
			return fmt.Errorf("no reason for %s: %v", col, re.Fields)
		}
	}
	if len(re.Fields) != len(cols) {
		return fmt.Errorf("reasons %v, want exactly %v", re.Fields, cols)
	}
	return nil
}

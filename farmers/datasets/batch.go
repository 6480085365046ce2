package datasets

import (
	"errors"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// item is one file row on its way in.
type item struct {
	row     int
	key     string
	fields  bson.D
	fp      fingerprint
	outcome byte
	reasons map[string]string
}

// batch is up to BatchSize rows, written together.
type batch struct {
	no    int
	items []item
}

// parseRow validates one file row into an item; invalid rows are items
// with outcome rejected, so the report keeps the file's order.
func parseRow(d *Dataset, hm HeaderMap, cells []string, rowNum int) item {
	it := item{row: rowNum}
	if len(cells) > hm.Width && hasText(cells[hm.Width:]) {
		return rejected(it, map[string]string{"row": "has more cells than the header"})
	}
	rec, err := d.Parse(hm.Row(cells))
	if err != nil {
		var re *RowError
		if errors.As(err, &re) {
			return rejected(it, re.Fields)
		}
		return rejected(it, map[string]string{"row": err.Error()})
	}
	if rec.Key == "" {
		return rejected(it, map[string]string{"row": "has no key"})
	}
	fp, err := newFingerprint(d.Name, rec.Key, rec.Fields)
	if err != nil {
		return rejected(it, map[string]string{"row": err.Error()})
	}
	it.key, it.fields, it.fp = rec.Key, rec.Fields, fp
	return it
}

func rejected(it item, reasons map[string]string) item {
	it.outcome, it.reasons = OutRejected, reasons
	return it
}

func hasText(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return true
		}
	}
	return false
}

// valid returns the indexes of the items still to be decided.
func (b *batch) valid() []int {
	var out []int
	for i := range b.items {
		if b.items[i].outcome == 0 {
			out = append(out, i)
		}
	}
	return out
}

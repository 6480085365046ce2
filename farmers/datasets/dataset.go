// Package datasets is the frame every 12316 data resource shares: the
// catalogue that describes each dataset (as CKAN does), bulk import from
// the files 12316 exports (CSV in UTF-8 or GBK, XLSX) with a per-row
// report, and streamed downloads as JSON or CSV.
//
// The datasets themselves (registry, knowledge, prices, supply) live in
// their own packages and register a Dataset here when the server wires
// them. Each owns its documents; this package reads and writes them only
// through the Dataset's own Parse and Format functions.
package datasets

import (
	"go.mongodb.org/mongo-driver/v2/bson"
)

// Column is one field of a dataset as files and downloads name it.
type Column struct {
	Name        string   `json:"name"`              // canonical header (English, lowerCamel); also the JSON field
	Title       string   `json:"title"`             // Chinese header, written in downloads: "手机号"
	Aliases     []string `json:"aliases,omitempty"` // other headers 12316 exports use: "联系电话", "mobile"
	Type        string   `json:"type"`              // string integer number date datetime region phone list boolean
	Required    bool     `json:"required"`
	Description string   `json:"description"`
}

// Row is one import row, by canonical column name. Cells are trimmed;
// a column absent from the file is absent from the map.
type Row map[string]string

// Record is what a valid import row becomes.
type Record struct {
	// Key is the natural key: rows with equal keys are the same record, so
	// importing a file again updates instead of duplicating.
	Key string
	// Fields are the stored fields the import owns (no _id). Fields the
	// import does not own (a person's consent, a verification) are kept
	// when a record is updated.
	Fields bson.D
}

// RowError rejects one row; Fields maps column → reason.
type RowError struct {
	Fields map[string]string
}

func (e *RowError) Error() string {
	s := "invalid row:"
	for k, v := range e.Fields {
		s += " " + k + ": " + v + ";"
	}
	return s
}

// Reject is a RowError for one column.
func Reject(column, reason string) *RowError {
	return &RowError{Fields: map[string]string{column: reason}}
}

// Dataset describes one resource to the catalogue, the importer and downloads.
type Dataset struct {
	Name        string // URL name: "people", "knowledge", "prices", "supply"
	Title       string // 中文标题
	TitleEn     string
	Description string
	Licence     string // e.g. "CC-BY-4.0" or "政府数据开放许可（有条件开放）"
	Frequency   string // "daily", "weekly", "continuous", ...
	Scope       string // API scope needed to read it (access.Scope*)
	Collection  string // MongoDB collection holding its records
	ListPath    string // the list route, e.g. "/api/v1/prices" (downloads: ?format=csv|json)
	// KeyField is the stored field holding Record.Key, with a unique index
	// the dataset creates. "_id" makes the key the document id.
	KeyField string
	Columns  []Column
	// Parse validates one row and returns the record to store, or a
	// *RowError saying why the row is rejected. It must not touch storage.
	Parse func(Row) (Record, error)
	// Format turns a stored document into cells in Columns order, such that
	// Parse(those cells) gives the same Record back (export round-trip).
	Format func(bson.Raw) ([]string, error)
}

// Column returns the column named name.
func (d *Dataset) Column(name string) (Column, bool) {
	for _, c := range d.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

package datasets

import "time"

// Outcomes of one row, as stored in a job's row log (one byte a row).
const (
	OutImported  = 'I' // a new record
	OutUpdated   = 'U' // an existing record changed
	OutUnchanged = 'S' // same as stored: nothing written
	OutRejected  = 'R' // invalid: see the reasons
)

// OutcomeName is the report's word for an outcome byte.
func OutcomeName(o byte) string {
	switch o {
	case OutImported:
		return "imported"
	case OutUpdated:
		return "updated"
	case OutUnchanged:
		return "unchanged"
	default:
		return "rejected"
	}
}

// Counts are a report's totals.
type Counts struct {
	Rows      int `bson:"rows" json:"rows"`
	Imported  int `bson:"imported" json:"imported"`
	Updated   int `bson:"updated" json:"updated"`
	Unchanged int `bson:"unchanged" json:"unchanged"`
	Rejected  int `bson:"rejected" json:"rejected"`
}

func (c *Counts) add(o byte) {
	c.Rows++
	switch o {
	case OutImported:
		c.Imported++
	case OutUpdated:
		c.Updated++
	case OutUnchanged:
		c.Unchanged++
	default:
		c.Rejected++
	}
}

// Rejection is one rejected row and why.
type Rejection struct {
	Row    int               `bson:"row" json:"row"`
	Fields map[string]string `bson:"fields" json:"fields"`
}

// Report is what an import did (or, dry, would do).
type Report struct {
	Dataset  string         `bson:"dataset" json:"dataset"`
	DryRun   bool           `bson:"dryRun" json:"dryRun"`
	Encoding string         `bson:"encoding" json:"encoding"`
	Columns  []MappedColumn `bson:"columns" json:"columns"`
	Ignored  []string       `bson:"ignored" json:"ignored"` // file headers not imported
	Counts   `bson:",inline"`
	// CommittedRow is the last file row whose batch is fully written: an
	// interrupted import is resumed by importing the file again (rows up
	// to here come back unchanged).
	CommittedRow  int           `bson:"committedRow" json:"committedRow"`
	Rejections    []Rejection   `bson:"rejections" json:"rejections"` // the first maxRejections
	Duration      time.Duration `bson:"-" json:"-"`
	RowsPerSecond float64       `bson:"rowsPerSecond" json:"rowsPerSecond"`

	started time.Time
}

// clock brings Duration and RowsPerSecond up to now.
func (r *Report) clock() {
	r.Duration = time.Since(r.started)
	if secs := r.Duration.Seconds(); secs > 0 {
		r.RowsPerSecond = float64(r.Rows) / secs
	}
}

// MappedColumn says which file header fed which dataset column.
type MappedColumn struct {
	File   string `bson:"file" json:"file"`
	Column string `bson:"column" json:"column"`
}

// A report keeps the first rejections; the job's row log keeps all.
const maxRejections = 1000

func (r *Report) reject(row int, fields map[string]string) {
	if len(r.Rejections) < maxRejections {
		r.Rejections = append(r.Rejections, Rejection{Row: row, Fields: fields})
	}
}

package datasets

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/farmers/regions"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

// RegionCell reads a region cell as 12316 files write it: a GB/T 2260 code
// or a name ("盘锦市", "沈阳和平区"). The code returned is canonical (an
// abolished code becomes its successor), so filters on stored codes work.
func RegionCell(s string) (string, bool) {
	r, ok := regions.Lookup(s)
	if !ok {
		if r, ok = regions.ByName(s); !ok {
			return "", false
		}
	}
	return regions.Canonical(r.Code)
}

// 12316's files state money in 元 with up to two decimals; the platform
// keeps integer fen. The conversion reads the decimal text digit by digit,
// never through a float, so "0.29" is 29 fen and not 28.

var errYuan = errors.New("must be an amount in 元 with at most 2 decimals, e.g. 3.50")

// maxYuanDigits bounds the integer part (10^12 元 is far beyond any price)
// so that fen never overflow int64.
const maxYuanDigits = 12

// ParseYuan reads "3.5", "3.50", "3", "1,234.50" or "3.50元" as fen.
// Negative amounts, more than two decimals and anything else are errors.
func ParseYuan(s string) (int64, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "元"))
	s = strings.ReplaceAll(s, ",", "")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(whole) > maxYuanDigits || len(frac) > 2 || !digits(whole) || !digits(frac) {
		return 0, errYuan
	}
	frac += "00"[len(frac):]
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, errYuan
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	return w*100 + f, nil
}

// FormatYuan writes fen as 元 with two decimals: 350 → "3.50".
func FormatYuan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return sign + strconv.FormatInt(fen/100, 10) + "." + strconv.FormatInt(fen%100/10, 10) + strconv.FormatInt(fen%10, 10)
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// DateTimeLayout is how times are written in downloads: Shanghai wall
// clock to the second, as 12316's own exports do.
const DateTimeLayout = "2006-01-02 15:04:05"

// dateTimeLayouts are the forms 12316's files use for a moment in time.
var dateTimeLayouts = []string{
	DateTimeLayout, "2006-01-02 15:04", "2006/01/02 15:04:05", "2006/1/2 15:04:05",
	"2006/01/02 15:04", "2006/1/2 15:04", DayLayout, "2006/01/02", "2006/1/2", "20060102",
}

// ParseDateTime reads a time as 12316 writes it (Shanghai wall clock; a
// bare date is its midnight) or RFC 3339. Sub-second digits are dropped so
// that a download, written to the second, reads back as the same time: Go
// reads a fraction after the seconds even where a layout has none. A time
// whose Shanghai year DateTimeLayout cannot write (an RFC 3339 time near
// 0000 or 9999) is refused, since its download would not read back.
func ParseDateTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, s)
	for _, l := range dateTimeLayouts {
		if err == nil {
			break
		}
		t, err = time.ParseInLocation(l, s, tz.Shanghai)
	}
	if y := t.In(tz.Shanghai).Year(); err != nil || y < 0 || y > 9999 {
		return time.Time{}, false
	}
	return t.Truncate(time.Second), true
}

// FormatDateTime writes t as DateTimeLayout in Shanghai.
func FormatDateTime(t time.Time) string { return t.In(tz.Shanghai).Format(DateTimeLayout) }

// ParseDayCell reads a calendar day as 12316 writes it ("2026-11-27",
// "2026/11/27", "20261127") and returns it as YYYY-MM-DD.
func ParseDayCell(s string) (string, bool) {
	for _, l := range []string{DayLayout, "2006/01/02", "2006/1/2", "20060102", "2006-1-2"} {
		if t, err := time.ParseInLocation(l, s, tz.Shanghai); err == nil {
			return t.Format(DayLayout), true
		}
	}
	return "", false
}

// FormatRow is a stored document as an import of its download reads it:
// Format's cells by column name, empty cells left out as HeaderMap.Row
// does. Parse(FormatRow(doc)) must give doc's record back.
func FormatRow(d *Dataset, raw bson.Raw) (Row, error) {
	cells, err := d.Format(raw)
	if err != nil {
		return nil, err
	}
	if len(cells) != len(d.Columns) {
		return nil, fmt.Errorf("%s: Format gave %d cells for %d columns", d.Name, len(cells), len(d.Columns))
	}
	r := Row{}
	for i, c := range d.Columns {
		if v := strings.TrimSpace(cells[i]); v != "" {
			r[c.Name] = v
		}
	}
	return r, nil
}

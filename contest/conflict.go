package contest

import (
	"fmt"
	"strings"
	"unicode"
)

// Judge is a member of a round's panel.
type Judge struct {
	ID string `json:"id"`
	// Org is the judge's organisation (工作单位). Entries with a member from
	// the same organisation are conflicts.
	Org string `json:"org"`
	// City is a GB/T 2260 code; county codes count as their prefecture city
	// (210102 和平区 is in 210100 沈阳市). Used only when a round turns on
	// the city rule.
	City string `json:"city"`
	// Expertise lists the tracks the judge is expert in; assignment prefers
	// matching tracks but does not require them.
	Expertise []string `json:"expertise,omitempty"`
	// DeclaredConflicts lists entry IDs the judge declared a conflict with
	// (relatives, former students, business ties the data cannot show).
	DeclaredConflicts []string `json:"declaredConflicts,omitempty"`
	// Inactive judges (withdrawn, ill) get no new work and lose their
	// unfinished assignments on the next run; finished reviews stay.
	Inactive bool `json:"inactive,omitempty"`
}

// Entry is a contest entry (参赛项目) as assignment and ranking see it.
type Entry struct {
	ID    string `json:"id"`
	Track string `json:"track"`
	// City is the GB/T 2260 code the entry competes for.
	City string `json:"city"`
	// MemberOrgs are the organisations of the team members.
	MemberOrgs []string `json:"memberOrgs,omitempty"`
}

// ConflictKind says which rule makes a judge–entry pair a conflict. The
// assignment report counts them per entry so organisers see why an entry
// could not get its k judges.
type ConflictKind string

// The conflict rules, most specific first: Conflicted reports the first
// that applies.
const (
	NoConflict       ConflictKind = ""
	ConflictDeclared ConflictKind = "declared"
	ConflictOrg      ConflictKind = "organisation"
	ConflictCity     ConflictKind = "city"
)

// Conflicted reports whether judge j must not score entry e, with a reason
// fit to show an organiser. cityRule turns on the city-round rule (no
// entries from the judge's own city).
func Conflicted(j Judge, e Entry, cityRule bool) (bool, string) {
	switch kind, detail := conflictOf(j, e, cityRule); kind {
	case ConflictDeclared:
		return true, "judge " + j.ID + " declared a conflict with entry " + e.ID
	case ConflictOrg:
		return true, fmt.Sprintf("judge %s and a member of entry %s are both from %s", j.ID, e.ID, detail)
	case ConflictCity:
		return true, fmt.Sprintf("judge %s and entry %s are both from city %s", j.ID, e.ID, detail)
	default:
		return false, ""
	}
}

// conflictOf is Conflicted without the prose, for callers that count.
func conflictOf(j Judge, e Entry, cityRule bool) (ConflictKind, string) {
	for _, id := range j.DeclaredConflicts {
		if id == e.ID {
			return ConflictDeclared, ""
		}
	}
	if jo := normOrg(j.Org); jo != "" {
		for _, o := range e.MemberOrgs {
			if normOrg(o) == jo {
				return ConflictOrg, strings.TrimSpace(o)
			}
		}
	}
	if cityRule {
		if jc := CityOf(j.City); jc != "" && jc == CityOf(e.City) {
			return ConflictCity, jc
		}
	}
	return NoConflict, ""
}

// CityOf maps a GB/T 2260 code to its prefecture-level city code: the
// first four digits followed by 00. Other strings are returned trimmed, so
// a caller that stores city names still gets exact matching.
func CityOf(code string) string {
	code = strings.TrimSpace(code)
	if len(code) == 6 && strings.Trim(code, "0123456789") == "" {
		return code[:4] + "00"
	}
	return code
}

// normOrg makes organisation names typed by different people comparable:
// full-width forms (（）, full-width letters and digits) become ASCII, letters
// are folded to lower case and white space is dropped. Registry org IDs
// would be better; until entries carry them, names must do.
func normOrg(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case unicode.IsSpace(r):
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

package contest

import (
	"fmt"
	"time"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

// checkEligibility lists every reason an entry may not be submitted, by
// field, so the team can fix them all at once. Ages are taken at the
// registration's close, the same day for every team.
func checkEligibility(ed *Edition, e *entryDoc) map[string]string {
	why := map[string]string{}
	rule := ed.Eligibility
	if n := len(e.Members); n < rule.MinMembers || n > rule.MaxMembers {
		why["members"] = fmt.Sprintf("a team has %d to %d members; this one has %d", rule.MinMembers, rule.MaxMembers, n)
	}
	if !ed.hasTrack(e.Track) {
		why["track"] = fmt.Sprintf("%q is not a track of this edition", e.Track)
	}
	on := ed.Registration.Closes
	for i, m := range e.Members {
		f := fmt.Sprintf("members[%d]", i)
		if !farmers.ValidRegion(m.Region) {
			why[f+".region"] = fmt.Sprintf("%s lives outside Liaoning (region %s)", m.Name, m.Region)
		}
		if rule.MinAge == 0 && rule.MaxAge == 0 {
			continue
		}
		age, ok := ageOn(m.BirthDate, on)
		switch {
		case !ok:
			why[f+".birthDate"] = "is needed: this edition limits ages"
		case rule.MinAge > 0 && age < rule.MinAge:
			why[f+".birthDate"] = fmt.Sprintf("%s is %d, under the minimum age %d", m.Name, age, rule.MinAge)
		case rule.MaxAge > 0 && age > rule.MaxAge:
			why[f+".birthDate"] = fmt.Sprintf("%s is %d, over the maximum age %d", m.Name, age, rule.MaxAge)
		}
	}
	return why
}

// ageOn is the age in whole years on day t of someone born on date.
func ageOn(date string, t time.Time) (int, bool) {
	b, err := time.ParseInLocation("2006-01-02", date, tz.Shanghai)
	if err != nil {
		return 0, false
	}
	t = t.In(tz.Shanghai)
	age := t.Year() - b.Year()
	if t.Month() < b.Month() || (t.Month() == b.Month() && t.Day() < b.Day()) {
		age--
	}
	return age, true
}

// ineligible is the 422 a refused submission answers.
func ineligible(why map[string]string) error {
	err := httpx.Invalid(why)
	err.Code = "ineligible"
	err.Message = "the entry does not meet the edition's eligibility rules"
	return err
}

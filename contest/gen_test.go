package contest

import (
	"fmt"
	"math/rand/v2"
)

// Liaoning's prefecture cities (GB/T 2260) and some county codes under
// them, so that generated contests exercise CityOf.
var testCities = []string{
	"210100", "210200", "210300", "210400", "210500", "210600", "210700",
	"210800", "210900", "211000", "211100", "211200", "211300", "211400",
}

var testTracks = []string{"种植", "养殖", "农产品加工", "乡村电商", "智慧农业"}

// randomContest builds a contest of realistic shape: entries from
// cooperatives, companies and universities; judges mostly from universities
// and institutes that also appear among entry members, a few declared
// conflicts, expertise in one or two tracks.
func randomContest(seed uint64, entries, judges int) ([]Entry, []Judge) {
	r := rand.New(rand.NewPCG(seed, 0x636f6e74657374))
	nUni := max(8, judges/3)
	unis := make([]string, nUni)
	for i := range unis {
		unis[i] = fmt.Sprintf("辽宁第%d农业大学", i+1)
	}
	nOther := max(40, entries/5)
	others := make([]string, nOther)
	for i := range others {
		others[i] = fmt.Sprintf("第%d农民专业合作社", i+1)
	}
	city := func() string {
		c := testCities[r.IntN(len(testCities))]
		if r.IntN(2) == 0 {
			return c[:4] + fmt.Sprintf("%02d", 1+r.IntN(12)) // a county of that city
		}
		return c
	}
	es := make([]Entry, entries)
	for i := range es {
		e := Entry{ID: fmt.Sprintf("E%04d", i+1), Track: testTracks[r.IntN(len(testTracks))], City: city()}
		for range 1 + r.IntN(3) {
			if r.IntN(4) == 0 {
				e.MemberOrgs = append(e.MemberOrgs, unis[r.IntN(len(unis))])
			} else {
				e.MemberOrgs = append(e.MemberOrgs, others[r.IntN(len(others))])
			}
		}
		es[i] = e
	}
	js := make([]Judge, judges)
	for i := range js {
		j := Judge{ID: fmt.Sprintf("J%03d", i+1), Org: unis[r.IntN(len(unis))], City: city()}
		if r.IntN(5) == 0 {
			j.Org = fmt.Sprintf("企业评委单位%d", i) // an outside expert
		}
		j.Expertise = append(j.Expertise, testTracks[r.IntN(len(testTracks))])
		if r.IntN(2) == 0 {
			j.Expertise = append(j.Expertise, testTracks[r.IntN(len(testTracks))])
		}
		for range r.IntN(3) {
			j.DeclaredConflicts = append(j.DeclaredConflicts, es[r.IntN(len(es))].ID)
		}
		js[i] = j
	}
	return es, js
}

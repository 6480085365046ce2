package seed

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/liaoning12316/agrimaker/farmers/regions"
	"github.com/liaoning12316/agrimaker/farmers/seedvocab"
)

// gen draws from one seeded source, in a fixed order, so output depends
// only on the options.
type gen struct {
	opts Options
	rnd  *rand.Rand
}

func pick[T any](g *gen, xs []T) T { return xs[g.rnd.IntN(len(xs))] }

func (g *gen) name() string {
	// Surnames are listed most common first: favour the head of the list.
	s := seedvocab.Surnames[min(g.rnd.IntN(len(seedvocab.Surnames)), g.rnd.IntN(len(seedvocab.Surnames)))]
	return s + pick(g, seedvocab.GivenNames)
}

// phone is a mainland mobile number; the 170 block keeps demo numbers
// apart from the demo accounts' 139 numbers.
func (g *gen) phone(i int) string { return fmt.Sprintf("170%08d", 10000000+i*7919%90000000) }

func (g *gen) county(city string) string {
	cs := regions.Counties(city)
	return pick(g, cs).Code
}

// cityCounty is a county of the product's origin: its own when given.
func (g *gen) cityCounty(p seedvocab.Product) string {
	if p.County != "" {
		return p.County
	}
	return g.county(p.City)
}

func (g *gen) productsOf(city string, kind string) []seedvocab.Product {
	var out []seedvocab.Product
	for _, p := range seedvocab.Produce {
		if p.City == city && p.Kind == kind {
			out = append(out, p)
		}
	}
	return out
}

func yuan(fen int64) string { return fmt.Sprintf("%d.%02d", fen/100, fen%100) }

func (g *gen) between(lo, hi int64) int64 {
	if hi <= lo {
		return lo
	}
	return lo + g.rnd.Int64N(hi-lo+1)
}

func day(t time.Time) string { return t.Format("2006-01-02") }

func inSeason(p seedvocab.Product, t time.Time) bool {
	return slices.Contains(p.Season, int(t.Month()))
}

func joinNonEmpty(sep string, xs ...string) string {
	var out []string
	for _, x := range xs {
		if x != "" {
			out = append(out, x)
		}
	}
	return strings.Join(out, sep)
}

func itoa(n int) string { return strconv.Itoa(n) }

package seed

import (
	"fmt"
	"time"

	"github.com/liaoning12316/agrimaker/farmers/regions"
	"github.com/liaoning12316/agrimaker/farmers/seedvocab"
)

// people: farmers mostly, with family farms, co-op members, brokers, new
// farmers, makers, experts and buyers; crops from their city's produce.
func (g *gen) people() table {
	t := table{dataset: "people", header: []string{"name", "phone", "roles", "region", "address", "crops", "livestock", "cooperative"}}
	roles := []string{"农户", "农户", "农户", "农户", "家庭农场", "合作社", "农村经纪人", "新农人", "农业创客", "农业专家", "采购商"}
	for i := 0; i < g.opts.People; i++ {
		city := pick(g, regions.Cities()).Code
		role := pick(g, roles)
		if g.rnd.IntN(5) == 0 {
			role += "、" + pick(g, roles)
		}
		crops := ""
		if cs := g.productsOf(city, seedvocab.KindCrop); len(cs) > 0 && role != "采购商" {
			p := pick(g, cs)
			crops = fmt.Sprintf("%s:%d亩", p.Commodity, 3+g.rnd.IntN(60))
		}
		livestock := ""
		if ls := g.productsOf(city, seedvocab.KindLivestock); len(ls) > 0 && g.rnd.IntN(4) == 0 {
			livestock = fmt.Sprintf("%s:%d", pick(g, ls).Commodity, 10+g.rnd.IntN(300))
		}
		coop := ""
		if g.rnd.IntN(3) == 0 {
			coop = regions.FullName(city)[len("辽宁省"):] + pick(g, seedvocab.CoopBrands) + pick(g, seedvocab.CoopSuffixes)
		}
		t.rows = append(t.rows, []string{g.name(), g.phone(i), role, g.county(city), pick(g, seedvocab.Villages),
			crops, livestock, coop})
	}
	return t
}

// knowledge: each hotline question asked a few times, in different places
// and years, answered by an expert of the field.
func (g *gen) knowledge() table {
	t := table{dataset: "knowledge", header: []string{"id", "question", "answer", "category", "crop", "region", "expert", "time"}}
	n := 0
	for _, qa := range seedvocab.Questions {
		for k := 0; k < 3; k++ {
			n++
			at := g.opts.Today.AddDate(0, 0, -g.rnd.IntN(3*365)).Truncate(time.Minute)
			at = time.Date(at.Year(), at.Month(), at.Day(), 8+g.rnd.IntN(10), g.rnd.IntN(60), 0, 0, at.Location())
			crop := qa.Crop
			if crop == "通用" {
				crop = ""
			}
			t.rows = append(t.rows, []string{fmt.Sprintf("12316-%d-%06d", at.Year(), n), qa.Question, qa.Answer, qa.Category,
				crop, g.county(pick(g, regions.Cities()).Code), pick(g, seedvocab.Experts).Name, at.Format(time.RFC3339)})
		}
	}
	return t
}

// prices: every product in season, daily, at a market of its city (or the
// provincial hub), as a bounded random walk inside its price range.
func (g *gen) prices() table {
	t := table{dataset: "prices", header: []string{"commodity", "variety", "market", "region", "date", "unit", "minPrice", "avgPrice", "maxPrice", "source"}}
	for _, p := range seedvocab.Produce {
		m := g.marketFor(p.City)
		avg := g.between(p.PriceMin, p.PriceMax)
		for d := g.opts.Days - 1; d >= 0; d-- {
			date := g.opts.Today.AddDate(0, 0, -d)
			step := (p.PriceMax - p.PriceMin) / 20
			avg = max(p.PriceMin, min(p.PriceMax, avg+g.between(-step, step)))
			if !inSeason(p, date) {
				continue
			}
			spread := max(1, avg/10)
			t.rows = append(t.rows, []string{p.Commodity, p.Variety, m.Name, m.County, day(date), p.Unit,
				yuan(max(1, avg-g.between(0, spread))), yuan(avg), yuan(avg + g.between(0, spread)), "12316"})
		}
	}
	return t
}

func (g *gen) marketFor(city string) seedvocab.Market {
	var local []seedvocab.Market
	for _, m := range seedvocab.Markets {
		if m.City == city && m.Kind == "wholesale" {
			local = append(local, m)
		}
	}
	if len(local) == 0 {
		return seedvocab.Markets[0]
	}
	return local[0]
}

// supply: farmers offering what their city grows, buyers asking for it.
func (g *gen) supply() table {
	t := table{dataset: "supply", header: []string{"id", "kind", "title", "commodity", "variety", "quantity", "unit", "price", "region", "validUntil", "contactName", "contactPhone", "description", "createdAt"}}
	for i := 0; i < g.opts.Posts; i++ {
		p := pick(g, seedvocab.Produce)
		kind, verb := "供应", "出售"
		if g.rnd.IntN(10) < 3 {
			kind, verb = "求购", "求购"
		}
		qty := 500 + g.rnd.IntN(50)*100
		price := ""
		if g.rnd.IntN(4) > 0 {
			price = yuan(g.between(p.PriceMin, p.PriceMax))
		}
		created := g.opts.Today.AddDate(0, 0, -g.rnd.IntN(20)).Truncate(time.Hour)
		t.rows = append(t.rows, []string{fmt.Sprintf("GQ%06d", i+1), kind,
			fmt.Sprintf("%s%s%s %d%s", verb, p.Variety, p.Commodity, qty, p.Unit), p.Commodity, p.Variety,
			itoa(qty), p.Unit, price, g.cityCounty(p), day(created.AddDate(0, 0, 30)), g.name(), g.phone(100000 + i),
			joinNonEmpty("，", regions.FullName(p.City)+"产地直供", "可视频看货"), created.Format(time.RFC3339)})
	}
	return t
}

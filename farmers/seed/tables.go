package seed

import (
	"fmt"
	"strings"
	"time"

	"github.com/liaoning12316/agrimaker/farmers/regions"
	"github.com/liaoning12316/agrimaker/farmers/registry"
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

// organisations: the cooperatives the people named (each led by the first
// member who named it, registered in that member's county, so members
// resolve to it), family farms, and agricultural companies and buyers.
// Most carry a credit code; 12316's older files often lack one.
func (g *gen) organisations(people table) table {
	t := table{dataset: "organisations", header: []string{"name", "creditCode", "type", "region", "address",
		"leaderName", "leaderPhone", "members", "products", "established"}}
	o := orgRows{g: g, t: &t, names: map[string]bool{}, codes: map[string]bool{}}
	for _, p := range people.rows { // name, phone, roles, region, address, crops, livestock, cooperative
		if p[7] != "" {
			o.add("合作社", p[7], p[3], p[0], p[1], 5+g.rnd.IntN(300))
		}
	}
	for i := 0; i < g.opts.People/20; i++ { // named after what they grow: 丹东市东港市绿源草莓种植专业合作社
		city := pick(g, regions.Cities()).Code
		crops := g.productsOf(city, seedvocab.KindCrop)
		if len(crops) == 0 {
			continue
		}
		county := g.county(city)
		name := regions.FullName(county)[len("辽宁省"):] + pick(g, seedvocab.CoopBrands) + pick(g, crops).Commodity + "种植专业合作社"
		o.add("合作社", name, county, g.name(), g.phone(400000+i), 5+g.rnd.IntN(150))
	}
	for i := 0; i < g.opts.People/10; i++ {
		county := g.county(pick(g, regions.Cities()).Code)
		leader := g.name()
		name := regionName(county) + string([]rune(leader)[:1]) + "家家庭农场"
		if g.rnd.IntN(2) == 0 {
			name = regionName(county) + leader + "家庭农场"
		}
		o.add("家庭农场", name, county, leader, g.phone(200000+i), 2+g.rnd.IntN(8))
	}
	for i := 0; i < g.opts.People/20; i++ {
		city := pick(g, regions.Cities()).Code
		typ, suffixes := "农业企业", []string{"农业发展有限公司", "农业科技有限公司", "食品有限公司", "生态农业有限公司"}
		if i%2 == 1 {
			typ, suffixes = "采购商", []string{"果蔬批发有限公司", "农产品经销有限公司", "农副产品购销有限公司", "生鲜超市有限公司"}
		}
		name := strings.TrimSuffix(regionName(city), "市") + pick(g, seedvocab.CoopBrands) + pick(g, suffixes)
		phone := g.phone(300000 + i)
		if i%3 == 0 { // companies often give the office landline
			phone = g.landline(city)
		}
		o.add(typ, name, g.county(city), g.name(), phone, 10*g.rnd.IntN(30))
	}
	return t
}

// orgRows adds organisation rows, keeping names and credit codes unique
// as registration does.
type orgRows struct {
	g            *gen
	t            *table
	names, codes map[string]bool
}

func (o *orgRows) add(typ, name, county, leader, phone string, members int) {
	if o.names[name] {
		return
	}
	o.names[name] = true
	g := o.g
	city := regions.CityOf(county)
	var products []string
	for _, p := range g.productsOf(city, seedvocab.KindCrop) {
		if len(products) < 2 && g.rnd.IntN(2) == 0 {
			products = append(products, p.Commodity+orgArea[typ](g))
		}
	}
	if ls := g.productsOf(city, seedvocab.KindLivestock); len(ls) > 0 && (len(products) == 0 || g.rnd.IntN(4) == 0) {
		products = append(products, pick(g, ls).Commodity)
	}
	established := g.opts.Today.AddDate(-1-g.rnd.IntN(16), -g.rnd.IntN(12), -g.rnd.IntN(28))
	membersCell := ""
	if members > 0 {
		membersCell = itoa(members)
	}
	o.t.rows = append(o.t.rows, []string{name, o.creditCode(typ, county), typ, county,
		pick(g, seedvocab.Villages) + itoa(1+g.rnd.IntN(200)) + "号", leader, phone, membersCell,
		strings.Join(products, ";"), day(established)})
}

// orgArea is the area a kind of organisation farms one product on: a
// family farm tens to a few hundred 亩, a co-op up to a few thousand; a
// buyer farms nothing (its products are what it buys).
var orgArea = map[string]func(g *gen) string{
	"家庭农场": func(g *gen) string { return fmt.Sprintf(":%d亩", 10*(2+g.rnd.IntN(40))) },
	"合作社":  func(g *gen) string { return fmt.Sprintf(":%d亩", 50*(1+g.rnd.IntN(60))) },
	"农业企业": func(g *gen) string { return fmt.Sprintf(":%d亩", 100*(1+g.rnd.IntN(50))) },
	"采购商":  func(*gen) string { return "" },
}

// creditCode is a well-formed unified social credit code, or "" (one in
// five): the kind code (93 co-op, 92 individual business, 91 company),
// the county, an "MA" organisation code as issued since 2015 and the
// GB 32100 check character.
func (o *orgRows) creditCode(typ, county string) string {
	g := o.g
	if g.rnd.IntN(5) == 0 {
		return ""
	}
	kind := map[string]string{"合作社": "93", "家庭农场": "92"}[typ]
	if kind == "" {
		kind = "91"
	}
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	for {
		b := []byte(kind + county + "MA")
		for len(b) < 17 {
			b = append(b, alphabet[g.rnd.IntN(len(alphabet))])
		}
		check, err := registry.CreditCheckChar(string(b))
		if code := string(append(b, check)); err == nil && !o.codes[code] {
			o.codes[code] = true
			return code
		}
	}
}

// regionName is a region's own name: 东港市, 和平区.
func regionName(code string) string {
	r, _ := regions.Lookup(code)
	return r.Name
}

// landline is an office number in city: 024 has 8-digit local numbers,
// the 4-digit area codes 7-digit ones.
func (g *gen) landline(city string) string {
	area := areaCodes[city]
	if len(area) == 3 {
		return fmt.Sprintf("%s-%d", area, 20000000+g.rnd.IntN(70000000))
	}
	return fmt.Sprintf("%s-%d", area, 2000000+g.rnd.IntN(7000000))
}

// areaCodes are the cities' telephone area codes (抚顺 and 铁岭 joined
// 沈阳's 024 in 2019 and 2020).
var areaCodes = map[string]string{
	"210100": "024", "210200": "0411", "210300": "0412", "210400": "024", "210500": "0414",
	"210600": "0415", "210700": "0416", "210800": "0417", "210900": "0418", "211000": "0419",
	"211100": "0427", "211200": "024", "211300": "0421", "211400": "0429",
}

package prices

import (
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/farmers/access"
	"github.com/liaoning12316/agrimaker/farmers/datasets"
)

const collection = "prices"

// Dataset describes market prices to the catalogue, imports and
// downloads. Files state prices in 元 (up to 2 decimals), stored as fen;
// downloads write 元 back, so a download imports back unchanged.
//
// Key (see Point.key): commodity|variety|market|date|source, or
// auction|<auction id> for prices from the platform's auctions.
var Dataset = &datasets.Dataset{
	Name:        "prices",
	Title:       "农产品市场价格",
	TitleEn:     "Agricultural market prices",
	Description: "Daily minimum, average and maximum prices of farm produce at Liaoning's markets, reported to 12316 or found at the platform's auctions.",
	Licence:     "CC-BY-4.0",
	Frequency:   "daily",
	Scope:       access.ScopePricesRead,
	Collection:  collection,
	ListPath:    "/api/v1/prices",
	KeyField:    "key",
	Columns: []datasets.Column{
		{Name: "commodity", Title: "品名", Aliases: []string{"品种", "产品", "产品名称", "农产品", "商品名称"}, Type: "string", Required: true},
		{Name: "variety", Title: "规格", Aliases: []string{"品种规格", "规格等级", "等级"}, Type: "string"},
		{Name: "market", Title: "市场", Aliases: []string{"市场名称", "批发市场", "采价点"}, Type: "string", Required: true},
		{Name: "region", Title: "地区", Aliases: []string{"区域", "地区代码", "行政区划", "行政区划代码", "所在地"}, Type: "region", Required: true,
			Description: "GB/T 2260 code or name of the market's city or county"},
		{Name: "date", Title: "日期", Aliases: []string{"报价日期", "采价日期", "价格日期"}, Type: "date", Required: true},
		{Name: "unit", Title: "单位", Aliases: []string{"计量单位", "价格单位"}, Type: "string", Required: true, Description: "斤, 公斤 …; 元/斤 is read as 斤"},
		{Name: "minPrice", Title: "最低价", Aliases: []string{"最低价格", "min"}, Type: "number", Description: "元 per unit; empty: the average"},
		{Name: "avgPrice", Title: "平均价", Aliases: []string{"均价", "平均价格", "avg", "price", "价格"}, Type: "number", Required: true, Description: "元 per unit"},
		{Name: "maxPrice", Title: "最高价", Aliases: []string{"最高价格", "max"}, Type: "number", Description: "元 per unit; empty: the average"},
		{Name: "source", Title: "来源", Aliases: []string{"数据来源"}, Type: "string", Description: "12316, auction or import (default)"},
		{Name: "auctionId", Title: "拍卖编号", Aliases: []string{"auction"}, Type: "string"},
	},
	Parse:  parseRow,
	Format: formatDoc,
}

func parseRow(r datasets.Row) (datasets.Record, error) {
	p := Point{Commodity: r["commodity"], Variety: r["variety"], Market: r["market"], Region: r["region"],
		Date: r["date"], Unit: r["unit"], Source: r["source"], AuctionID: r["auctionId"]}
	if p.Source == "" {
		p.Source = SourceImport
	}
	bad := map[string]string{}
	p.AvgPrice = yuanCell(bad, r, "avgPrice", 0)
	p.MinPrice = yuanCell(bad, r, "minPrice", p.AvgPrice)
	p.MaxPrice = yuanCell(bad, r, "maxPrice", p.AvgPrice)
	if len(bad) == 0 {
		bad = p.normalise()
	}
	if len(bad) > 0 {
		return datasets.Record{}, &datasets.RowError{Fields: bad}
	}
	return datasets.Record{Key: p.key(), Fields: p.fields()}, nil
}

// yuanCell reads a price cell in 元 as fen; an empty cell is def.
func yuanCell(bad map[string]string, r datasets.Row, name string, def int64) int64 {
	v, ok := r[name]
	if !ok || v == "" {
		return def
	}
	fen, err := datasets.ParseYuan(v)
	if err != nil {
		bad[name] = err.Error()
	}
	return fen
}

func formatDoc(raw bson.Raw) ([]string, error) {
	var p Point
	if err := bson.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("decode price: %w", err)
	}
	return []string{p.Commodity, p.Variety, p.Market, p.Region, p.Date, p.Unit,
		datasets.FormatYuan(p.MinPrice), datasets.FormatYuan(p.AvgPrice), datasets.FormatYuan(p.MaxPrice),
		p.Source, p.AuctionID}, nil
}

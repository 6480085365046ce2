package supply

import (
	"fmt"
	"strconv"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/farmers/access"
	"github.com/liaoning12316/agrimaker/farmers/datasets"
)

const collection = "supply_posts"

// Dataset describes supply and demand posts to the catalogue, imports
// and downloads. Prices are 元 per unit in files (empty: 面议).
//
// Key: 12316's post id when the file has one, else "h:" and a hash of
// title, contact phone and creation time; a post made through the API is
// keyed "p:<id>". Downloads write the key into the id column, so a
// download (by a platform user: keys see masked phones) imports back
// onto the same posts.
var Dataset = &datasets.Dataset{
	Name:        "supply",
	Title:       "供求信息",
	TitleEn:     "Supply and demand posts",
	Description: "Who offers or wants which produce, how much, where and until when, with a contact. Phone numbers are masked for API keys.",
	Licence:     "政府数据开放许可（有条件开放）",
	Frequency:   "continuous",
	Scope:       access.ScopeSupplyRead,
	Collection:  collection,
	ListPath:    "/api/v1/supply",
	KeyField:    "key",
	Columns: []datasets.Column{
		{Name: "id", Title: "信息编号", Aliases: []string{"编号", "供求编号", "ID"}, Type: "string"},
		{Name: "kind", Title: "类型", Aliases: []string{"供求类型", "信息类型", "供求"}, Type: "string", Required: true, Description: "供应/supply or 求购/demand"},
		{Name: "title", Title: "标题", Aliases: []string{"信息标题"}, Type: "string", Required: true},
		{Name: "commodity", Title: "品名", Aliases: []string{"产品", "产品名称", "品种", "商品名称"}, Type: "string", Required: true},
		{Name: "variety", Title: "规格", Aliases: []string{"品种规格", "规格等级"}, Type: "string"},
		{Name: "quantity", Title: "数量", Aliases: []string{"供应量", "需求量", "求购量"}, Type: "number", Required: true},
		{Name: "unit", Title: "单位", Aliases: []string{"数量单位", "计量单位"}, Type: "string", Required: true},
		{Name: "price", Title: "价格", Aliases: []string{"单价", "报价", "期望价格"}, Type: "number", Description: "元 per unit; empty: 面议 (to be agreed)"},
		{Name: "region", Title: "地区", Aliases: []string{"所在地", "产地", "地区代码", "行政区划代码"}, Type: "region", Required: true},
		{Name: "validUntil", Title: "有效期至", Aliases: []string{"截止日期", "有效期", "有效日期"}, Type: "date", Description: "empty: 30 days after posting"},
		{Name: "contactName", Title: "联系人", Aliases: []string{"联系人姓名"}, Type: "string", Required: true},
		{Name: "contactPhone", Title: "联系电话", Aliases: []string{"电话", "手机", "手机号", "联系方式"}, Type: "phone", Required: true},
		{Name: "description", Title: "详细说明", Aliases: []string{"描述", "说明", "备注", "详情"}, Type: "string"},
		{Name: "status", Title: "状态", Aliases: []string{"信息状态"}, Type: "string", Description: "有效/open (default) or 已关闭/closed"},
		{Name: "createdAt", Title: "发布时间", Aliases: []string{"发布日期", "创建时间"}, Type: "datetime", Required: true},
	},
	Parse:  parseRow,
	Format: formatDoc,
}

// Words files use for kinds and statuses; downloads write the first.
var (
	kindWords   = map[string]string{"供应": KindSupply, "供": KindSupply, "supply": KindSupply, "求购": KindDemand, "求": KindDemand, "需求": KindDemand, "demand": KindDemand}
	statusWords = map[string]string{"": StatusOpen, "有效": StatusOpen, "open": StatusOpen, "已关闭": StatusClosed, "关闭": StatusClosed, "closed": StatusClosed}
	kindTitle   = map[string]string{KindSupply: "供应", KindDemand: "求购"}
	statusTitle = map[string]string{StatusOpen: "有效", StatusClosed: "已关闭"}
)

func parseRow(r datasets.Row) (datasets.Record, error) {
	p := Post{Title: r["title"], Commodity: r["commodity"], Variety: r["variety"], Region: r["region"],
		ValidUntil: r["validUntil"], Description: r["description"],
		Quantity: Quantity{Unit: r["unit"]}, Contact: Contact{Name: r["contactName"], Phone: r["contactPhone"]}}
	bad := map[string]string{}
	p.Kind = word(bad, kindWords, r, "kind")
	p.Status = word(bad, statusWords, r, "status")
	if v, err := strconv.ParseFloat(r["quantity"], 64); err == nil {
		p.Quantity.Value = v
	}
	if v := r["price"]; v != "" {
		fen, err := datasets.ParseYuan(v)
		if err != nil {
			bad["price"] = err.Error()
		}
		p.Price = &fen
	}
	t, ok := datasets.ParseDateTime(r["createdAt"])
	if !ok {
		return datasets.Record{}, datasets.Reject("createdAt", "must be a time like 2026-11-27 14:30:00")
	}
	p.CreatedAt = t
	if p.ValidUntil == "" {
		p.ValidUntil = datasets.DayOf(t.AddDate(0, 0, defaultValidDays))
	}
	for k, v := range p.normalise() {
		bad[k] = v
	}
	if len(bad) > 0 {
		return datasets.Record{}, &datasets.RowError{Fields: columnNames(bad)}
	}
	p.Key = r["id"]
	if p.Key == "" {
		p.Key = derivedKey(p.Title, p.Contact.Phone, p.CreatedAt)
	}
	return datasets.Record{Key: p.Key, Fields: p.fields()}, nil
}

// word maps a cell through words; an unknown word is a rejection.
func word(bad map[string]string, words map[string]string, r datasets.Row, col string) string {
	v, ok := words[r[col]]
	if !ok {
		bad[col] = fmt.Sprintf("%q is not a known value", r[col])
	}
	return v
}

// columnNames renames the JSON paths normalise reports to file columns.
func columnNames(bad map[string]string) map[string]string {
	rename := map[string]string{"quantity.value": "quantity", "quantity.unit": "unit", "contact.name": "contactName", "contact.phone": "contactPhone"}
	out := make(map[string]string, len(bad))
	for k, v := range bad {
		if n, ok := rename[k]; ok {
			k = n
		}
		out[k] = v
	}
	return out
}

func formatDoc(raw bson.Raw) ([]string, error) {
	var p Post
	if err := bson.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("decode supply post: %w", err)
	}
	return cells(&p, p.Contact.Phone), nil
}

// cells are a post's download row, with phone as the caller may see it.
func cells(p *Post, phone string) []string {
	price := ""
	if p.Price != nil {
		price = datasets.FormatYuan(*p.Price)
	}
	return []string{p.Key, kindTitle[p.Kind], p.Title, p.Commodity, p.Variety, formatQuantity(p.Quantity.Value),
		p.Quantity.Unit, price, p.Region, p.ValidUntil, p.Contact.Name, phone, p.Description,
		statusTitle[p.Status], datasets.FormatDateTime(p.CreatedAt)}
}

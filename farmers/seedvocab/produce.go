// Package seedvocab is plain data for the demo-data generator: realistic
// Liaoning produce, markets, names, villages, hotline questions and experts.
// It holds no randomness and no logic; the generator picks from these tables.
//
// Region codes are GB/T 2260 codes from farmers/regions (current codes only).
// Prices are in fen per Unit and are plausible 2024–2026 wholesale or
// farm-gate ranges from memory of public market reports (新发地 and
// local price bulletins); they are meant to look right in a demo, not to
// quote a market.
package seedvocab

// Product is one product of one origin. (The table is Produce; Go cannot give
// a type and a variable the same name, and callers name the table far more.)
type Product struct {
	Commodity string // 草莓
	Variety   string // 红颜
	City      string // city code of the origin
	County    string // county code where the speciality is concentrated; "" = citywide
	Unit      string // 斤 | 公斤 | 头 | 箱 (a subset of market.Lot's units)
	PriceMin  int64  // fen per Unit
	PriceMax  int64  // fen per Unit
	Season    []int  // months (1–12) the product is normally on the market from this origin
	Kind      string // crop | livestock | aquatic
}

// Kinds of produce.
const (
	KindCrop      = "crop"
	KindLivestock = "livestock"
	KindAquatic   = "aquatic"
)

// Month sets reused below.
var (
	allYear     = []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	grainSeason = []int{1, 2, 3, 4, 10, 11, 12} // new crop in October, sold through spring
	storedFruit = []int{1, 2, 3, 4, 5, 10, 11, 12}
)

// Produce lists local specialities first (by city, in code order), then the
// bulk commodities every county has. Where a speciality is a registered
// geographical indication or a well-known origin the county is given.
var Produce = []Product{
	// 沈阳: 新民 is Shenyang's vegetable and melon belt (大民屯 白菜), and the
	// 前当堡 area is a freshwater-fish hub; corn is the province's main crop.
	{Commodity: "玉米", Variety: "籽粒玉米", City: "210100", County: "210181", Unit: "斤", PriceMin: 90, PriceMax: 130, Season: grainSeason, Kind: KindCrop},
	{Commodity: "西瓜", Variety: "大棚早熟西瓜", City: "210100", County: "210181", Unit: "斤", PriceMin: 80, PriceMax: 250, Season: []int{5, 6, 7, 8}, Kind: KindCrop},
	{Commodity: "白菜", Variety: "秋白菜", City: "210100", County: "210181", Unit: "斤", PriceMin: 30, PriceMax: 100, Season: []int{1, 2, 3, 10, 11, 12}, Kind: KindCrop},
	{Commodity: "鲤鱼", Variety: "池塘鲤鱼", City: "210100", County: "210181", Unit: "斤", PriceMin: 500, PriceMax: 800, Season: allYear, Kind: KindAquatic},
	{Commodity: "鸡蛋", Variety: "红皮鸡蛋", City: "210100", Unit: "斤", PriceMin: 350, PriceMax: 550, Season: allYear, Kind: KindLivestock},
	// White-feather broilers are raised all over Liaoning; placed here for the demo.
	{Commodity: "肉鸡", Variety: "白羽肉鸡(毛鸡)", City: "210100", Unit: "斤", PriceMin: 330, PriceMax: 450, Season: allYear, Kind: KindLivestock},

	// 大连: 瓦房店 apples, 旅顺/金州 cherries (美早 is the main big variety),
	// 长海 island seafood, 庄河 oysters; 辽参 is the Dalian sea cucumber.
	{Commodity: "苹果", Variety: "红富士", City: "210200", County: "210281", Unit: "斤", PriceMin: 250, PriceMax: 600, Season: storedFruit, Kind: KindCrop},
	{Commodity: "大樱桃", Variety: "美早", City: "210200", Unit: "斤", PriceMin: 1500, PriceMax: 12000, Season: []int{3, 4, 5, 6, 7}, Kind: KindCrop},
	{Commodity: "海参", Variety: "辽参(鲜活刺参)", City: "210200", Unit: "斤", PriceMin: 6000, PriceMax: 16000, Season: []int{4, 5, 10, 11}, Kind: KindAquatic},
	{Commodity: "鲍鱼", Variety: "皱纹盘鲍", City: "210200", County: "210224", Unit: "斤", PriceMin: 5000, PriceMax: 12000, Season: allYear, Kind: KindAquatic},
	{Commodity: "扇贝", Variety: "虾夷扇贝", City: "210200", County: "210224", Unit: "斤", PriceMin: 600, PriceMax: 2000, Season: []int{3, 4, 5, 6, 7, 8, 9, 10, 11}, Kind: KindAquatic},
	{Commodity: "牡蛎", Variety: "长牡蛎", City: "210200", County: "210283", Unit: "斤", PriceMin: 300, PriceMax: 800, Season: []int{1, 2, 3, 4, 10, 11, 12}, Kind: KindAquatic},

	// 鞍山: 南果梨 is mainly grown around 海城 and 千山; it is stored and
	// sold through the winter.
	{Commodity: "南果梨", Variety: "南果梨", City: "210300", County: "210381", Unit: "斤", PriceMin: 300, PriceMax: 800, Season: []int{1, 2, 9, 10, 11, 12}, Kind: KindCrop},
	{Commodity: "番茄", Variety: "设施番茄", City: "210300", Unit: "斤", PriceMin: 150, PriceMax: 450, Season: allYear, Kind: KindCrop},

	// 抚顺: 新宾 garden ginseng and forest frogs, 清原 gentian (关龙胆).
	{Commodity: "人参", Variety: "园参(鲜参)", City: "210400", County: "210422", Unit: "斤", PriceMin: 4000, PriceMax: 12000, Season: []int{9, 10}, Kind: KindCrop},
	// Farmed frogs count as freshwater aquaculture in fishery statistics.
	{Commodity: "林蛙", Variety: "中国林蛙", City: "210400", County: "210422", Unit: "斤", PriceMin: 6000, PriceMax: 16000, Season: []int{9, 10}, Kind: KindAquatic},
	{Commodity: "龙胆", Variety: "关龙胆(干品)", City: "210400", County: "210423", Unit: "斤", PriceMin: 2000, PriceMax: 4500, Season: []int{1, 2, 3, 10, 11, 12}, Kind: KindCrop},

	// 本溪: 桓仁 under-forest ginseng (sold by grade; this is a per-斤 average
	// across grades) and Vidal ice-wine grapes picked frozen in winter.
	{Commodity: "林下参", Variety: "林下山参", City: "210500", County: "210522", Unit: "斤", PriceMin: 50000, PriceMax: 200000, Season: []int{8, 9}, Kind: KindCrop},
	{Commodity: "冰葡萄", Variety: "威代尔", City: "210500", County: "210522", Unit: "斤", PriceMin: 400, PriceMax: 1000, Season: []int{12, 1}, Kind: KindCrop},

	// 丹东: 东港 strawberries (红颜, sold as "九九草莓"; 新发地 wholesale
	// ran 10–35 元/斤 over the 2021/22 season), blueberries, chestnuts
	// (Dandong grows most of Liaoning's), 东港 clams and swimming crabs.
	{Commodity: "草莓", Variety: "红颜(九九草莓)", City: "210600", County: "210681", Unit: "斤", PriceMin: 800, PriceMax: 3500, Season: []int{1, 2, 3, 4, 5, 11, 12}, Kind: KindCrop},
	{Commodity: "蓝莓", Variety: "蓝丰", City: "210600", Unit: "斤", PriceMin: 1500, PriceMax: 6000, Season: []int{3, 4, 5, 6, 7, 8}, Kind: KindCrop},
	{Commodity: "板栗", Variety: "丹东板栗", City: "210600", Unit: "斤", PriceMin: 400, PriceMax: 900, Season: []int{9, 10, 11, 12}, Kind: KindCrop},
	{Commodity: "黄蚬子", Variety: "四角蛤蜊", City: "210600", County: "210681", Unit: "斤", PriceMin: 300, PriceMax: 1000, Season: []int{4, 5, 6, 7, 8, 9, 10}, Kind: KindAquatic},
	// The Yellow Sea summer fishing ban runs 1 May – 1 September.
	{Commodity: "梭子蟹", Variety: "三疣梭子蟹", City: "210600", County: "210681", Unit: "斤", PriceMin: 3000, PriceMax: 9000, Season: []int{4, 9, 10, 11, 12}, Kind: KindAquatic},

	// 锦州: 北镇 grapes, 凌海 dried shrimp (锦州毛虾 is a registered GI).
	{Commodity: "葡萄", Variety: "巨峰", City: "210700", County: "210782", Unit: "斤", PriceMin: 200, PriceMax: 600, Season: []int{8, 9, 10, 11, 12}, Kind: KindCrop},
	{Commodity: "毛虾", Variety: "锦州毛虾(虾皮)", City: "210700", County: "210781", Unit: "斤", PriceMin: 1500, PriceMax: 4000, Season: []int{4, 5, 9, 10, 11, 12}, Kind: KindAquatic},
	{Commodity: "辣椒", Variety: "尖椒", City: "210700", Unit: "斤", PriceMin: 150, PriceMax: 400, Season: []int{6, 7, 8, 9, 10}, Kind: KindCrop},

	// 营口: 盖州 apples (国光 is the old Liaoning classic) and the 辽宁绒山羊
	// cashmere goat, a breed from the 盖州 area.
	{Commodity: "苹果", Variety: "国光", City: "210800", County: "210881", Unit: "斤", PriceMin: 200, PriceMax: 450, Season: storedFruit, Kind: KindCrop},
	{Commodity: "绒山羊", Variety: "辽宁绒山羊", City: "210800", County: "210881", Unit: "头", PriceMin: 80000, PriceMax: 200000, Season: allYear, Kind: KindLivestock},

	// 阜新: peanuts, potatoes and beef cattle on the dry western uplands.
	{Commodity: "花生", Variety: "小粒花生(带壳)", City: "210900", Unit: "斤", PriceMin: 300, PriceMax: 550, Season: []int{1, 2, 3, 4, 9, 10, 11, 12}, Kind: KindCrop},
	{Commodity: "土豆", Variety: "早熟黄心土豆", City: "210900", Unit: "斤", PriceMin: 80, PriceMax: 180, Season: []int{1, 2, 3, 4, 7, 8, 9, 10, 11, 12}, Kind: KindCrop},
	{Commodity: "肉牛", Variety: "西门塔尔育肥牛(活重)", City: "210900", County: "210921", Unit: "公斤", PriceMin: 2400, PriceMax: 3400, Season: allYear, Kind: KindLivestock},
	{Commodity: "犊牛", Variety: "西门塔尔犊牛", City: "210900", County: "210921", Unit: "头", PriceMin: 450000, PriceMax: 1100000, Season: allYear, Kind: KindLivestock},

	// 辽阳: 灯塔 calls itself "北国鱼米之乡" — rice and fish — and grows hawthorn.
	{Commodity: "大米", Variety: "圆粒粳米", City: "211000", County: "211081", Unit: "斤", PriceMin: 250, PriceMax: 450, Season: allYear, Kind: KindCrop},
	{Commodity: "山楂", Variety: "山里红", City: "211000", County: "211081", Unit: "斤", PriceMin: 150, PriceMax: 400, Season: []int{9, 10, 11, 12}, Kind: KindCrop},

	// 盘锦: 盘锦大米 (盐丰47 was bred for its saline paddies), rice-field
	// crabs traded at 胡家 in 盘山, jellyfish landed at 二界沟 in 大洼.
	{Commodity: "大米", Variety: "盐丰47", City: "211100", Unit: "斤", PriceMin: 300, PriceMax: 700, Season: allYear, Kind: KindCrop},
	{Commodity: "河蟹", Variety: "中华绒螯蟹(稻田蟹)", City: "211100", County: "211122", Unit: "斤", PriceMin: 1500, PriceMax: 8000, Season: []int{8, 9, 10, 11}, Kind: KindAquatic},
	{Commodity: "海蜇", Variety: "鲜海蜇", City: "211100", County: "211104", Unit: "斤", PriceMin: 300, PriceMax: 1000, Season: []int{8, 9}, Kind: KindAquatic},

	// 铁岭: hazelnuts, 开原 rice, 昌图 hogs (a major pig county), 西丰 sika
	// deer, 寒富 (a cold-hardy apple bred at 沈阳农业大学), soybeans.
	{Commodity: "榛子", Variety: "平欧杂交榛(大果榛子)", City: "211200", Unit: "斤", PriceMin: 1000, PriceMax: 2500, Season: []int{8, 9, 10, 11, 12}, Kind: KindCrop},
	{Commodity: "大米", Variety: "开原大米", City: "211200", County: "211282", Unit: "斤", PriceMin: 250, PriceMax: 500, Season: allYear, Kind: KindCrop},
	{Commodity: "生猪", Variety: "外三元(活重)", City: "211200", County: "211224", Unit: "公斤", PriceMin: 1100, PriceMax: 2000, Season: allYear, Kind: KindLivestock},
	{Commodity: "鹿茸", Variety: "梅花鹿鲜茸", City: "211200", County: "211223", Unit: "公斤", PriceMin: 100000, PriceMax: 300000, Season: []int{5, 6, 7, 8}, Kind: KindLivestock},
	{Commodity: "苹果", Variety: "寒富", City: "211200", Unit: "斤", PriceMin: 200, PriceMax: 500, Season: storedFruit, Kind: KindCrop},
	{Commodity: "大豆", Variety: "黄大豆", City: "211200", Unit: "斤", PriceMin: 200, PriceMax: 260, Season: grainSeason, Kind: KindCrop},

	// 朝阳: millet (建平), mung beans and sorghum on the dry west, 凌源
	// greenhouse cucumbers, sheep.
	{Commodity: "小米", Variety: "黄小米", City: "211300", County: "211322", Unit: "斤", PriceMin: 400, PriceMax: 900, Season: allYear, Kind: KindCrop},
	{Commodity: "绿豆", Variety: "明绿豆", City: "211300", Unit: "斤", PriceMin: 500, PriceMax: 900, Season: allYear, Kind: KindCrop},
	{Commodity: "高粱", Variety: "酿造高粱", City: "211300", Unit: "斤", PriceMin: 120, PriceMax: 200, Season: grainSeason, Kind: KindCrop},
	{Commodity: "黄瓜", Variety: "设施黄瓜", City: "211300", County: "211382", Unit: "斤", PriceMin: 150, PriceMax: 500, Season: allYear, Kind: KindCrop},
	{Commodity: "肉羊", Variety: "杂交肉羊(活重)", City: "211300", Unit: "公斤", PriceMin: 2000, PriceMax: 2800, Season: allYear, Kind: KindLivestock},

	// 葫芦岛: 绥中 white pears, 兴城 coastal catch (Bohai fishing ban 1 May – 1 September).
	{Commodity: "白梨", Variety: "绥中白梨", City: "211400", County: "211421", Unit: "斤", PriceMin: 150, PriceMax: 400, Season: []int{1, 2, 9, 10, 11, 12}, Kind: KindCrop},
	{Commodity: "皮皮虾", Variety: "口虾蛄", City: "211400", County: "211481", Unit: "斤", PriceMin: 2000, PriceMax: 6000, Season: []int{4, 9, 10, 11}, Kind: KindAquatic},
}

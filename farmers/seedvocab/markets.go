package seedvocab

// Market is a place (or channel) where produce is traded.
type Market struct {
	Name   string
	City   string // city code
	County string // county-level code
	Kind   string // wholesale | farmers | online
}

// Kinds of market.
const (
	MarketWholesale = "wholesale"
	MarketFarmers   = "farmers" // 农贸市场: retail and small-lot trade
	MarketOnline    = "online"
)

// Markets starts with real markets whose name and location were confirmed in
// public reporting; the rest are deliberately generic ("XX市农产品批发市场")
// so that the demo never puts words in a real company's mouth. Each generic
// market sits in its city's central district or the county of its speciality.
var Markets = []Market{
	// Real, confirmed:
	// 八家子 fruit market, 东贸路 in 大东区 (local news, 2025).
	{Name: "沈阳八家子水果批发市场", City: "210100", County: "210104", Kind: MarketWholesale},
	// 盛发 vegetable market off 胜利南街, 和平区 (local guide).
	{Name: "沈阳盛发菜果批发市场", City: "210100", County: "210102", Kind: MarketWholesale},
	// 前当堡 freshwater-fish market, 新民 (CRI, January 2025).
	{Name: "新民市前当堡鲜鱼批发市场", City: "210100", County: "210181", Kind: MarketWholesale},
	// 大民屯 vegetable logistics centre, 新民.
	{Name: "新民市大民屯镇农产品物流中心", City: "210100", County: "210181", Kind: MarketWholesale},
	// 胡家河蟹市场, 盘山县 (盘锦市政府网, 2022).
	{Name: "盘山县胡家河蟹市场", City: "211100", County: "211122", Kind: MarketWholesale},

	// Generic wholesale markets, one per city plus speciality towns.
	{Name: "大连市农产品批发市场", City: "210200", County: "210211", Kind: MarketWholesale},
	{Name: "大连市水产品批发市场", City: "210200", County: "210211", Kind: MarketWholesale},
	{Name: "瓦房店市果品交易市场", City: "210200", County: "210281", Kind: MarketWholesale},
	{Name: "鞍山市农产品批发市场", City: "210300", County: "210302", Kind: MarketWholesale},
	{Name: "海城市南果梨交易市场", City: "210300", County: "210381", Kind: MarketWholesale},
	{Name: "抚顺市农产品批发市场", City: "210400", County: "210411", Kind: MarketWholesale},
	{Name: "新宾满族自治县人参交易市场", City: "210400", County: "210422", Kind: MarketWholesale},
	{Name: "本溪市农产品批发市场", City: "210500", County: "210502", Kind: MarketWholesale},
	{Name: "丹东市农产品批发市场", City: "210600", County: "210603", Kind: MarketWholesale},
	{Name: "东港市草莓交易市场", City: "210600", County: "210681", Kind: MarketWholesale},
	{Name: "锦州市农产品批发市场", City: "210700", County: "210711", Kind: MarketWholesale},
	{Name: "北镇市葡萄交易市场", City: "210700", County: "210782", Kind: MarketWholesale},
	{Name: "营口市农产品批发市场", City: "210800", County: "210802", Kind: MarketWholesale},
	{Name: "阜新市农产品批发市场", City: "210900", County: "210902", Kind: MarketWholesale},
	{Name: "辽阳市农产品批发市场", City: "211000", County: "211002", Kind: MarketWholesale},
	{Name: "盘锦市农产品批发市场", City: "211100", County: "211103", Kind: MarketWholesale},
	{Name: "铁岭市农产品批发市场", City: "211200", County: "211202", Kind: MarketWholesale},
	{Name: "开原市粮食交易市场", City: "211200", County: "211282", Kind: MarketWholesale},
	{Name: "朝阳市农产品批发市场", City: "211300", County: "211302", Kind: MarketWholesale},
	{Name: "凌源市蔬菜批发市场", City: "211300", County: "211382", Kind: MarketWholesale},
	{Name: "葫芦岛市农产品批发市场", City: "211400", County: "211402", Kind: MarketWholesale},
	{Name: "兴城市海产品市场", City: "211400", County: "211481", Kind: MarketWholesale},

	// Generic farmers' markets (农贸市场) in city districts.
	{Name: "皇姑区农贸市场", City: "210100", County: "210105", Kind: MarketFarmers},
	{Name: "于洪区农贸市场", City: "210100", County: "210114", Kind: MarketFarmers},
	{Name: "西岗区农贸市场", City: "210200", County: "210203", Kind: MarketFarmers},
	{Name: "铁东区农贸市场", City: "210300", County: "210302", Kind: MarketFarmers},
	{Name: "振兴区农贸市场", City: "210600", County: "210603", Kind: MarketFarmers},
	{Name: "古塔区农贸市场", City: "210700", County: "210702", Kind: MarketFarmers},
	{Name: "双塔区农贸市场", City: "211300", County: "211302", Kind: MarketFarmers},

	// Online channels, placed where they are run from.
	{Name: "辽宁12316农产品网上市场", City: "210100", County: "210103", Kind: MarketOnline},
	{Name: "丹东草莓线上交易平台", City: "210600", County: "210681", Kind: MarketOnline},
	{Name: "盘锦河蟹电商直播基地", City: "211100", County: "211122", Kind: MarketOnline},
}

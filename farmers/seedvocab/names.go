package seedvocab

// Surnames are common surnames of Liaoning's countryside, most frequent
// first (the order follows national frequency rankings, nudged for the
// northeast: 于, 姜, 曲, 隋, 鞠, 栾 came with Shandong settlers and are far
// more common here than nationally; 佟, 关, 那, 富 are common Manchu
// surnames). A generator should weight by position (e.g. Zipf), not pick
// uniformly.
var Surnames = []string{
	"王", "李", "张", "刘", "赵", "杨", "孙", "于", "陈", "高",
	"徐", "马", "郭", "吴", "姜", "宋", "朱", "董", "韩", "曲",
	"崔", "金", "付", "冯", "白", "田", "吕", "周", "郑", "林",
	"谷", "丁", "关", "佟", "邢", "隋", "鞠", "栾", "孟", "常",
	"梁", "曹", "何", "袁", "范", "许", "单", "那", "富", "潘",
}

// GivenNames are two-character given names typical of rural Liaoning across
// generations: names of people born in the 1950s–70s (桂芝, 建国, 铁柱)
// dominate farm households and co-op rosters, with some younger ones.
var GivenNames = []string{
	// women, older
	"玉兰", "桂芝", "桂兰", "桂香", "淑珍", "淑芬", "淑兰", "秀梅",
	"秀兰", "秀英", "凤霞", "凤琴", "凤芝", "丽华", "丽娟", "春燕",
	"春梅", "春玲", "海燕", "红梅", "冬梅", "雪梅", "艳秋", "艳华",
	"艳玲", "金凤", "玉芬", "玉霞",
	// men, older
	"立新", "立军", "立平", "建国", "建华", "国庆", "国栋", "国良",
	"振华", "宝山", "宝林", "宝财", "铁柱", "长江", "长顺", "长福",
	"德福", "德胜", "德明", "福财", "富贵", "永强", "永生", "志刚",
	"宏伟", "春生", "连生", "喜民", "树林", "树森", "庆丰", "庆和",
	"家兴", "玉宝", "金贵", "银山", "占山", "占军", "卫东", "红军",
	// younger
	"海涛", "海龙", "海波", "洪涛", "晓东", "晓光", "俊峰", "云飞",
	"明远", "思远", "浩然", "子涵", "欣怡", "雨萱", "佳琪", "宇航",
}

// CoopSuffixes end the registered name of a farmers' specialised
// cooperative (农民专业合作社), as in "新民市绿源蔬菜种植专业合作社".
var CoopSuffixes = []string{
	"种植专业合作社",
	"养殖专业合作社",
	"果蔬专业合作社",
	"蔬菜种植专业合作社",
	"水稻种植专业合作社",
	"粮食种植专业合作社",
	"草莓种植专业合作社",
	"果树专业合作社",
	"食用菌专业合作社",
	"中药材种植专业合作社",
	"畜牧养殖专业合作社",
	"水产养殖专业合作社",
	"农机专业合作社",
	"土地股份专业合作社",
}

// CoopBrands are the trade words co-ops put between place and suffix
// ("绿源", "丰收"). Generic on purpose.
var CoopBrands = []string{
	"绿源", "丰收", "兴农", "金穗", "富民", "众鑫", "惠农", "沃土",
	"金田", "鑫盛", "绿野", "禾丰", "万家", "益农", "田园", "金秋",
}

// Villages are generic village names of the kind found all over Liaoning:
// family names with 家 / 窝堡 / 屯 / 沟, numbered 台子 and 家子 settlements,
// and the collective-era names (前进, 红旗, 胜利).
var Villages = []string{
	"王家村", "李家村", "张家村", "刘家村", "赵家村", "孟家村",
	"前进村", "胜利村", "红旗村", "光明村", "新立村", "新兴村",
	"东升村", "太平村", "永安村", "长胜村", "双山村", "三台子村",
	"四方台村", "五里堡村", "六家子村", "八家子村", "十里铺村", "三家子村",
	"大房身村", "小房身村", "东岗村", "西岗村", "南台村", "北沟村",
	"前屯村", "后屯村", "腰屯村", "河南村", "河北村", "马家堡村",
	"黄家沟村", "杨树底村", "柳树屯村", "榆树底村", "高台子村", "大甸子村",
	"二道沟村", "三道岗村", "城子村", "官屯村", "孙家窝堡村", "于家窝堡村",
	"韩家窝棚村", "石门村",
}

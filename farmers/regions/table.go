package regions

// The table is Go source rather than an embedded CSV: it is ~120 fixed rows
// that change a few times a decade, so a literal costs nothing to maintain,
// is type-checked by the compiler, needs no parsing (and no parse-error path)
// at init, and reads just as well in a diff.
//
// Source: the county-level code list published by the Ministry of Civil
// Affairs (民政部 县级以上行政区划代码), as transcribed year by year in the
// public dataset yescallop/areacodes (data/2025.txt for the current codes,
// result.csv for start/end years and successors). Liaoning has had no
// county-level change since 2016, so the 2020–2025 lists are identical here.
//
// Aliases (Successor set) are codes abolished within the last ten years or so
// that older 12316 exports still carry:
//
//	210122 辽中县   → 210115 辽中区   (2016, county became a district)
//	210282 普兰店市 → 210214 普兰店区 (2015, county-level city became a district)
//	211121 大洼县   → 211104 大洼区   (2016, county became a district)
//
// Renames that kept their code (210112 东陵区 → 浑南区) need no alias; the old
// name is accepted by ByName only (see formerNames).
var table = []Region{
	{Code: "210000", Name: "辽宁省", NameEn: "Liaoning", Level: 1},

	// 沈阳市: 13
	{Code: "210100", Name: "沈阳市", NameEn: "Shenyang", Level: 2, City: "210100"},
	{Code: "210102", Name: "和平区", NameEn: "Heping District", Level: 3, City: "210100"},
	{Code: "210103", Name: "沈河区", NameEn: "Shenhe District", Level: 3, City: "210100"},
	{Code: "210104", Name: "大东区", NameEn: "Dadong District", Level: 3, City: "210100"},
	{Code: "210105", Name: "皇姑区", NameEn: "Huanggu District", Level: 3, City: "210100"},
	{Code: "210106", Name: "铁西区", NameEn: "Tiexi District", Level: 3, City: "210100"},
	{Code: "210111", Name: "苏家屯区", NameEn: "Sujiatun District", Level: 3, City: "210100"},
	{Code: "210112", Name: "浑南区", NameEn: "Hunnan District", Level: 3, City: "210100"},
	{Code: "210113", Name: "沈北新区", NameEn: "Shenbei New District", Level: 3, City: "210100"},
	{Code: "210114", Name: "于洪区", NameEn: "Yuhong District", Level: 3, City: "210100"},
	{Code: "210115", Name: "辽中区", NameEn: "Liaozhong District", Level: 3, City: "210100"},
	{Code: "210122", Name: "辽中县", NameEn: "Liaozhong County", Level: 3, City: "210100", Successor: "210115"},
	{Code: "210123", Name: "康平县", NameEn: "Kangping County", Level: 3, City: "210100"},
	{Code: "210124", Name: "法库县", NameEn: "Faku County", Level: 3, City: "210100"},
	{Code: "210181", Name: "新民市", NameEn: "Xinmin City", Level: 3, City: "210100"},

	// 大连市: 10
	{Code: "210200", Name: "大连市", NameEn: "Dalian", Level: 2, City: "210200"},
	{Code: "210202", Name: "中山区", NameEn: "Zhongshan District", Level: 3, City: "210200"},
	{Code: "210203", Name: "西岗区", NameEn: "Xigang District", Level: 3, City: "210200"},
	{Code: "210204", Name: "沙河口区", NameEn: "Shahekou District", Level: 3, City: "210200"},
	{Code: "210211", Name: "甘井子区", NameEn: "Ganjingzi District", Level: 3, City: "210200"},
	{Code: "210212", Name: "旅顺口区", NameEn: "Lushunkou District", Level: 3, City: "210200"},
	{Code: "210213", Name: "金州区", NameEn: "Jinzhou District", Level: 3, City: "210200"},
	{Code: "210214", Name: "普兰店区", NameEn: "Pulandian District", Level: 3, City: "210200"},
	{Code: "210224", Name: "长海县", NameEn: "Changhai County", Level: 3, City: "210200"},
	{Code: "210281", Name: "瓦房店市", NameEn: "Wafangdian City", Level: 3, City: "210200"},
	{Code: "210282", Name: "普兰店市", NameEn: "Pulandian City", Level: 3, City: "210200", Successor: "210214"},
	{Code: "210283", Name: "庄河市", NameEn: "Zhuanghe City", Level: 3, City: "210200"},

	// 鞍山市: 7
	{Code: "210300", Name: "鞍山市", NameEn: "Anshan", Level: 2, City: "210300"},
	{Code: "210302", Name: "铁东区", NameEn: "Tiedong District", Level: 3, City: "210300"},
	{Code: "210303", Name: "铁西区", NameEn: "Tiexi District", Level: 3, City: "210300"},
	{Code: "210304", Name: "立山区", NameEn: "Lishan District", Level: 3, City: "210300"},
	{Code: "210311", Name: "千山区", NameEn: "Qianshan District", Level: 3, City: "210300"},
	{Code: "210321", Name: "台安县", NameEn: "Tai'an County", Level: 3, City: "210300"},
	{Code: "210323", Name: "岫岩满族自治县", NameEn: "Xiuyan Manchu Autonomous County", Level: 3, City: "210300"},
	{Code: "210381", Name: "海城市", NameEn: "Haicheng City", Level: 3, City: "210300"},

	// 抚顺市: 7
	{Code: "210400", Name: "抚顺市", NameEn: "Fushun", Level: 2, City: "210400"},
	{Code: "210402", Name: "新抚区", NameEn: "Xinfu District", Level: 3, City: "210400"},
	{Code: "210403", Name: "东洲区", NameEn: "Dongzhou District", Level: 3, City: "210400"},
	{Code: "210404", Name: "望花区", NameEn: "Wanghua District", Level: 3, City: "210400"},
	{Code: "210411", Name: "顺城区", NameEn: "Shuncheng District", Level: 3, City: "210400"},
	{Code: "210421", Name: "抚顺县", NameEn: "Fushun County", Level: 3, City: "210400"},
	{Code: "210422", Name: "新宾满族自治县", NameEn: "Xinbin Manchu Autonomous County", Level: 3, City: "210400"},
	{Code: "210423", Name: "清原满族自治县", NameEn: "Qingyuan Manchu Autonomous County", Level: 3, City: "210400"},

	// 本溪市: 6
	{Code: "210500", Name: "本溪市", NameEn: "Benxi", Level: 2, City: "210500"},
	{Code: "210502", Name: "平山区", NameEn: "Pingshan District", Level: 3, City: "210500"},
	{Code: "210503", Name: "溪湖区", NameEn: "Xihu District", Level: 3, City: "210500"},
	{Code: "210504", Name: "明山区", NameEn: "Mingshan District", Level: 3, City: "210500"},
	{Code: "210505", Name: "南芬区", NameEn: "Nanfen District", Level: 3, City: "210500"},
	{Code: "210521", Name: "本溪满族自治县", NameEn: "Benxi Manchu Autonomous County", Level: 3, City: "210500"},
	{Code: "210522", Name: "桓仁满族自治县", NameEn: "Huanren Manchu Autonomous County", Level: 3, City: "210500"},

	// 丹东市: 6
	{Code: "210600", Name: "丹东市", NameEn: "Dandong", Level: 2, City: "210600"},
	{Code: "210602", Name: "元宝区", NameEn: "Yuanbao District", Level: 3, City: "210600"},
	{Code: "210603", Name: "振兴区", NameEn: "Zhenxing District", Level: 3, City: "210600"},
	{Code: "210604", Name: "振安区", NameEn: "Zhen'an District", Level: 3, City: "210600"},
	{Code: "210624", Name: "宽甸满族自治县", NameEn: "Kuandian Manchu Autonomous County", Level: 3, City: "210600"},
	{Code: "210681", Name: "东港市", NameEn: "Donggang City", Level: 3, City: "210600"},
	{Code: "210682", Name: "凤城市", NameEn: "Fengcheng City", Level: 3, City: "210600"},

	// 锦州市: 7
	{Code: "210700", Name: "锦州市", NameEn: "Jinzhou", Level: 2, City: "210700"},
	{Code: "210702", Name: "古塔区", NameEn: "Guta District", Level: 3, City: "210700"},
	{Code: "210703", Name: "凌河区", NameEn: "Linghe District", Level: 3, City: "210700"},
	{Code: "210711", Name: "太和区", NameEn: "Taihe District", Level: 3, City: "210700"},
	{Code: "210726", Name: "黑山县", NameEn: "Heishan County", Level: 3, City: "210700"},
	{Code: "210727", Name: "义县", NameEn: "Yi County", Level: 3, City: "210700"},
	{Code: "210781", Name: "凌海市", NameEn: "Linghai City", Level: 3, City: "210700"},
	{Code: "210782", Name: "北镇市", NameEn: "Beizhen City", Level: 3, City: "210700"},

	// 营口市: 6
	{Code: "210800", Name: "营口市", NameEn: "Yingkou", Level: 2, City: "210800"},
	{Code: "210802", Name: "站前区", NameEn: "Zhanqian District", Level: 3, City: "210800"},
	{Code: "210803", Name: "西市区", NameEn: "Xishi District", Level: 3, City: "210800"},
	{Code: "210804", Name: "鲅鱼圈区", NameEn: "Bayuquan District", Level: 3, City: "210800"},
	{Code: "210811", Name: "老边区", NameEn: "Laobian District", Level: 3, City: "210800"},
	{Code: "210881", Name: "盖州市", NameEn: "Gaizhou City", Level: 3, City: "210800"},
	{Code: "210882", Name: "大石桥市", NameEn: "Dashiqiao City", Level: 3, City: "210800"},

	// 阜新市: 7
	{Code: "210900", Name: "阜新市", NameEn: "Fuxin", Level: 2, City: "210900"},
	{Code: "210902", Name: "海州区", NameEn: "Haizhou District", Level: 3, City: "210900"},
	{Code: "210903", Name: "新邱区", NameEn: "Xinqiu District", Level: 3, City: "210900"},
	{Code: "210904", Name: "太平区", NameEn: "Taiping District", Level: 3, City: "210900"},
	{Code: "210905", Name: "清河门区", NameEn: "Qinghemen District", Level: 3, City: "210900"},
	{Code: "210911", Name: "细河区", NameEn: "Xihe District", Level: 3, City: "210900"},
	{Code: "210921", Name: "阜新蒙古族自治县", NameEn: "Fuxin Mongol Autonomous County", Level: 3, City: "210900"},
	{Code: "210922", Name: "彰武县", NameEn: "Zhangwu County", Level: 3, City: "210900"},

	// 辽阳市: 7
	{Code: "211000", Name: "辽阳市", NameEn: "Liaoyang", Level: 2, City: "211000"},
	{Code: "211002", Name: "白塔区", NameEn: "Baita District", Level: 3, City: "211000"},
	{Code: "211003", Name: "文圣区", NameEn: "Wensheng District", Level: 3, City: "211000"},
	{Code: "211004", Name: "宏伟区", NameEn: "Hongwei District", Level: 3, City: "211000"},
	{Code: "211005", Name: "弓长岭区", NameEn: "Gongchangling District", Level: 3, City: "211000"},
	{Code: "211011", Name: "太子河区", NameEn: "Taizihe District", Level: 3, City: "211000"},
	{Code: "211021", Name: "辽阳县", NameEn: "Liaoyang County", Level: 3, City: "211000"},
	{Code: "211081", Name: "灯塔市", NameEn: "Dengta City", Level: 3, City: "211000"},

	// 盘锦市: 4
	{Code: "211100", Name: "盘锦市", NameEn: "Panjin", Level: 2, City: "211100"},
	{Code: "211102", Name: "双台子区", NameEn: "Shuangtaizi District", Level: 3, City: "211100"},
	{Code: "211103", Name: "兴隆台区", NameEn: "Xinglongtai District", Level: 3, City: "211100"},
	{Code: "211104", Name: "大洼区", NameEn: "Dawa District", Level: 3, City: "211100"},
	{Code: "211121", Name: "大洼县", NameEn: "Dawa County", Level: 3, City: "211100", Successor: "211104"},
	{Code: "211122", Name: "盘山县", NameEn: "Panshan County", Level: 3, City: "211100"},

	// 铁岭市: 7
	{Code: "211200", Name: "铁岭市", NameEn: "Tieling", Level: 2, City: "211200"},
	{Code: "211202", Name: "银州区", NameEn: "Yinzhou District", Level: 3, City: "211200"},
	{Code: "211204", Name: "清河区", NameEn: "Qinghe District", Level: 3, City: "211200"},
	{Code: "211221", Name: "铁岭县", NameEn: "Tieling County", Level: 3, City: "211200"},
	{Code: "211223", Name: "西丰县", NameEn: "Xifeng County", Level: 3, City: "211200"},
	{Code: "211224", Name: "昌图县", NameEn: "Changtu County", Level: 3, City: "211200"},
	{Code: "211281", Name: "调兵山市", NameEn: "Diaobingshan City", Level: 3, City: "211200"},
	{Code: "211282", Name: "开原市", NameEn: "Kaiyuan City", Level: 3, City: "211200"},

	// 朝阳市: 7
	{Code: "211300", Name: "朝阳市", NameEn: "Chaoyang", Level: 2, City: "211300"},
	{Code: "211302", Name: "双塔区", NameEn: "Shuangta District", Level: 3, City: "211300"},
	{Code: "211303", Name: "龙城区", NameEn: "Longcheng District", Level: 3, City: "211300"},
	{Code: "211321", Name: "朝阳县", NameEn: "Chaoyang County", Level: 3, City: "211300"},
	{Code: "211322", Name: "建平县", NameEn: "Jianping County", Level: 3, City: "211300"},
	{Code: "211324", Name: "喀喇沁左翼蒙古族自治县", NameEn: "Harqin Left Wing Mongol Autonomous County", Level: 3, City: "211300"},
	{Code: "211381", Name: "北票市", NameEn: "Beipiao City", Level: 3, City: "211300"},
	{Code: "211382", Name: "凌源市", NameEn: "Lingyuan City", Level: 3, City: "211300"},

	// 葫芦岛市: 6
	{Code: "211400", Name: "葫芦岛市", NameEn: "Huludao", Level: 2, City: "211400"},
	{Code: "211402", Name: "连山区", NameEn: "Lianshan District", Level: 3, City: "211400"},
	{Code: "211403", Name: "龙港区", NameEn: "Longgang District", Level: 3, City: "211400"},
	{Code: "211404", Name: "南票区", NameEn: "Nanpiao District", Level: 3, City: "211400"},
	{Code: "211421", Name: "绥中县", NameEn: "Suizhong County", Level: 3, City: "211400"},
	{Code: "211422", Name: "建昌县", NameEn: "Jianchang County", Level: 3, City: "211400"},
	{Code: "211481", Name: "兴城市", NameEn: "Xingcheng City", Level: 3, City: "211400"},
}

// formerNames are names that changed while the code stayed, so only ByName
// needs them. 东陵区 was renamed 浑南区 (code 210112 kept); the code lists
// carry the new name from 2016.
var formerNames = map[string]string{
	"东陵区": "210112",
}

package seedvocab

// Expert answers hotline questions. The people are fictional (generic names);
// the institutions are real Liaoning research and extension bodies whose
// remit matches the field.
type Expert struct {
	Name  string
	Org   string
	Field string
}

// Experts covers every QA category at least once.
var Experts = []Expert{
	{Name: "王立新", Org: "辽宁省农业科学院", Field: "玉米栽培"},
	{Name: "李淑芬", Org: "辽宁省农业科学院", Field: "植物保护"},
	{Name: "赵德明", Org: "辽宁省水稻研究所", Field: "水稻栽培"},
	{Name: "孙桂兰", Org: "辽宁省盐碱地利用研究所", Field: "盐碱地水稻与稻田养蟹"},
	{Name: "刘建华", Org: "辽宁省果树科学研究所", Field: "果树栽培"},
	{Name: "高秀梅", Org: "沈阳农业大学", Field: "设施蔬菜"},
	{Name: "张永强", Org: "沈阳农业大学", Field: "土壤肥料"},
	{Name: "于海涛", Org: "沈阳农业大学", Field: "畜牧兽医"},
	{Name: "姜国良", Org: "沈阳农业大学", Field: "农业机械"},
	{Name: "曲丽华", Org: "沈阳农业大学", Field: "农业经济与政策"},
	{Name: "陈晓东", Org: "大连市农业科学研究院", Field: "大樱桃与苹果"},
	{Name: "隋春燕", Org: "辽宁省海洋水产科学研究院", Field: "海水养殖"},
	{Name: "杨宝林", Org: "大连海洋大学", Field: "水产病害防治"},
	{Name: "郭红梅", Org: "丹东农业科学院", Field: "草莓与小浆果"},
	{Name: "马振华", Org: "铁岭市农业科学院", Field: "大豆与杂粮"},
	{Name: "韩淑珍", Org: "辽宁省农业科学院", Field: "农产品市场信息"},
}

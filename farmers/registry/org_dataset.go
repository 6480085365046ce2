package registry

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/farmers/access"
	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/farmers/regions"
)

const orgsCollection = "registry_organisations"

// OrgDataset is the registry of organisations as the catalogue, the
// importer and downloads see it. Key: the credit code, else county + name
// (see orgKey).
var OrgDataset = &datasets.Dataset{
	Name:        "organisations",
	Title:       "12316农业经营主体名录（合作社、家庭农场与企业）",
	TitleEn:     "Liaoning 12316 registry of cooperatives, family farms and agri-businesses",
	Description: "Farmers' cooperatives, family farms, agricultural companies and buyers registered with 12316: credit code, county, members, main products and establishment date. The leader's name and phone and the address are masked unless the organisation consented to show them to the caller's kind of organisation.",
	Licence:     "政府数据开放许可（有条件开放）",
	Frequency:   "continuous",
	Scope:       access.ScopeRegistryRead,
	Collection:  orgsCollection,
	ListPath:    "/api/v1/registry/organisations",
	KeyField:    "key",
	Columns: []datasets.Column{
		{Name: "id", Title: "编号", Aliases: []string{"ID"}, Type: "string", Description: "Registry id (downloads only; ignored on import)."},
		{Name: "name", Title: "名称", Aliases: []string{"主体名称", "合作社名称", "农场名称", "企业名称", "单位名称", "组织名称", "orgName"}, Type: "string", Required: true, Description: "Registered name; with the county, the key when there is no credit code."},
		{Name: "creditCode", Title: "统一社会信用代码", Aliases: []string{"信用代码", "社会信用代码", "统一代码", "uscc"}, Type: "string", Description: "18 characters (GB 32100-2015), check character verified; the key when present."},
		{Name: "type", Title: "主体类型", Aliases: []string{"类型", "类别", "主体类别", "经营主体类型"}, Type: "string", Description: "合作社 家庭农场 农业企业 采购商 (or cooperative family_farm company buyer). Empty: from the name (…合作社, …家庭农场)."},
		{Name: "region", Title: "区划代码", Aliases: regionAliases, Type: "region", Required: true, Description: "County-level GB/T 2260 code or name (丹东市东港市); abolished codes map to their successors."},
		{Name: "regionName", Title: "地区名称", Type: "string", Description: "Full name of the region (downloads only; ignored on import)."},
		{Name: "address", Title: "详细地址", Aliases: []string{"地址", "住所", "经营场所", "注册地址", "办公地址"}, Type: "string", Description: "Exact location; dropped without consent."},
		{Name: "leaderName", Title: "负责人", Aliases: []string{"法人", "法定代表人", "理事长", "负责人姓名", "联系人", "农场主"}, Type: "string", Description: "Leader (理事长, 法定代表人, 农场主); masked to the surname (王**) without consent."},
		{Name: "leaderPhone", Title: "联系电话", Aliases: []string{"负责人电话", "电话", "手机", "手机号", "联系方式"}, Type: "phone", Description: "Leader's mobile or a landline (0415-1234567); masked (138****5678) without consent."},
		{Name: "members", Title: "成员数", Aliases: []string{"社员数", "成员人数", "社员人数", "入社成员数", "带动农户数"}, Type: "integer", Description: "Members (co-ops) or workers; empty when not stated."},
		{Name: "products", Title: "主要产品", Aliases: []string{"主营产品", "经营范围", "产品", "主要作物", "种植作物"}, Type: "list", Description: "草莓:300亩;蓝莓 — product:area in 亩, area optional."},
		{Name: "established", Title: "成立日期", Aliases: []string{"成立时间", "注册日期", "登记日期", "establishedOn"}, Type: "date", Description: "YYYY-MM-DD (also 2015/3/8, 20150308)."},
		{Name: "verification", Title: "认证状态", Type: "string", Description: "未认证 / 已认证 / 未通过 (downloads only; verification is staff's, never imported)."},
	},
	Parse:  parseOrg,
	Format: formatOrgRaw,
}

// Limits of an organisation's cells.
const (
	maxOrgNameLen = 100
	maxAddressLen = 200
	maxMembers    = 1_000_000
)

// landlineRE is an area code and number once normalisePhone dropped the
// dash: 0415 1234567 → 04151234567.
var landlineRE = regexp.MustCompile(`^0[1-9][0-9]{1,2}[2-9][0-9]{6,7}$`)

// contactPhone reads an organisation's phone: a mobile or a landline.
func contactPhone(s string) (string, bool) {
	p := normalisePhone(s)
	return p, p == "" || phoneRE.MatchString(p) || landlineRE.MatchString(p)
}

// parseOrg validates one import row; every bad cell is named.
func parseOrg(row datasets.Row) (datasets.Record, error) {
	o, err := parseOrgRow(row)
	if err != nil {
		return datasets.Record{}, err
	}
	return datasets.Record{Key: o.Key, Fields: orgFields(&o)}, nil
}

// parseOrgRow is parseOrg's organisation (staff's writes use it too).
func parseOrgRow(row datasets.Row) (Organisation, error) {
	bad := map[string]string{}
	var o Organisation
	o.Name = row["name"]
	if msg := lengthProblem(o.Name, maxOrgNameLen, true); msg != "" {
		bad["name"] = msg
	}
	var err error
	if o.CreditCode, err = NormaliseCreditCode(row["creditCode"]); err != nil {
		bad["creditCode"] = err.Error()
	}
	if o.Type, err = orgTypeCell(row["type"], o.Name); err != nil {
		bad["type"] = err.Error()
	}
	if o.Region, err = countyCell(row["region"]); err != nil {
		bad["region"] = err.Error()
	}
	o.Address, o.LeaderName = row["address"], row["leaderName"]
	if msg := lengthProblem(o.Address, maxAddressLen, false); msg != "" {
		bad["address"] = msg
	}
	if msg := lengthProblem(o.LeaderName, maxNameLen, false); msg != "" {
		bad["leaderName"] = msg
	}
	var ok bool
	if o.LeaderPhone, ok = contactPhone(row["leaderPhone"]); !ok {
		bad["leaderPhone"] = "must be a mainland mobile number or a landline with its area code"
	}
	if o.Members, err = membersCell(row["members"]); err != nil {
		bad["members"] = err.Error()
	}
	if o.Products, err = parseCrops(row["products"]); err != nil {
		bad["products"] = err.Error()
	}
	if o.Established, err = dayCell(row["established"]); err != nil {
		bad["established"] = err.Error()
	}
	if len(bad) > 0 {
		return Organisation{}, &datasets.RowError{Fields: bad}
	}
	o.Key = orgKey(o.CreditCode, o.Region, o.Name)
	return o, nil
}

// lengthProblem says what is wrong with s's length, or "".
func lengthProblem(s string, max int, required bool) string {
	switch n := utf8.RuneCountInString(s); {
	case n == 0 && required:
		return "is required"
	case n > max:
		return fmt.Sprintf("must be at most %d characters", max)
	}
	return ""
}

func orgTypeCell(cell, name string) (string, error) {
	if cell == "" {
		if t, ok := orgTypeFromName(name); ok {
			return t, nil
		}
		return "", fmt.Errorf("is required (合作社 家庭农场 农业企业 采购商) unless the name ends in 合作社 or holds 家庭农场")
	}
	t, ok := orgTypeOf(cell)
	if !ok {
		return "", fmt.Errorf("unknown type %q (one of: 合作社 家庭农场 农业企业 采购商)", cell)
	}
	return t, nil
}

// membersCell reads a count, allowing the 人 / 户 files put after it.
func membersCell(cell string) (int64, error) {
	cell = strings.TrimSpace(strings.TrimRight(cell, "人户名"))
	if cell == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(cell, 10, 64)
	if err != nil || n < 0 || n > maxMembers {
		return 0, fmt.Errorf("must be a whole number from 0 to %d", maxMembers)
	}
	return n, nil
}

func dayCell(cell string) (string, error) {
	if cell == "" {
		return "", nil
	}
	d, ok := datasets.ParseDayCell(cell)
	if !ok {
		return "", fmt.Errorf("%q is not a date (YYYY-MM-DD)", cell)
	}
	return d, nil
}

// orgFields are the stored fields an import (and a staff edit) owns, in a
// fixed order: the importer fingerprints them. The credit code is left out
// when unknown, so the sparse unique index skips the document.
func orgFields(o *Organisation) bson.D {
	f := bson.D{{Key: "key", Value: o.Key}, {Key: "type", Value: o.Type}, {Key: "name", Value: o.Name}}
	if o.CreditCode != "" {
		f = append(f, bson.E{Key: "creditCode", Value: o.CreditCode})
	}
	return append(f,
		bson.E{Key: "region", Value: o.Region},
		bson.E{Key: "address", Value: o.Address},
		bson.E{Key: "leaderName", Value: o.LeaderName},
		bson.E{Key: "leaderPhone", Value: o.LeaderPhone},
		bson.E{Key: "members", Value: o.Members},
		bson.E{Key: "products", Value: nonNil(o.Products)},
		bson.E{Key: "established", Value: o.Established},
	)
}

// formatOrgRaw is Format: a stored document as cells, unmasked.
func formatOrgRaw(raw bson.Raw) ([]string, error) {
	var o Organisation
	if err := bson.Unmarshal(raw, &o); err != nil {
		return nil, fmt.Errorf("decode organisation: %w", err)
	}
	return formatOrg(&o), nil
}

// formatOrg writes o as cells in OrgDataset.Columns order.
func formatOrg(o *Organisation) []string {
	members := ""
	if o.Members != 0 {
		members = strconv.FormatInt(o.Members, 10)
	}
	return []string{
		o.ID, o.Name, o.CreditCode, orgTypeTitle(o.Type), o.Region, regions.FullName(o.Region),
		o.Address, o.LeaderName, o.LeaderPhone, members, formatCrops(o.Products), o.Established,
		verificationTitles[o.Verification.status()],
	}
}

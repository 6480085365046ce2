package registry

import (
	"fmt"
	"regexp"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/farmers/access"
	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/farmers/regions"
)

// Collection names.
const (
	peopleCollection    = "registry_people"
	accessLogCollection = "registry_access_log"
)

// Dataset is the registry of people as the catalogue, the importer and
// downloads see it. Key: the mobile number (one person, one number).
var Dataset = &datasets.Dataset{
	Name:        "people",
	Title:       "12316农业经营主体名录",
	TitleEn:     "Liaoning 12316 registry of farmers and agri-businesses",
	Description: "Farmers, family farms, cooperative members, rural brokers, new farmers, agri-makers, experts and buyers registered with 12316, with their county, crops and livestock. Names, mobile numbers and addresses are masked unless the person consented to show them to the caller's kind of organisation.",
	Licence:     "政府数据开放许可（有条件开放）",
	Frequency:   "continuous",
	Scope:       access.ScopeRegistryRead,
	Collection:  peopleCollection,
	ListPath:    "/api/v1/registry/people",
	KeyField:    "phone",
	Columns: []datasets.Column{
		{Name: "id", Title: "编号", Aliases: []string{"ID"}, Type: "string", Description: "Registry id (downloads only; ignored on import)."},
		{Name: "name", Title: "姓名", Aliases: []string{"户主姓名", "户主", "联系人", "fullName"}, Type: "string", Required: true, Description: "Full name; masked to the surname (王**) without consent."},
		{Name: "phone", Title: "手机号", Aliases: []string{"手机", "手机号码", "联系电话", "电话", "mobile", "tel"}, Type: "phone", Required: true, Description: "Mainland mobile number, the natural key; masked (138****5678) without consent."},
		{Name: "roles", Title: "身份", Aliases: []string{"角色", "主体类型", "类型", "role"}, Type: "list", Description: "农户 家庭农场 合作社 农村经纪人 新农人 农业创客 农业专家 采购商 (or farmer family_farm cooperative broker new_farmer maker expert buyer), separated by 、 ; , or /. Empty: 农户."},
		{Name: "region", Title: "区划代码", Aliases: regionAliases, Type: "region", Required: true, Description: "County-level GB/T 2260 code or name (沈阳市和平区); abolished codes map to their successors."},
		{Name: "regionName", Title: "地区名称", Type: "string", Description: "Full name of the region (downloads only; ignored on import)."},
		{Name: "address", Title: "详细地址", Aliases: []string{"村", "村屯", "所在村", "地址", "住址", "village"}, Type: "string", Description: "Village or street: the exact location; dropped without consent."},
		{Name: "crops", Title: "种植作物", Aliases: []string{"种植", "作物", "种植品种", "种植情况"}, Type: "list", Description: "玉米:30亩;大豆:10.5亩 — crop:area in 亩, area optional."},
		{Name: "livestock", Title: "养殖", Aliases: []string{"养殖品种", "养殖情况", "畜禽"}, Type: "list", Description: "牛:20;羊:100 — kind:head count, count optional."},
		{Name: "cooperative", Title: "合作社", Aliases: []string{"所属合作社", "合作社名称"}, Type: "string", Description: "Name of the cooperative the person belongs to."},
		{Name: "verification", Title: "认证状态", Type: "string", Description: "未认证 / 已认证 / 未通过 (downloads only; verification is staff's, never imported)."},
	},
	Parse:  parsePerson,
	Format: formatPersonRaw,
}

// regionAliases are the headers 12316's files give a county column.
var regionAliases = []string{"所在地区", "县区", "区县", "地区", "行政区划", "regionCode", "county"}

var verificationTitles = map[string]string{Unverified: "未认证", Verified: "已认证", Rejected: "未通过"}

// phoneRE is the contract's mainland mobile number.
var phoneRE = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

// normalisePhone drops what people write around a number: spaces, dashes
// and a +86 / 86 country code.
func normalisePhone(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\u00a0' {
			return -1
		}
		return r
	}, s)
	s = strings.TrimPrefix(s, "+")
	if len(s) == 13 && strings.HasPrefix(s, "86") {
		s = s[2:]
	}
	return s
}

const maxNameLen = 50

// parsePerson validates one import row; every bad cell is named.
func parsePerson(row datasets.Row) (datasets.Record, error) {
	bad := map[string]string{}
	var p Person
	p.Name = row["name"]
	if msg := lengthProblem(p.Name, maxNameLen, true); msg != "" {
		bad["name"] = msg
	}
	if p.Phone = normalisePhone(row["phone"]); !phoneRE.MatchString(p.Phone) {
		bad["phone"] = "must be a mainland mobile number (11 digits starting 13-19)"
	}
	var err error
	if p.Roles, err = parseRoles(row["roles"]); err != nil {
		bad["roles"] = err.Error()
	} else if len(p.Roles) == 0 {
		p.Roles = []string{RoleFarmer}
	}
	if p.Region, err = countyCell(row["region"]); err != nil {
		bad["region"] = err.Error()
	}
	p.Address = row["address"]
	if p.Crops, err = parseCrops(row["crops"]); err != nil {
		bad["crops"] = err.Error()
	}
	if p.Livestock, err = parseLivestock(row["livestock"]); err != nil {
		bad["livestock"] = err.Error()
	}
	p.Cooperative = row["cooperative"]
	if len(bad) > 0 {
		return datasets.Record{}, &datasets.RowError{Fields: bad}
	}
	return datasets.Record{Key: p.Phone, Fields: profileFields(&p)}, nil
}

// countyCell reads a region cell (code or name) as a current county code.
func countyCell(s string) (string, error) {
	if s == "" {
		return "", fmt.Errorf("is required")
	}
	code, ok := datasets.RegionCell(s)
	if !ok {
		return "", fmt.Errorf("%q is not a Liaoning region (GB/T 2260 code or name)", s)
	}
	if !regions.IsCounty(code) {
		return "", fmt.Errorf("%q is a city or the province: give the county (区/县/县级市)", s)
	}
	return code, nil
}

// profileFields are the stored fields a profile owns: what an import, a
// staff edit and the person's own edit $set. Consent, verification, source
// and timestamps are not among them, so none of those edits reset them.
func profileFields(p *Person) bson.D {
	return bson.D{
		{Key: "name", Value: p.Name},
		{Key: "phone", Value: p.Phone},
		{Key: "roles", Value: nonNil(p.Roles)},
		{Key: "region", Value: p.Region},
		{Key: "address", Value: p.Address},
		{Key: "crops", Value: nonNil(p.Crops)},
		{Key: "livestock", Value: nonNil(p.Livestock)},
		{Key: "cooperative", Value: p.Cooperative},
	}
}

// formatPersonRaw is Format: a stored document as cells, unmasked (the
// catalogue's own use; lists go through a viewer first).
func formatPersonRaw(raw bson.Raw) ([]string, error) {
	var p Person
	if err := bson.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("decode person: %w", err)
	}
	return formatPerson(&p), nil
}

// formatPerson writes p as cells in Dataset.Columns order.
func formatPerson(p *Person) []string {
	return []string{
		p.ID, p.Name, p.Phone, formatRoles(p.Roles), p.Region, regions.FullName(p.Region),
		p.Address, formatCrops(p.Crops), formatLivestock(p.Livestock), p.Cooperative,
		verificationTitles[p.Verification.status()],
	}
}

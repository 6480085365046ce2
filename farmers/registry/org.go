package registry

import (
	"slices"
	"strings"
	"time"
)

// Kinds of organisation (新型农业经营主体 and the buyers they sell to).
const (
	OrgCooperative = "cooperative" // 农民专业合作社
	OrgFamilyFarm  = "family_farm" // 家庭农场
	OrgCompany     = "company"     // 农业企业 (龙头企业, 农业公司)
	OrgBuyer       = "buyer"       // 采购商 (收购商, 批发商, 商超)
)

// orgTypeTitles names each kind as 12316's files do; the first title is
// what downloads write, the others are accepted on import.
var orgTypeTitles = []struct {
	typ    string
	titles []string
}{
	{OrgCooperative, []string{"合作社", "农民专业合作社", "专业合作社", "农民合作社", "合作社联合社"}},
	{OrgFamilyFarm, []string{"家庭农场"}},
	{OrgCompany, []string{"农业企业", "企业", "公司", "龙头企业", "农业公司"}},
	{OrgBuyer, []string{"采购商", "收购商", "经销商", "批发商", "买家"}},
}

// OrgTypes lists the kinds in documented order.
var OrgTypes = func() []string {
	out := make([]string, len(orgTypeTitles))
	for i, t := range orgTypeTitles {
		out[i] = t.typ
	}
	return out
}()

// KnownOrgType reports whether t is a kind of organisation.
func KnownOrgType(t string) bool { return slices.Contains(OrgTypes, t) }

// orgTypeOf reads a type cell: a title or the English name.
func orgTypeOf(s string) (string, bool) {
	for _, t := range orgTypeTitles {
		if strings.EqualFold(s, t.typ) || slices.Contains(t.titles, s) {
			return t.typ, true
		}
	}
	return "", false
}

// orgTypeFromName guesses the kind from a registered name when a file
// leaves the type out: registration rules make co-ops end in 合作社 (or
// 联合社) and family farms carry 家庭农场. Companies and buyers cannot be
// told apart by name.
func orgTypeFromName(name string) (string, bool) {
	switch {
	case strings.HasSuffix(name, "合作社"), strings.HasSuffix(name, "联合社"):
		return OrgCooperative, true
	case strings.Contains(name, "家庭农场"):
		return OrgFamilyFarm, true
	}
	return "", false
}

func orgTypeTitle(t string) string {
	for _, tt := range orgTypeTitles {
		if tt.typ == t {
			return tt.titles[0]
		}
	}
	return t
}

// Organisation is a stored organisation (collection registry_organisations).
//
// Like a person's profile, the fields an import owns (name … established,
// and Key) are $set by imports and staff edits; verification, consent,
// source and timestamps are the platform's and survive both.
//
// The leader's name and phone and the address are personal data, masked
// under the organisation's Consent exactly as a person's are under theirs
// (consent.go, mask.go); the leader and staff may set it.
type Organisation struct {
	ID          string `bson:"_id"`
	Key         string `bson:"key"` // natural key, see orgKey
	Type        string `bson:"type"`
	Name        string `bson:"name"`
	CreditCode  string `bson:"creditCode,omitempty"` // absent, never "", when unknown: see the sparse index
	Region      string `bson:"region"`               // county code, canonical
	Address     string `bson:"address,omitempty"`
	LeaderName  string `bson:"leaderName,omitempty"`  // 负责人 / 法定代表人 / 理事长
	LeaderPhone string `bson:"leaderPhone,omitempty"` // mobile or landline, digits only
	Members     int64  `bson:"members"`               // 成员数 (0: not stated)
	Products    []Crop `bson:"products"`              // main products, with areas in 亩 when stated
	Established string `bson:"established,omitempty"` // YYYY-MM-DD

	Verification Verification `bson:"verification,omitempty"`
	Consent      Consent      `bson:"consent,omitempty"`
	Source       string       `bson:"source,omitempty"`
	CreatedAt    time.Time    `bson:"createdAt,omitempty"`
	UpdatedAt    time.Time    `bson:"updatedAt,omitempty"`
}

// orgKey is the natural key the importer matches rows by: the credit code
// when known (it survives a renaming), else region and name, which
// registration rules make unique within a county. A code holds no "/", so
// the two forms never meet.
func orgKey(creditCode, region, name string) string {
	if creditCode != "" {
		return creditCode
	}
	return region + "/" + name
}

// hasPersonalData reports whether o holds anything of its leader's that
// masking and the access log care about.
func (o *Organisation) hasPersonalData() bool {
	return o.LeaderName != "" || o.LeaderPhone != "" || o.Address != ""
}

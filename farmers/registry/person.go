package registry

import (
	"slices"
	"time"

	"github.com/liaoning12316/agrimaker/internal/tz"
)

// Registry roles: what a person is in Liaoning's agriculture. They are not
// platform roles (farmers.Role*), which say what an account may do here.
const (
	RoleFarmer      = "farmer"      // 农户
	RoleFamilyFarm  = "family_farm" // 家庭农场主
	RoleCooperative = "cooperative" // 合作社带头人或成员
	RoleBroker      = "broker"      // 农村经纪人
	RoleNewFarmer   = "new_farmer"  // 新农人
	RoleMaker       = "maker"       // 农业创客
	RoleExpert      = "expert"      // 农业专家
	RoleBuyer       = "buyer"       // 采购商
)

// roleTitles names each role as 12316's files do; the first title of a role
// is what downloads write, the others are accepted on import.
var roleTitles = []struct {
	role   string
	titles []string
}{
	{RoleFarmer, []string{"农户", "农民", "种植户", "养殖户"}},
	{RoleFamilyFarm, []string{"家庭农场", "家庭农场主"}},
	{RoleCooperative, []string{"合作社", "合作社成员", "合作社带头人", "合作社理事长"}},
	{RoleBroker, []string{"农村经纪人", "经纪人"}},
	{RoleNewFarmer, []string{"新农人"}},
	{RoleMaker, []string{"农业创客", "创客"}},
	{RoleExpert, []string{"农业专家", "专家"}},
	{RoleBuyer, []string{"采购商", "收购商", "买家"}},
}

// Roles lists every registry role, in the order they are documented.
var Roles = func() []string {
	out := make([]string, len(roleTitles))
	for i, r := range roleTitles {
		out[i] = r.role
	}
	return out
}()

// KnownRole reports whether r is a registry role.
func KnownRole(r string) bool { return slices.Contains(Roles, r) }

// Verification statuses.
const (
	Unverified = "unverified"
	Verified   = "verified"
	Rejected   = "rejected"
)

// Sources of an entry.
const (
	SourceImport = "import" // a 12316 file (the importer sets no source: absent means import)
	SourceSelf   = "self"   // the person, through /me/profile
	SourceStaff  = "staff"  // an organizer or administrator
)

// Person is a stored registry entry (collection registry_people).
//
// Fields an import owns are the profile (name … cooperative); consent,
// verification, the account's own edits' source and the timestamps are
// the platform's and survive re-imports (the importer $sets only its fields).
type Person struct {
	ID          string      `bson:"_id"`
	Name        string      `bson:"name"`
	Phone       string      `bson:"phone"`
	Roles       []string    `bson:"roles"`
	Region      string      `bson:"region"`            // county code, canonical
	Address     string      `bson:"address,omitempty"` // village / street: the exact location
	Crops       []Crop      `bson:"crops"`
	Livestock   []Livestock `bson:"livestock"`
	Cooperative string      `bson:"cooperative,omitempty"` // its name, as files write it

	Verification Verification `bson:"verification,omitempty"`
	Consent      Consent      `bson:"consent,omitempty"`
	Source       string       `bson:"source,omitempty"`
	CreatedAt    time.Time    `bson:"createdAt,omitempty"`
	UpdatedAt    time.Time    `bson:"updatedAt,omitempty"`
}

// Crop is one crop a person grows, with its area in 亩 (0: not stated).
type Crop struct {
	Crop   string  `bson:"crop" json:"crop" validate:"required,max=30"`
	AreaMu float64 `bson:"areaMu" json:"areaMu" validate:"gte=0,lte=1000000"`
}

// Livestock is one kind of animal a person keeps, with its head count
// (0: not stated).
type Livestock struct {
	Kind string `bson:"kind" json:"kind" validate:"required,max=30"`
	Head int64  `bson:"head" json:"head" validate:"gte=0,lte=100000000"`
}

// Verification says whether staff checked the entry against the person.
type Verification struct {
	Status string    `bson:"status,omitempty" json:"status"`
	By     string    `bson:"by,omitempty" json:"by,omitempty"` // staff user id
	At     time.Time `bson:"at,omitempty" json:"at,omitzero"`
	Note   string    `bson:"note,omitempty" json:"note,omitempty"`
}

// status is the stored status, with an entry never looked at (an import)
// reading as unverified.
func (v Verification) status() string {
	if v.Status == "" {
		return Unverified
	}
	return v.Status
}

// public is v as third parties see it: who verified and why is staff
// business; the status and its date are what the registry publishes.
func (v Verification) public() Verification {
	v.By, v.Note = "", ""
	return v
}

// shown is v for a view: the status spelt out, the date in Shanghai.
func (v Verification) shown() Verification {
	v.Status = v.status()
	v.At = tz.In(v.At)
	return v
}

// sourceOf is a stored source for a view: absent means an import.
func sourceOf(s string) string {
	if s == "" {
		return SourceImport
	}
	return s
}

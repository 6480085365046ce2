package registry

import (
	"time"

	"github.com/liaoning12316/agrimaker/farmers/regions"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

// OrganisationView is an organisation as one caller may see it. The
// organisation itself (name, code, kind, county, members, products) is
// public to every caller with the registry scope; its leader's name and
// phone and its address are masked like a person's (mask.go), under the
// organisation's consent, with staff and the leader seeing all.
type OrganisationView struct {
	ID           string       `json:"id"`
	Type         string       `json:"type"`
	Name         string       `json:"name"`
	CreditCode   string       `json:"creditCode,omitempty"`
	Region       string       `json:"region"`
	RegionName   string       `json:"regionName"`
	Address      string       `json:"address,omitempty"`
	LeaderName   string       `json:"leaderName"`
	LeaderPhone  string       `json:"leaderPhone"`
	Members      int64        `json:"members"`
	Products     []Crop       `json:"products"`
	Established  string       `json:"established,omitempty"`
	Verification Verification `json:"verification"`
	Consent      *Consent     `json:"consent,omitempty"` // staff and the leader only
	Masked       []string     `json:"masked"`            // consentable fields shown masked
	Source       string       `json:"source"`
	CreatedAt    time.Time    `json:"createdAt,omitzero"`
	UpdatedAt    time.Time    `json:"updatedAt,omitzero"`
}

// maskOrg returns o as v may see it, and the consentable fields it masked.
func (v viewer) maskOrg(o Organisation) (Organisation, []string) {
	owner := o.LeaderPhone
	masked := v.maskContact(o.Consent, owner, contact{&o.LeaderName, &o.LeaderPhone, &o.Address})
	if !v.owns(owner) {
		o.Verification, o.Consent = o.Verification.public(), Consent{}
	}
	return o, masked
}

// showOrg is o as v may see it: the JSON view, the download cells and the
// masked fields, from one masking (as show is for people).
func (v viewer) showOrg(o Organisation) (OrganisationView, []string, []string) {
	m, masked := v.maskOrg(o)
	ov := OrganisationView{
		ID: m.ID, Type: m.Type, Name: m.Name, CreditCode: m.CreditCode,
		Region: m.Region, RegionName: regions.FullName(m.Region), Address: m.Address,
		LeaderName: m.LeaderName, LeaderPhone: m.LeaderPhone, Members: m.Members,
		Products: nonNil(m.Products), Established: m.Established,
		Verification: m.Verification.shown(), Consent: v.ownConsent(o.Consent, o.LeaderPhone),
		Masked: masked, Source: sourceOf(m.Source),
		CreatedAt: tz.In(m.CreatedAt), UpdatedAt: tz.In(m.UpdatedAt),
	}
	return ov, formatOrg(&m), masked
}

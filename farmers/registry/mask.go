package registry

import (
	"slices"
	"time"
	"unicode/utf8"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/farmers/access"
	"github.com/liaoning12316/agrimaker/farmers/regions"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

// viewer is who looks at entries, as far as masking cares.
type viewer struct {
	staff    bool   // an organizer or administrator: sees every entry in full
	audience string // whose consent counts: an organisation's kind, or "platform"
	phone    string // a signed-in user's phone: their own entry is theirs to see
}

// viewerOf classifies a caller admitted by access.Require. Staff see
// everything because they keep the registry (they import, correct and
// verify it); they are not third parties. Every other platform user is the
// audience "platform", which a person may consent to like any other.
func viewerOf(c *access.Caller) viewer {
	if c.ViaKey() || c.User == nil {
		return viewer{audience: c.Audience}
	}
	return viewerOfUser(c.User)
}

func viewerOfUser(u *farmers.User) viewer {
	return viewer{staff: isStaff(u), audience: access.AudiencePlatform, phone: u.Phone}
}

func isStaff(u *farmers.User) bool {
	return u != nil && (u.HasRole(farmers.RoleAdmin) || u.HasRole(farmers.RoleOrganizer))
}

// sees reports whether v sees field unmasked, of an entry with consent c
// whose personal data is owner's (a person's phone, or a leader's).
func (v viewer) sees(c Consent, owner, field string) bool {
	return v.owns(owner) || c.Allows(field, v.audience)
}

// owns reports whether v may see all of an entry whose personal data is
// owner's: staff, or the owner themself (signed in with that phone).
func (v viewer) owns(owner string) bool { return v.staff || v.phone != "" && v.phone == owner }

// contact points at an entry's consentable fields: a person's own name,
// phone and address, or an organisation's leader's name and phone and its
// address.
type contact struct{ name, phone, address *string }

// maskContact masks the fields of ct that v may not see under consent c
// and returns the consentable fields it masked. An empty field stays
// empty (an organisation may have no phone) but still counts as masked,
// so that what is logged depends on consent alone.
func (v viewer) maskContact(c Consent, owner string, ct contact) []string {
	masked := []string{}
	if !v.sees(c, owner, FieldName) {
		*ct.name = maskName(*ct.name)
		masked = append(masked, FieldName)
	}
	if !v.sees(c, owner, FieldPhone) {
		if *ct.phone != "" {
			*ct.phone = maskPhone(*ct.phone)
		}
		masked = append(masked, FieldPhone)
	}
	if !v.sees(c, owner, FieldLocation) {
		*ct.address = "" // the county (Region) stays: it is public
		masked = append(masked, FieldLocation)
	}
	return masked
}

// mask returns p as v may see it, and the consentable fields it masked.
func (v viewer) mask(p Person) (Person, []string) {
	owner := p.Phone
	masked := v.maskContact(p.Consent, owner, contact{&p.Name, &p.Phone, &p.Address})
	if !v.owns(owner) {
		p.Verification, p.Consent = p.Verification.public(), Consent{}
	}
	return p, masked
}

// maskPhone keeps the first three and last four digits: 138****5678, the
// form Chinese services use, enough to tell two numbers apart on a call
// list without being able to dial either.
func maskPhone(phone string) string {
	if len(phone) < 8 {
		return "****"
	}
	return phone[:3] + "****" + phone[len(phone)-4:]
}

// maskName keeps the surname's first character: "王**". A fixed "**"
// rather than one star per character, so the mask does not tell the
// name's length; the surname alone names no one in a county, and lets a
// buyer address the person (王先生) once they call through 12316.
func maskName(name string) string {
	if name == "" {
		return ""
	}
	r, _ := utf8.DecodeRuneInString(name)
	return string(r) + "**"
}

// PersonView is an entry as one caller may see it.
type PersonView struct {
	ID          string      `json:"id"`
	Name        string      `json:"name"`
	Phone       string      `json:"phone"`
	Roles       []string    `json:"roles"`
	Region      string      `json:"region"`
	RegionName  string      `json:"regionName"`
	Address     string      `json:"address,omitempty"`
	Crops       []Crop      `json:"crops"`
	Livestock   []Livestock `json:"livestock"`
	Cooperative string      `json:"cooperative,omitempty"`
	// CooperativeID is the organisation named Cooperative in the person's
	// county or city, when there is one (resolved at read time: coops.go).
	CooperativeID string       `json:"cooperativeId,omitempty"`
	Verification  Verification `json:"verification"`
	Consent       *Consent     `json:"consent,omitempty"` // staff and the person only
	Masked        []string     `json:"masked"`            // consentable fields shown masked
	Source        string       `json:"source"`
	CreatedAt     time.Time    `json:"createdAt,omitzero"`
	UpdatedAt     time.Time    `json:"updatedAt,omitzero"`
}

// view is p as v may see it.
func (v viewer) view(p Person) PersonView {
	pv, _, _ := v.show(p)
	return pv
}

// show is p as v may see it: the JSON view, the download cells and the
// consentable fields it masked, all from one masking so they agree.
func (v viewer) show(p Person) (PersonView, []string, []string) {
	m, masked := v.mask(p)
	pv := PersonView{
		ID: m.ID, Name: m.Name, Phone: m.Phone, Roles: nonNil(m.Roles),
		Region: m.Region, RegionName: regions.FullName(m.Region), Address: m.Address,
		Crops: nonNil(m.Crops), Livestock: nonNil(m.Livestock), Cooperative: m.Cooperative,
		Verification: m.Verification.shown(), Consent: v.ownConsent(p.Consent, p.Phone),
		Masked: masked, Source: sourceOf(m.Source),
		CreatedAt: tz.In(m.CreatedAt), UpdatedAt: tz.In(m.UpdatedAt),
	}
	return pv, formatPerson(&m), masked
}

// ownConsent is the consent settings as shown to v: to staff and the
// owner only.
func (v viewer) ownConsent(c Consent, owner string) *Consent {
	if !v.owns(owner) {
		return nil
	}
	c = c.normalised()
	return &c
}

// disclosed is the complement of masked among the consentable fields.
func disclosed(masked []string) []string {
	out := []string{}
	for _, f := range ConsentFields {
		if !slices.Contains(masked, f) {
			out = append(out, f)
		}
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

package registry

import (
	"slices"
	"strings"

	"github.com/liaoning12316/agrimaker/farmers/access"
	"github.com/liaoning12316/agrimaker/internal/httpx"
)

// Consentable fields: the personal data a third party sees only with the
// person's consent. Everything else in an entry (roles, county, crops,
// livestock, cooperative, verification status) is what the registry exists
// to publish and is shown to every caller with the registry scope.
const (
	FieldName     = "name"     // the full name (else surname + "**")
	FieldPhone    = "phone"    // the mobile number (else 138****5678)
	FieldLocation = "location" // village / address (else the county only)
)

// ConsentFields lists the consentable fields in the order logs and views
// name them.
var ConsentFields = []string{FieldName, FieldPhone, FieldLocation}

// Consent says, per field, which audiences may see it unmasked. Opt-in:
// an empty list (the default) shares the field with nobody.
type Consent struct {
	Name     []string `bson:"name" json:"name"`
	Phone    []string `bson:"phone" json:"phone"`
	Location []string `bson:"location" json:"location"`
}

// consentAudiences are the audiences a person may consent to: the kinds of
// organisation, and "platform" for the platform's own signed-in users.
var consentAudiences = append(slices.Clone(access.OrgAudiences), access.AudiencePlatform)

// audiences returns the list for field.
func (c Consent) audiences(field string) []string {
	switch field {
	case FieldName:
		return c.Name
	case FieldPhone:
		return c.Phone
	case FieldLocation:
		return c.Location
	}
	return nil
}

// Allows reports whether audience may see field unmasked.
func (c Consent) Allows(field, audience string) bool {
	return slices.Contains(c.audiences(field), audience)
}

// normalised returns c with every list non-nil, sorted and without
// duplicates, so that what is stored and shown does not depend on how the
// client wrote it.
func (c Consent) normalised() Consent {
	norm := func(s []string) []string {
		s = slices.Clone(s)
		slices.Sort(s)
		return append([]string{}, slices.Compact(s)...)
	}
	return Consent{Name: norm(c.Name), Phone: norm(c.Phone), Location: norm(c.Location)}
}

// validate names each field whose list holds something that is not an audience.
func (c Consent) validate() error {
	bad := map[string]string{}
	for _, f := range ConsentFields {
		for _, a := range c.audiences(f) {
			if !slices.Contains(consentAudiences, a) {
				bad[f] = "audiences must be among: " + strings.Join(consentAudiences, " ")
			}
		}
	}
	if len(bad) > 0 {
		return httpx.Invalid(bad)
	}
	return nil
}

package registry

import (
	"strings"
	"time"
)

// personInput is a profile as staff (POST/PUT /registry/people) and the
// person (PUT /me/profile) write it. Staff give the phone; the person's
// comes from their account.
type personInput struct {
	Name        string      `json:"name" validate:"required,max=50"`
	Phone       string      `json:"phone" validate:"omitempty,phone"`
	Roles       []string    `json:"roles" validate:"required,min=1,max=8"`
	Region      string      `json:"region" validate:"required,county"`
	Address     string      `json:"address" validate:"max=200"`
	Crops       []Crop      `json:"crops" validate:"max=50,dive"`
	Livestock   []Livestock `json:"livestock" validate:"max=50,dive"`
	Cooperative string      `json:"cooperative" validate:"max=100"`
}

// check is what the tags cannot say: roles are registry roles, and crop
// and livestock names can be written in a file cell and read back.
func (in *personInput) check() error {
	bad := map[string]string{}
	for _, r := range in.Roles {
		if !KnownRole(r) {
			bad["roles"] = "each must be one of: " + joinedRoles
		}
	}
	checkInputCrops("crops", in.Crops, bad)
	for _, l := range in.Livestock {
		if !plainName(l.Kind) {
			bad["livestock"] = "kinds must not contain ; : 、 or commas"
		}
	}
	return invalidIf(bad)
}

// checkInputCrops refuses crop names a file cell could not give back, and
// stores an area of -0 (JSON allows it) as 0: a download writes no area
// for either, and the import reads that back as +0 (parseArea does alike).
func checkInputCrops(field string, cs []Crop, bad map[string]string) {
	for i, c := range cs {
		if !plainName(c.Crop) {
			bad[field] = "names must not contain ; : 、 or commas"
		}
		if c.AreaMu == 0 { // true for -0 too
			cs[i].AreaMu = 0
		}
	}
}

// person is the input as an entry's profile fields.
func (in *personInput) person() Person {
	return Person{Name: in.Name, Phone: in.Phone, Roles: canonicalRoles(in.Roles), Region: in.Region,
		Address: in.Address, Crops: nonNil(in.Crops), Livestock: nonNil(in.Livestock), Cooperative: in.Cooperative}
}

// newPerson is a new entry from in, made by source at now: unverified and
// sharing nothing until the person consents.
func newPerson(in *personInput, source string, now time.Time) Person {
	p := in.person()
	p.ID = newID()
	p.Source = source
	p.Verification = Verification{Status: Unverified}
	p.Consent = Consent{}.normalised()
	p.CreatedAt, p.UpdatedAt = now, now
	return p
}

var joinedRoles = strings.Join(Roles, " ")

type verificationInput struct {
	Status string `json:"status" validate:"required,oneof=verified rejected unverified"`
	Note   string `json:"note" validate:"max=500"`
}

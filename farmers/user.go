// Package farmers owns the 12316 users: accounts, roles, sessions, and
// (later) the open registry of farmers, cooperatives and experts.
package farmers

import (
	"slices"
	"time"
)

// Role names. A user may hold several.
const (
	RoleFarmer    = "farmer"
	RoleBuyer     = "buyer"
	RoleOrganizer = "organizer"
	RoleJudge     = "judge"
	RoleAdmin     = "admin"
)

// AllRoles lists every role an administrator may grant.
var AllRoles = []string{RoleFarmer, RoleBuyer, RoleOrganizer, RoleJudge, RoleAdmin}

// User is a stored account.
type User struct {
	ID           string    `bson:"_id" json:"id"`
	Phone        string    `bson:"phone" json:"phone"`
	Name         string    `bson:"name" json:"name"`
	Roles        []string  `bson:"roles" json:"roles"`
	PasswordHash []byte    `bson:"passwordHash" json:"-"`
	CreatedAt    time.Time `bson:"createdAt" json:"createdAt"`
}

// HasRole reports whether u holds role r.
func (u *User) HasRole(r string) bool { return slices.Contains(u.Roles, r) }

// Contact is what one party of a deal may see of the other.
type Contact struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Phone string `json:"phone"`
}

// Contact returns u's contact card.
func (u *User) Contact() Contact { return Contact{ID: u.ID, Name: u.Name, Phone: u.Phone} }

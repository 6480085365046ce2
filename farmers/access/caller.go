package access

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/liaoning12316/agrimaker/farmers"
)

// Caller is who made a request admitted by Require: an organisation through
// one of its keys, or a signed-in user of the platform.
type Caller struct {
	OrgID, OrgName string // "" for a platform user
	KeyID          string // "" for a platform user
	Audience       string
	Scopes         []string
	User           *farmers.User // the signed-in user when the caller came with a session token; nil with a key
}

// Has reports whether the caller holds scope; every caller holds "".
func (c *Caller) Has(scope string) bool {
	return scope == "" || slices.Contains(c.Scopes, scope)
}

// ViaKey reports whether the caller came with an API key.
func (c *Caller) ViaKey() bool { return c.KeyID != "" }

const callerKey = "access.caller"

// CallerFrom returns the caller Require admitted, or nil outside Require.
func CallerFrom(c *fiber.Ctx) *Caller {
	cl, _ := c.Locals(callerKey).(*Caller)
	return cl
}

// keyCaller is the caller of a request made with an organisation's key.
// Scopes are copied: handlers may keep or change their Caller.
func keyCaller(k *Key, o *Org) *Caller {
	return &Caller{OrgID: o.ID, OrgName: o.Name, KeyID: k.ID, Audience: o.Audience, Scopes: slices.Clone(o.Scopes)}
}

// userCaller is the caller of a request made with a session: a platform
// user sees what the platform shows its users, so every scope.
func userCaller(u *farmers.User) *Caller {
	return &Caller{Audience: AudiencePlatform, Scopes: slices.Clone(AllScopes), User: u}
}

// CallerView is a Caller as GET /developer/whoami shows it.
type CallerView struct {
	OrgID    string   `json:"orgId,omitempty"`
	OrgName  string   `json:"orgName,omitempty"`
	KeyID    string   `json:"keyId,omitempty"`
	UserID   string   `json:"userId,omitempty"`
	Audience string   `json:"audience"`
	Scopes   []string `json:"scopes"`
}

func (c *Caller) view() CallerView {
	v := CallerView{OrgID: c.OrgID, OrgName: c.OrgName, KeyID: c.KeyID, Audience: c.Audience, Scopes: c.Scopes}
	if c.User != nil {
		v.UserID = c.User.ID
	}
	if v.Scopes == nil {
		v.Scopes = []string{}
	}
	return v
}

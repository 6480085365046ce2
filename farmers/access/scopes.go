package access

import (
	"slices"

	"github.com/go-playground/validator/v10"

	"github.com/liaoning12316/agrimaker/internal/httpx"
)

// Scopes an organisation may be granted.
const (
	ScopeRegistryRead  = "registry:read"
	ScopePricesRead    = "prices:read"
	ScopeKnowledgeRead = "knowledge:read"
	ScopeSupplyRead    = "supply:read"
	ScopeSupplyWrite   = "supply:write"
)

// AllScopes lists every scope, in the order they are documented.
var AllScopes = []string{ScopeRegistryRead, ScopePricesRead, ScopeKnowledgeRead, ScopeSupplyRead, ScopeSupplyWrite}

// Audiences: the kind of third party an organisation is. People's consent
// names audiences.
const (
	AudienceBuyer      = "buyer"      // wholesalers, supermarkets, processors
	AudienceFinance    = "finance"    // banks, insurers
	AudienceResearch   = "research"   // universities, institutes
	AudienceGovernment = "government" // agriculture bureaus
	AudienceEnterprise = "enterprise" // other companies
	AudiencePlatform   = "platform"   // a signed-in user of this platform (session, no key)
)

// OrgAudiences is what an organisation may be (platform is not: it is the
// audience of the platform's own signed-in users).
var OrgAudiences = []string{AudienceBuyer, AudienceFinance, AudienceResearch, AudienceGovernment, AudienceEnterprise}

// KnownScope reports whether s is one of AllScopes.
func KnownScope(s string) bool { return slices.Contains(AllScopes, s) }

// The validation tags "apiscope" and "orgaudience" check request fields
// against the lists above, so that the lists are written down once.
func init() {
	v := httpx.Validator()
	_ = v.RegisterValidation("apiscope", func(fl validator.FieldLevel) bool {
		return KnownScope(fl.Field().String())
	})
	_ = v.RegisterValidation("orgaudience", func(fl validator.FieldLevel) bool {
		return slices.Contains(OrgAudiences, fl.Field().String())
	})
}

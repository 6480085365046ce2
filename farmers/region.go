package farmers

import (
	"regexp"

	"github.com/go-playground/validator/v10"

	"github.com/liaoning12316/agrimaker/internal/httpx"
)

// regionRE accepts a GB/T 2260 code inside Liaoning (21xxxx). The registry
// issue replaces this with the full table of cities and counties.
var regionRE = regexp.MustCompile(`^21[0-9]{4}$`)

// ValidRegion reports whether code is a Liaoning region code.
func ValidRegion(code string) bool { return regionRE.MatchString(code) }

func init() {
	_ = httpx.Validator().RegisterValidation("region", func(fl validator.FieldLevel) bool {
		return ValidRegion(fl.Field().String())
	})
}

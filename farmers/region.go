package farmers

import (
	"github.com/go-playground/validator/v10"

	"github.com/liaoning12316/agrimaker/farmers/regions"
	"github.com/liaoning12316/agrimaker/internal/httpx"
)

// ValidRegion reports whether code is a current city or county-level code of
// Liaoning. The province (210000) is not a place a lot comes from, and
// abolished codes (regions' aliases, e.g. 210122 辽中县) are refused for new
// input; importers of old exports map them with regions.Canonical first.
func ValidRegion(code string) bool {
	r, ok := regions.Lookup(code)
	return ok && r.Successor == "" && (r.Level == regions.LevelCity || r.Level == regions.LevelCounty)
}

// ValidCounty reports whether code is a current county-level code (district,
// county, county-level city or autonomous county) of Liaoning.
func ValidCounty(code string) bool { return regions.IsCounty(code) }

// ValidArea is ValidRegion plus the province itself: the codes that make
// sense as a search area ("everything in Liaoning" included), where
// ValidRegion's codes are the ones a record may carry.
func ValidArea(code string) bool { return code == regions.Province || ValidRegion(code) }

func init() {
	v := httpx.Validator()
	_ = v.RegisterValidation("region", func(fl validator.FieldLevel) bool {
		return ValidRegion(fl.Field().String())
	})
	_ = v.RegisterValidation("county", func(fl validator.FieldLevel) bool {
		return ValidCounty(fl.Field().String())
	})
}

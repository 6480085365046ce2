package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"
	"github.com/gofiber/fiber/v2"
)

var (
	validateOnce sync.Once
	validate     *validator.Validate
)

// Validator returns the shared validator, which names fields by their JSON tag.
func Validator() *validator.Validate {
	validateOnce.Do(func() {
		validate = validator.New(validator.WithRequiredStructEnabled())
		validate.RegisterTagNameFunc(func(f reflect.StructField) string {
			name := strings.SplitN(f.Tag.Get("json"), ",", 2)[0]
			if name == "-" {
				return ""
			}
			return name
		})
	})
	return validate
}

// Decode reads the JSON body into v strictly (unknown fields, wrong types and
// trailing data are errors) and validates it. Failures are 400 or 422 errors.
func Decode(c *fiber.Ctx, v any) error {
	return DecodeBytes(c.Body(), v)
}

// DecodeBytes is Decode for a body already in hand (a websocket frame, say).
func DecodeBytes(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return Errorf(400, "bad_json", "request body must be a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Errorf(400, "bad_json", "unexpected data after the JSON object")
	}
	return Validate(v)
}

// Validate runs struct validation and maps failures to a 422.
func Validate(v any) error {
	err := Validator().Struct(v)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return fmt.Errorf("validate: %w", err)
	}
	fields := make(map[string]string, len(verrs))
	for _, fe := range verrs {
		fields[fieldPath(fe)] = reason(fe)
	}
	return Invalid(fields)
}

func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		name := te.Field
		if name == "" {
			name = "body"
		}
		return Invalid(map[string]string{name: "must be " + jsonType(te.Type.Kind())})
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "json: unknown field ") {
		f := strings.Trim(strings.TrimPrefix(msg, "json: unknown field "), `"`)
		return Invalid(map[string]string{f: "unknown field"})
	}
	return Errorf(400, "bad_json", "malformed JSON: %s", strings.TrimPrefix(msg, "json: "))
}

func jsonType(k reflect.Kind) string {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "an object"
}

// fieldPath turns "Req.quantity.value" into "quantity.value".
func fieldPath(fe validator.FieldError) string {
	ns := fe.Namespace()
	if i := strings.IndexByte(ns, '.'); i >= 0 {
		return ns[i+1:]
	}
	return fe.Field()
}

func reason(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required":
		return "is required"
	case "min", "gte":
		return "must be at least " + fe.Param()
	case "max", "lte":
		return "must be at most " + fe.Param()
	case "gt":
		return "must be more than " + fe.Param()
	case "oneof":
		return "must be one of: " + fe.Param()
	case "region":
		return "must be the GB/T 2260 code of a current city or county of Liaoning (e.g. 210102)"
	case "county":
		return "must be the GB/T 2260 code of a current county-level division of Liaoning (e.g. 210102), not a city"
	case "phone":
		return "must be a mainland mobile number (11 digits starting 13-19)"
	case "len":
		return "must have length " + fe.Param()
	}
	return "is not valid (" + fe.Tag() + ")"
}

// phoneRE is a mainland China mobile number.
var phoneRE = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

func init() {
	_ = Validator().RegisterValidation("phone", func(fl validator.FieldLevel) bool {
		return phoneRE.MatchString(fl.Field().String())
	})
}

// Package httpx holds the small HTTP conventions every domain shares:
// the error shape, strict JSON decoding with validation, and list paging.
package httpx

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/gofiber/fiber/v2"
)

// Error is the one error shape of the API:
// {"error":{"code","message","fields"}}.
type Error struct {
	Status  int               `json:"-"`
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
	// RetryAfter, in seconds, is sent as the Retry-After header when set.
	RetryAfter int `json:"-"`
}

func (e *Error) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

// Errorf builds an API error.
func Errorf(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Common errors.
var (
	ErrUnauthorized = &Error{Status: http.StatusUnauthorized, Code: "unauthorized", Message: "missing or invalid token"}
	ErrForbidden    = &Error{Status: http.StatusForbidden, Code: "forbidden", Message: "you may not do this"}
	ErrNotFound     = &Error{Status: http.StatusNotFound, Code: "not_found", Message: "no such resource"}
	ErrUnavailable  = &Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: "the database is not answering; try again shortly"}
)

// Invalid is a 422 validation error naming the offending fields.
func Invalid(fields map[string]string) *Error {
	return &Error{Status: http.StatusUnprocessableEntity, Code: "invalid", Message: "some fields are not valid", Fields: fields}
}

// Body is the JSON envelope of an error.
type Body struct {
	Error *Error `json:"error"`
}

// ErrorHandler turns any error returned by a handler into the API shape.
// Unknown errors become a 500 whose detail goes to the log, not the client.
func ErrorHandler(log *slog.Logger) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		apiErr := AsError(err)
		if apiErr.Status == http.StatusInternalServerError {
			log.Error("request failed", "rid", RequestID(c), "method", c.Method(), "path", c.Path(), "err", err)
		}
		if apiErr.RetryAfter > 0 {
			c.Set(fiber.HeaderRetryAfter, fmt.Sprint(apiErr.RetryAfter))
		}
		return c.Status(apiErr.Status).JSON(Body{Error: apiErr})
	}
}

// AsError maps any error to an API error.
func AsError(err error) *Error {
	var apiErr *Error
	if errors.As(err, &apiErr) {
		return apiErr
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		return fromFiber(fe)
	}
	if IsUnavailable(err) {
		return ErrUnavailable
	}
	return &Error{Status: http.StatusInternalServerError, Code: "internal", Message: "internal error"}
}

func fromFiber(fe *fiber.Error) *Error {
	switch fe.Code {
	case http.StatusNotFound:
		return &Error{Status: fe.Code, Code: "not_found", Message: "no such route"}
	case http.StatusMethodNotAllowed:
		return &Error{Status: fe.Code, Code: "method_not_allowed", Message: fe.Message}
	case http.StatusRequestEntityTooLarge:
		return &Error{Status: fe.Code, Code: "too_large", Message: "request body is too large"}
	case http.StatusBadRequest:
		return &Error{Status: fe.Code, Code: "bad_request", Message: fe.Message}
	case http.StatusTooManyRequests:
		return &Error{Status: fe.Code, Code: "rate_limited", Message: "too many requests", RetryAfter: 1}
	case http.StatusRequestHeaderFieldsTooLarge:
		return &Error{Status: fe.Code, Code: "headers_too_large", Message: "the request line or headers are longer than 8 KiB"}
	}
	return &Error{Status: fe.Code, Code: "error", Message: fe.Message}
}

package httpx

// Fuzz targets for the decoders every route runs on outside input: list
// query parameters (Limit, QueryInt) and JSON bodies (DecodeBytes). Seeds
// are in code (f.Add), so `go test` runs them as plain tests too, and
// `make fuzz-smoke` fuzzes each for a few seconds.

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// queryApp answers ?limit=&after= the way list routes read them.
func queryApp() *fiber.App {
	app := fiber.New(fiber.Config{DisableStartupMessage: true, ErrorHandler: ErrorHandler(slog.New(slog.NewTextHandler(io.Discard, nil)))})
	app.Get("/list", func(c *fiber.Ctx) error {
		n, err := Limit(c)
		if err != nil {
			return err
		}
		after, err := QueryInt(c, "after", 0, 0)
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"limit": n, "after": after})
	})
	return app
}

// FuzzQueryParams: whatever the query, the answer is 200 with values in
// range or a 422 naming the parameter; never a panic or a 5xx, and a value
// strconv accepts in range is taken as is.
func FuzzQueryParams(f *testing.F) {
	for _, s := range [][2]string{
		{"", ""}, {"50", "0"}, {"1", "17"}, {"500", "9223372036854775807"}, {"501", "-1"}, {"0", "1e3"},
		{"-5", " 7"}, {"+7", "0x10"}, {"007", "٣"}, {"9999999999999999999999", "9223372036854775808"},
		{"1\x00", "%"}, {"abc", "1;2"}, {" 50", "50 "},
	} {
		f.Add(s[0], s[1])
	}
	app := queryApp()
	f.Fuzz(func(t *testing.T, limit, after string) {
		q := url.Values{}
		if limit != "" {
			q.Set("limit", limit)
		}
		if after != "" {
			q.Set("after", after)
		}
		if len(q.Encode()) > 2000 {
			// Longer request lines never reach a handler: the server
			// answers 431 first (ReadBufferSize), and app.Test's own
			// buffer is smaller still.
			t.Skip()
		}
		res, err := app.Test(httptest.NewRequest("GET", "/list?"+q.Encode(), nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		wantLimit, limitOK := int64(50), true
		if limit != "" {
			n, err := strconv.Atoi(limit)
			wantLimit, limitOK = int64(n), err == nil && n >= 1 && n <= 500
		}
		wantAfter, afterOK := int64(0), true
		if after != "" {
			n, err := strconv.ParseInt(after, 10, 64)
			wantAfter, afterOK = n, err == nil && n >= 0
		}
		switch res.StatusCode {
		case 200:
			var got struct{ Limit, After int64 }
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatalf("200 with %q: %v", body, err)
			}
			if !limitOK || !afterOK || got.Limit != wantLimit || got.After != wantAfter {
				t.Fatalf("limit=%q after=%q → %s; want limit %d (%v) after %d (%v)", limit, after, body, wantLimit, limitOK, wantAfter, afterOK)
			}
		case 422:
			var e Body
			if err := json.Unmarshal(body, &e); err != nil || e.Error == nil || len(e.Error.Fields) == 0 {
				t.Fatalf("422 without fields: %s", body)
			}
			if limitOK && afterOK {
				t.Fatalf("limit=%q after=%q refused: %s", limit, after, body)
			}
		default:
			t.Fatalf("limit=%q after=%q → %d %s", limit, after, res.StatusCode, body)
		}
	})
}

// fuzzBody is a small request type with the validations bodies use.
type fuzzBody struct {
	Amount   int64             `json:"amount" validate:"gte=0"`
	Phone    string            `json:"phone" validate:"omitempty,phone"`
	Kind     string            `json:"kind" validate:"required,oneof=sell buy"`
	Quantity *struct{ V int }  `json:"quantity" validate:"omitempty"`
	Tags     []string          `json:"tags" validate:"max=3,dive,max=10"`
	Extra    map[string]string `json:"extra"`
}

// FuzzDecodeBytes: any body decodes, or fails as a 400 bad_json or a 422
// naming fields: never a panic, never another error (which would be a 500).
func FuzzDecodeBytes(f *testing.F) {
	for _, s := range []string{
		`{"kind":"sell","amount":1}`, `{"kind":"buy","phone":"13800000001","tags":["a"]}`, ``, ` `, `null`, `[]`, `"x"`,
		`{"kind":"sell"} {}`, `{"kind":"sell","amount":-1}`, `{"kind":"sell","amount":1.5}`, `{"kind":"sell","amount":"1"}`,
		`{"kind":"sell","nope":1}`, `{"kind":"x"}`, `{"kind":"sell","quantity":{"V":"a"}}`, `{"kind":"sell","tags":["12345678901"]}`,
		`{"kind":"sell","amount":99999999999999999999}`, `{"kind":"sell","extra":{"a":1}}`, "{\"kind\":\"sell\xff\"}", `{`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v fuzzBody
		err := DecodeBytes(data, &v)
		if err == nil {
			if v.Kind != "sell" && v.Kind != "buy" || v.Amount < 0 {
				t.Fatalf("%q decoded to %+v, which breaks its validations", data, v)
			}
			return
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("%q: %T %v, want an *Error (else the API answers 500)", data, err, err)
		}
		switch {
		case e.Status == 400 && e.Code == "bad_json":
		case e.Status == 422 && len(e.Fields) > 0:
		default:
			t.Fatalf("%q: %d %s %v", data, e.Status, e.Code, e.Fields)
		}
	})
}

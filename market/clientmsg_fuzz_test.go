package market

import (
	"encoding/json"
	"strconv"
	"testing"
)

// FuzzParseClientMsg: no frame makes the parser panic, and what it reads
// agrees with a plain JSON decode of the same frame. Seeds run with every
// `go test`; `go test -fuzz FuzzParseClientMsg ./market/` explores further.
func FuzzParseClientMsg(f *testing.F) {
	for _, s := range []string{
		`{"type":"bid","ref":"r1","amount":10100}`,
		`{"type":"bid","ref":"r1","amount":12.5}`,
		`{"type":7,"ref":"x"}`,
		`{"type":"bid","ref":{"a":1},"amount":"100"}`,
		`[1,2,3]`, `null`, `{`, ``, `{"type":"bid","amount":-1}`,
		`{"type":"bid","amount":99999999999999999999999}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, ok := parseClientMsg(data)
		var plain struct {
			Type string `json:"type"`
			Ref  string `json:"ref"`
		}
		if json.Unmarshal(data, &plain) == nil && ok && plain.Type != m.Type {
			t.Fatalf("type %q, plain decode %q", m.Type, plain.Type)
		}
		if !ok && m.Type != "" {
			t.Fatalf("unreadable type but got %q", m.Type)
		}
		// an amount the socket accepts is exactly the JSON integer sent
		if n, err := strconv.ParseInt(string(m.Amount), 10, 64); err == nil {
			var v int64
			if json.Unmarshal(m.Amount, &v) != nil || v != n {
				t.Fatalf("amount %s read as %d, JSON says %d", m.Amount, n, v)
			}
		}
	})
}

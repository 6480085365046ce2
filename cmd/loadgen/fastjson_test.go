package main

import (
	"encoding/json"
	"testing"
)

func TestParseWatchMsgAgreesWithEncodingJSON(t *testing.T) {
	msgs := []string{
		`{"type":"bid","serverTime":"2026-11-26T18:17:45.123456789+08:00","bid":{"seq":12,"amount":11300,"bidder":"6b0877c7a5ab763bdf970f1e","at":"2026-11-26T18:17:45.12+08:00","proxy":false},"price":11300,"leader":"6b0877c7a5ab763bdf970f1e","endsAt":"2026-11-26T18:20:00+08:00"}`,
		` { "type" : "bid" , "bid" : { "at" : "x", "bidder" : 42 , "amount" : -5, "seq" : 1, "extra": [1, {"a": "b\"c"}, null, true] } } `,
		`{"type":"snapshot","serverTime":"t","auction":{"id":"a","quantity":{"value":1000.5,"unit":"公斤"},"leader":null,"photos":[],"result":null}}`,
		`{"type":"heartbeat","serverTime":"2026-11-26T18:17:45+08:00"}`,
		`{"type":"closed","serverTime":"t","result":{"winner":null,"price":1,"reserveMet":true}}`,
		`{"type":"bid","bid":null}`,
		`{"type":"bid","bid":{"seq":3,"amount":1,"bidder":null,"at":"a"}}`,
		`{"type":"bid","bid":{"seq":1,"bid":{"seq":2}},"bid":{"seq":4,"amount":2,"bidder":"u","at":"b"}}`,
		`{}`,
	}
	for _, m := range msgs {
		typ, bid, ok := parseWatchMsg([]byte(m))
		if !ok {
			t.Errorf("%s: fast parser refused", m)
			continue
		}
		var want wsMsg
		if err := json.Unmarshal([]byte(m), &want); err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		if typ != want.Type {
			t.Errorf("%s: type %q, want %q", m, typ, want.Type)
		}
		switch {
		case (bid == nil) != (want.Bid == nil):
			t.Errorf("%s: bid %v, want %v", m, bid, want.Bid)
		case bid != nil && *bid != *want.Bid:
			t.Errorf("%s: bid %+v, want %+v", m, *bid, *want.Bid)
		}
	}
}

func TestParseWatchMsgRefusesWhatItCannotRead(t *testing.T) {
	for _, m := range []string{
		``, `[]`, `{"type":"bid"`, `{"type":"bid"} x`, `{"type":"b\u0069d"}`,
		`{"type":"bid","bid":{"seq":1.5}}`, `{"type":"bid","bid":{"seq":"1"}}`,
		`{"type":"bid","bid":{"bidder":"a\"b"}}`, `{"type":1}`, `{"a":tru`,
	} {
		if _, _, ok := parseWatchMsg([]byte(m)); ok {
			t.Errorf("%q: accepted, want refusal (fallback to encoding/json)", m)
		}
	}
}

func BenchmarkParseWatchMsg(b *testing.B) {
	m := []byte(`{"type":"bid","serverTime":"2026-11-26T18:17:45.123456789+08:00","bid":{"seq":12,"amount":11300,"bidder":"6b0877c7a5ab763bdf970f1e","at":"2026-11-26T18:17:45.12+08:00","proxy":false},"price":11300,"leader":"6b0877c7a5ab763bdf970f1e","endsAt":"2026-11-26T18:20:00+08:00"}`)
	b.Run("fast", func(b *testing.B) {
		for b.Loop() {
			parseWatchMsg(m)
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		for b.Loop() {
			var w wsMsg
			_ = json.Unmarshal(m, &w)
		}
	})
}

package main

import (
	"strconv"
)

// The watchers read every bid of every auction they watch: with 2,000
// sockets that is 10^5 messages a second on the same machine as the server,
// and encoding/json (reflection, a validating pre-pass, allocations) used
// most of the load generator's CPU there, CPU the server then did not get.
// parseWatchMsg reads only what a watcher needs — "type" and, for bids,
// bid.seq/amount/bidder/at — in one pass without allocating more than the
// strings it returns. Anything it does not fully understand (escapes in a
// string it needs, malformed input) makes it report !ok, and the caller
// falls back to encoding/json, so it never decides differently from it on
// the messages it accepts.

type jscan struct {
	b []byte
	i int
}

func (s *jscan) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *jscan) peek() byte {
	s.ws()
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

func (s *jscan) eat(c byte) bool {
	if s.peek() == c {
		s.i++
		return true
	}
	return false
}

// str reads a string without escapes and returns its raw bytes; a string
// with a backslash, or no string here, is !ok.
func (s *jscan) str() ([]byte, bool) {
	if !s.eat('"') {
		return nil, false
	}
	start := s.i
	for s.i < len(s.b) {
		switch c := s.b[s.i]; {
		case c == '"':
			out := s.b[start:s.i]
			s.i++
			return out, true
		case c == '\\' || c < 0x20:
			return nil, false
		}
		s.i++
	}
	return nil, false
}

// skipStr skips any string, escapes included.
func (s *jscan) skipStr() bool {
	if !s.eat('"') {
		return false
	}
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case '\\':
			s.i += 2
			continue
		case '"':
			s.i++
			return true
		}
		s.i++
	}
	return false
}

// int reads an integer literal (no fraction or exponent).
func (s *jscan) int() (int64, bool) {
	s.ws()
	start := s.i
	if s.i < len(s.b) && s.b[s.i] == '-' {
		s.i++
	}
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		s.i++
	}
	if s.i < len(s.b) {
		switch s.b[s.i] {
		case '.', 'e', 'E':
			return 0, false
		}
	}
	v, err := strconv.ParseInt(string(s.b[start:s.i]), 10, 64)
	return v, err == nil
}

// skip skips one value of any kind.
func (s *jscan) skip(depth int) bool {
	if depth > 64 {
		return false
	}
	switch s.peek() {
	case '"':
		return s.skipStr()
	case '{':
		s.i++
		if s.eat('}') {
			return true
		}
		for {
			if !s.skipStr() || !s.eat(':') || !s.skip(depth+1) {
				return false
			}
			if s.eat('}') {
				return true
			}
			if !s.eat(',') {
				return false
			}
		}
	case '[':
		s.i++
		if s.eat(']') {
			return true
		}
		for {
			if !s.skip(depth + 1) {
				return false
			}
			if s.eat(']') {
				return true
			}
			if !s.eat(',') {
				return false
			}
		}
	case 0:
		return false
	default: // number, true, false, null
		start := s.i
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return s.i > start
			}
			s.i++
		}
		return s.i > start
	}
}

// object calls field for each key of an object; field must consume the
// value and report whether it could.
func (s *jscan) object(field func(key []byte) bool) bool {
	if !s.eat('{') {
		return false
	}
	if s.eat('}') {
		return true
	}
	for {
		k, ok := s.str()
		if !ok || !s.eat(':') || !field(k) {
			return false
		}
		if s.eat('}') {
			return true
		}
		if !s.eat(',') {
			return false
		}
	}
}

// id reads an id sent as a string or a number; null is "".
func (s *jscan) id() (string, bool) {
	switch c := s.peek(); {
	case c == '"':
		v, ok := s.str()
		return string(v), ok
	case c == 'n':
		if len(s.b)-s.i >= 4 && string(s.b[s.i:s.i+4]) == "null" {
			s.i += 4
			return "", true
		}
		return "", false
	default:
		start := s.i
		if _, ok := s.int(); !ok {
			return "", false
		}
		return string(s.b[start:s.i]), true
	}
}

// parseWatchMsg extracts type and bid from one server message; ok is false
// when the caller must use encoding/json instead.
func parseWatchMsg(data []byte) (typ string, bid *bidDTO, ok bool) {
	s := &jscan{b: data}
	ok = s.object(func(k []byte) bool {
		switch string(k) {
		case "type":
			v, ok := s.str()
			typ = string(v)
			return ok
		case "bid":
			if s.peek() == 'n' {
				return s.skip(0)
			}
			b := &bidDTO{}
			bid = b
			return s.object(func(k []byte) bool {
				var ok bool
				switch string(k) {
				case "seq":
					b.Seq, ok = s.int()
				case "amount":
					b.Amount, ok = s.int()
				case "bidder":
					var v string
					v, ok = s.id()
					b.Bidder = flexID(v)
				case "at":
					var v []byte
					v, ok = s.str()
					b.At = string(v)
				default:
					ok = s.skip(1)
				}
				return ok
			})
		default:
			return s.skip(0)
		}
	})
	if ok {
		s.ws()
		ok = s.i == len(s.b)
	}
	return typ, bid, ok
}

package tabular

import (
	"strings"
	"unicode/utf8"
)

// Office Open XML strings escape characters that XML 1.0 cannot carry as
// "_xHHHH_" (Excel writes a carriage return as "_x000D_"), and escape a
// literal "_xHHHH_" in the text by writing its underscore as "_x005F_".

// isOOXMLEscape reports whether s starts with "_xHHHH_".
func isOOXMLEscape(s string) bool {
	if len(s) < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_' {
		return false
	}
	for i := 2; i < 6; i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func hexValue(c byte) rune {
	switch {
	case c <= '9':
		return rune(c - '0')
	case c >= 'a':
		return rune(c-'a') + 10
	default:
		return rune(c-'A') + 10
	}
}

// unescapeOOXML decodes "_xHHHH_" sequences. One that names a surrogate
// (half of a pair that cannot be joined here) is left as it is.
func unescapeOOXML(s string) string {
	i := strings.Index(s, "_x")
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i >= 0 {
		b.WriteString(s[:i])
		s = s[i:]
		if isOOXMLEscape(s) {
			r := hexValue(s[2])<<12 | hexValue(s[3])<<8 | hexValue(s[4])<<4 | hexValue(s[5])
			if utf8.ValidRune(r) {
				b.WriteRune(r)
				s = s[7:]
				i = strings.Index(s, "_x")
				continue
			}
		}
		b.WriteString(s[:2])
		s = s[2:]
		i = strings.Index(s, "_x")
	}
	b.WriteString(s)
	return b.String()
}

// appendXMLText appends s escaped for XML element text or a double-quoted
// attribute. Characters XML 1.0 does not allow (most C0 controls, U+FFFE,
// U+FFFF) are dropped, and each run of bytes that are not UTF-8 becomes one
// U+FFFD, as strings.ToValidUTF8 does for CSV. A literal "_xHHHH_" gets its
// underscore escaped so that readers give it back as is; that is decided on
// the cleaned text, where dropping a character may have formed one.
func appendXMLText(dst []byte, s string) []byte {
	s = xmlChars(s)
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < utf8.RuneSelf {
			dst = appendASCII(dst, c, s[i:])
		} else {
			dst = append(dst, c) // part of a valid character: xmlChars checked
		}
	}
	return dst
}

// xmlChars returns s as valid UTF-8 without characters XML 1.0 forbids.
func xmlChars(s string) string {
	if utf8.ValidString(s) && strings.IndexFunc(s, notXMLChar) < 0 {
		return s // the common case: no copy
	}
	return strings.Map(func(r rune) rune {
		if notXMLChar(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

func notXMLChar(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF
}

func appendASCII(dst []byte, c byte, rest string) []byte {
	switch c {
	case '&':
		return append(dst, "&amp;"...)
	case '<':
		return append(dst, "&lt;"...)
	case '>':
		return append(dst, "&gt;"...)
	case '"':
		return append(dst, "&quot;"...)
	case '\r':
		return append(dst, "&#xD;"...) // a bare CR would be read back as LF
	case '\n', '\t':
		return append(dst, c)
	case '_':
		if isOOXMLEscape(rest) {
			return append(dst, "_x005F_"...)
		}
		return append(dst, c)
	}
	return append(dst, c)
}

package registry

import (
	"errors"
	"strings"
)

// The unified social credit code (统一社会信用代码, GB 32100-2015) of a
// legal person or other organisation: 18 characters from creditAlphabet —
//
//	1     registration authority (9 market regulation, 5 civil affairs, N agriculture …)
//	2     kind within it (93: 农民专业合作社 at market regulation)
//	3–8   the registering authority's administrative division (GB/T 2260)
//	9–17  the organisation code (GB 11714)
//	18    check character over the first 17
//
// Only the 18th character is checked here: it catches the typos of hand
// entry (one wrong or two swapped characters), which is what a file from
// a county office gets wrong. The division is not required to be in
// Liaoning (a company registered elsewhere may work here), and the
// organisation code's own GB 11714 check is not re-checked.

// creditAlphabet is GB 32100's character set, in value order: the digits
// and the capital letters without I, O, S, V and Z.
const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditWeights are 3^i mod 31 for positions 1..17.
var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

var errCreditCode = errors.New("must be an 18-character unified social credit code (统一社会信用代码) with a valid check character")

// CreditCheckChar is the check character for the first 17 characters of a
// credit code: 31 − (Σ value×weight mod 31), where 31 is written as 0.
func CreditCheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, errCreditCode
	}
	sum := 0
	for i := range 17 {
		v := strings.IndexByte(creditAlphabet, first17[i])
		if v < 0 {
			return 0, errCreditCode
		}
		sum += v * creditWeights[i]
	}
	return creditAlphabet[(31-sum%31)%31], nil
}

// NormaliseCreditCode upper-cases a code and drops the spaces people type
// into it, then checks it; "" stays "" (no code).
func NormaliseCreditCode(s string) (string, error) {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if s == "" {
		return "", nil
	}
	if len(s) != 18 {
		return "", errCreditCode
	}
	want, err := CreditCheckChar(s[:17])
	if err != nil || s[17] != want {
		return "", errCreditCode
	}
	return s, nil
}

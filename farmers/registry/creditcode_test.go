package registry

import (
	"strings"
	"testing"
)

func TestCreditCode(t *testing.T) {
	// A check character computed here, for a made-up co-op in 东港市.
	const first17 = "93210681MA0QC7K5X"
	check, err := CreditCheckChar(first17)
	if err != nil {
		t.Fatal(err)
	}
	computed := first17 + string(check)
	for in, want := range map[string]string{
		"91350100M000100Y43":     "91350100M000100Y43", // the worked example of GB 32100-2015
		"91440300708461136T":     "91440300708461136T", // a real company's, as printed on its licence
		"91110000802100433B":     "91110000802100433B",
		" 9135 0100 m000100y43 ": "91350100M000100Y43", // spaces and lower case as typed
		computed:                 computed,
		"":                       "",
	} {
		got, err := NormaliseCreditCode(in)
		if err != nil || got != want {
			t.Errorf("NormaliseCreditCode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	wrongCheck := first17 + string(creditAlphabet[(strings.IndexByte(creditAlphabet, check)+1)%31])
	for _, in := range []string{
		wrongCheck,
		"91350100M000100Y44",  // check character off by one
		"91350100M000010Y43",  // two characters swapped
		"911100007109339208",  // a mistyped code
		"91350100M000100Y4",   // 17 characters
		"91350100M000100Y433", // 19
		"91350100I000100Y43",  // I is not in the alphabet
		"统一社会信用代码无",
	} {
		if got, err := NormaliseCreditCode(in); err == nil {
			t.Errorf("NormaliseCreditCode(%q) = %q, want an error", in, got)
		}
	}
}

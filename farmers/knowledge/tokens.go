package knowledge

import (
	"strings"
	"unicode"
)

// Chinese has no spaces between words, and a word segmenter would need a
// dictionary of agricultural terms we do not have. Overlapping character
// bigrams find every word of two or more characters without one: 稻瘟病
// is indexed as 稻瘟 and 瘟病, and a query for 稻瘟病 requires both, which
// a text about 稻瘟病 has and one about 玉米螟 does not. Stored text also
// gets each Han character alone, so a one-character query (病) finds
// something; a query uses bigrams whenever it has two characters in a row,
// which keeps multi-character queries precise. Latin letters and digits
// form lowercase words (pH值 → "ph", 值). Full-width forms are folded to
// half-width first; traditional/simplified folding is out of scope.

// maxTokens bounds a document's index entries (a very long answer is
// still indexed, only less of it).
const maxTokens = 4000

// indexTokens are the terms stored for a text: bigrams and unigrams of Han
// runs, lowercase Latin/digit words, each once.
func indexTokens(texts ...string) []string {
	seen := map[string]bool{}
	out := []string{}
	add := func(t string) {
		if !seen[t] && len(out) < maxTokens {
			seen[t] = true
			out = append(out, t)
		}
	}
	for _, text := range texts {
		for _, run := range runs(text) {
			if !run.han {
				add(run.text)
				continue
			}
			rs := []rune(run.text)
			for i := range rs {
				if i+1 < len(rs) {
					add(string(rs[i : i+2]))
				}
				add(string(rs[i]))
			}
		}
	}
	return out
}

// queryTokens are the terms a query requires: bigrams of Han runs (a lone
// Han character as itself), lowercase Latin/digit words, each once.
func queryTokens(q string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(t string) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	for _, run := range runs(q) {
		rs := []rune(run.text)
		if !run.han || len(rs) == 1 {
			add(run.text)
			continue
		}
		for i := 0; i+1 < len(rs); i++ {
			add(string(rs[i : i+2]))
		}
	}
	return out
}

// run is a maximal stretch of Han characters, or of Latin letters and
// digits (lowercased).
type run struct {
	text string
	han  bool
}

func runs(s string) []run {
	var out []run
	var cur strings.Builder
	curHan := false
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, run{cur.String(), curHan})
			cur.Reset()
		}
	}
	for _, r := range s {
		r = halfWidth(r)
		han := unicode.Is(unicode.Han, r)
		word := han || unicode.IsLetter(r) || unicode.IsDigit(r)
		if !word || han != curHan {
			flush()
		}
		if word {
			curHan = han
			cur.WriteRune(unicode.ToLower(r))
		}
	}
	flush()
	return out
}

// halfWidth folds full-width ASCII (Ａ１％) and the ideographic space to
// their ASCII forms, so ＰＨ值 and pH值 index alike.
func halfWidth(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case r == 0x3000:
		return ' '
	}
	return r
}

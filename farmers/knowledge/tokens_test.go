package knowledge

import (
	"slices"
	"testing"
)

func TestQueryTokens(t *testing.T) {
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"草莓白粉病", []string{"草莓", "莓白", "白粉", "粉病"}},
		{"白粉", []string{"白粉"}},
		{"病", []string{"病"}},
		{"水稻 稻瘟病", []string{"水稻", "稻瘟", "瘟病"}},
		{"ＰＨ值 7.5", []string{"ph", "值", "7", "5"}},
		{"Corn  BORER", []string{"corn", "borer"}},
		{`{"$ne":null}`, []string{"ne", "null"}},
		{".*", nil},
		{"草莓，白粉病？", []string{"草莓", "白粉", "粉病"}},
	} {
		if got := queryTokens(tc.q); !slices.Equal(got, tc.want) {
			t.Errorf("queryTokens(%q) = %q, want %q", tc.q, got, tc.want)
		}
	}
}

func TestIndexTokens(t *testing.T) {
	got := indexTokens("稻瘟病", "pH值")
	want := []string{"稻瘟", "稻", "瘟病", "瘟", "病", "ph", "值"}
	if !slices.Equal(got, want) {
		t.Errorf("indexTokens = %q, want %q", got, want)
	}
	// Every query token of a text is among its index tokens: a text always
	// finds itself.
	for _, text := range []string{"草莓白粉病怎么防治", "玉米螟 ＢＴ乳剂", "病"} {
		idx := indexTokens(text)
		for _, q := range queryTokens(text) {
			if !slices.Contains(idx, q) {
				t.Errorf("%q: query token %q not indexed", text, q)
			}
		}
	}
}

package contest

import (
	"bytes"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/liaoning12316/agrimaker/internal/httpx"
)

// FuzzAttachment: an upload's bytes are typed by their magic alone —
// PDF, JPEG, PNG or WebP, else 415 — and an image over its cap is 413
// while a PDF is not (its cap is the body limit); an upload's ?name= is
// refused with a 422 or stored as a file name (checkUploadName).
func FuzzAttachment(f *testing.F) {
	for _, s := range []struct {
		data []byte
		name string
	}{
		{[]byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), "丹东草莓合作社商业计划书.pdf"},
		{[]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), "大棚照片 1.jpg"},
		{[]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), " logo.png "},
		{[]byte("RIFF\x24\x00\x00\x00WEBPVP8 "), "田间.webp"},
		{[]byte("RIFF\x24\x00\x00\x00WAVEfmt "), "录音.wav"},
		{[]byte("GIF89a\x01\x00"), "a/b.gif"},
		{[]byte("  %PDF-1.4"), `..\plan.pdf`},
		{[]byte("<html><body>%PDF-</body></html>"), "x\x00.pdf"},
		{[]byte("PK\x03\x04"), "plan.docx"},
		{nil, ""},
		{[]byte("%PDF"), "计划书;filename=\"x.pdf\"\r\n"},
		{[]byte("\xff\xd8\xff\xdb"), strings.Repeat("长", 67)}, {[]byte("RIFF\x00\x00\x00\x00WEBPVP8L"), "a%2Fb.webp"},
		{[]byte("\x89PNG\r\n\x1a"), "..."}, {[]byte("\xef\xbb\xbf%PDF-1.4"), "plan.pdf\t"}, {[]byte("%PDF-"), "\u3000"},
		{[]byte("<!DOCTYPE HTML>"), "index.html"}, {[]byte("<?xml version"), "a.svg"}, {[]byte("BM\x00\x00"), "图.bmp"},
		{[]byte("\x1f\x8b\x08"), "a.gz"}, {[]byte("\x00\x00\x00\x18ftypmp42"), "视频.mp4"}, {[]byte("ID3\x03"), "歌.mp3"},
		{[]byte("\xfe\xff\x00%"), "utf16.txt"}, {[]byte("\x00\x00\x01\x00"), "favicon.ico"}, {[]byte("wOFF"), "字体.woff"},
	} {
		f.Add(s.data, s.name, uint8(len(s.data)*3)) // some images under the 32-byte cap, some over
	}
	s := &Service{cfg: Config{MaxPDFBytes: 64, MaxImageBytes: 32}}
	f.Fuzz(func(t *testing.T, data []byte, name string, pad uint8) {
		if len(data) > 1024 {
			return // typing reads 512 bytes, the size rule the length alone (which pad varies)
		}
		data = append(data, make([]byte, pad)...) // sizes around the caps
		want := magicType(data)
		ct, err := s.checkFile(data)
		switch code := statusOf(err); {
		case want == "" && code != http.StatusUnsupportedMediaType:
			t.Fatalf("%q typed %q, %v; want 415", data, ct, err)
		case want != "" && want != "application/pdf" && int64(len(data)) > s.cfg.MaxImageBytes:
			if code != http.StatusRequestEntityTooLarge {
				t.Fatalf("%s of %d bytes over the cap: %q, %v", want, len(data), ct, err)
			}
		case want != "" && (err != nil || ct != want):
			t.Fatalf("%q typed %q, %v; want %s", data, ct, err, want)
		}
		checkUploadName(t, name)
	})
}

// magicType is the type an upload's first bytes say it is.
func magicType(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return "application/pdf"
	case bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		return "image/jpeg"
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case len(b) >= 14 && string(b[:4]) == "RIFF" && string(b[8:14]) == "WEBPVP":
		return "image/webp"
	}
	return ""
}

func statusOf(err error) int {
	var e *httpx.Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

// checkUploadName holds uploadName(q) to its promise: a 422, or a name
// that is not blank, trimmed, at most 200 bytes, without slashes or NUL,
// and UTF-8, so that JSON shows it as stored (encoding/json writes other
// bytes as U+FFFD) and the download header carries it (url.PathEscape
// escapes every other byte).
func checkUploadName(t *testing.T, q string) {
	t.Helper()
	name, err := uploadName(q)
	switch {
	case err != nil && statusOf(err) != http.StatusUnprocessableEntity:
		t.Fatalf("name %q: %v, want a 422", q, err)
	case err != nil:
	case name == "" || name != strings.TrimSpace(name) || len(name) > 200 || strings.ContainsAny(name, "/\\\x00"):
		t.Fatalf("name %q stored as %q", q, name)
	case !utf8.ValidString(name):
		t.Fatalf("name %q stored, JSON would show %q", name, strings.ToValidUTF8(name, "\uFFFD"))
	}
}

// FuzzScoreSheet: a judge's sheet as its JSON body arrives is
// refused with exactly one reason per problem (a criterion missing or out
// of range, a key not in the rubric), or else accepted with a total inside
// the rubric's TotalRange.
func FuzzScoreSheet(f *testing.F) {
	for _, body := range []string{
		`{"scores":{"innovation":25,"market":18.5,"team":9}}`, `{"scores":{"innovation":30,"market":20,"team":10}}`,
		`{"scores":{"innovation":0,"market":0,"team":0}}`, `{"scores":{"innovation":31,"market":20,"team":10}}`,
		`{"scores":{"innovation":-0.0001,"market":1,"team":1}}`, `{"scores":{"innovation":1,"market":1}}`,
		`{"scores":{"innovation":1,"market":1,"team":1,"创新":5}}`, `{"scores":{"innovation":1e308,"market":1e308,"team":1e308}}`,
		`{"scores":{}}`, `{"scores":{"innovation":"25"}}`, `{"scores":{"innovation":1,"innovation":2,"market":3,"team":4}}`,
	} {
		f.Add([]byte(body))
	}
	r := Rubric{Criteria: []Criterion{
		{Key: "innovation", Name: "创新性", Weight: 1, Max: 30},
		{Key: "market", Name: "市场前景", Weight: 1.5, Max: 20},
		{Key: "team", Name: "团队", Weight: 0.5, Min: 1, Max: 10},
	}}
	lo, hi := r.TotalRange()
	f.Fuzz(func(t *testing.T, body []byte) {
		var req sheetReq // as the sheet routes decode it
		if httpx.DecodeBytes(body, &req) != nil {
			return // refused before any rubric sees it
		}
		s := req.Scores
		problems := 0 // counted independently of CheckSheet
		for _, c := range r.Criteria {
			if v, ok := s[c.Key]; !ok || v < c.Min || v > c.Max {
				problems++
			}
		}
		for k := range s {
			if _, ok := r.Criterion(k); !ok {
				problems++
			}
		}
		total, err := r.Total(s)
		switch {
		case problems > 0 && err == nil:
			t.Fatalf("%s: accepted with %d problems", body, problems)
		case problems > 0 && strings.Count(err.Error(), "\n")+1 != problems:
			t.Fatalf("%s: %d problems, reported as %q", body, problems, err)
		case problems == 0 && err != nil:
			t.Fatalf("%s: refused: %v", body, err)
		case problems == 0 && (math.IsNaN(total) || total < lo || total > hi):
			t.Fatalf("%s: total %v outside [%v, %v]", body, total, lo, hi)
		}
	})
}

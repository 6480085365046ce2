package web

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/gofiber/fiber/v2"
)

func testApp(t *testing.T) *fiber.App {
	t.Helper()
	app := fiber.New()
	Routes(app)
	app.Use(func(c *fiber.Ctx) error { return c.Status(404).SendString(`{"error":{"code":"not_found"}}`) })
	return app
}

func get(t *testing.T, app *fiber.App, path string, hdr ...string) (int, map[string]string, string) {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var r io.Reader = res.Body
	if res.Header.Get("Content-Encoding") == "gzip" {
		if r, err = gzip.NewReader(res.Body); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := io.ReadAll(r)
	h := map[string]string{}
	for k := range res.Header {
		h[k] = res.Header.Get(k)
	}
	return res.StatusCode, h, string(b)
}

// TestServesFiles: index.html never cached without a check, versioned
// files cached for a year, ETags answered with 304, gzip when asked, the
// right content types, and nothing under /api or /ws.
func TestServesFiles(t *testing.T) {
	app := testApp(t)
	st, h, body := get(t, app, "/")
	if st != 200 || !strings.HasPrefix(h["Content-Type"], "text/html") || h["Cache-Control"] != "no-cache" || h["Etag"] == "" {
		t.Fatalf("GET /: %d %v", st, h)
	}
	if !strings.Contains(body, `<script type="importmap">`) {
		t.Fatal("index.html has no import map")
	}
	m := regexp.MustCompile(`src="/static/js/app\.js\?v=([0-9a-f]{12})"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("index.html does not load a versioned app.js:\n%s", body)
	}
	var imap struct{ Imports map[string]string }
	raw := body[strings.Index(body, `<script type="importmap">`)+len(`<script type="importmap">`):]
	if err := json.Unmarshal([]byte(raw[:strings.Index(raw, "</script>")]), &imap); err != nil {
		t.Fatalf("import map: %v", err)
	}
	if imap.Imports["/static/js/pages/auction.js"] == "" {
		t.Fatalf("import map lacks the auction page: %v", imap.Imports)
	}

	st, h, _ = get(t, app, "/static/js/app.js?v="+m[1])
	if st != 200 || h["Content-Type"] != "text/javascript; charset=utf-8" || !strings.Contains(h["Cache-Control"], "immutable") {
		t.Fatalf("versioned app.js: %d %v", st, h)
	}
	st, h, _ = get(t, app, "/static/js/app.js")
	if st != 200 || h["Cache-Control"] != "no-cache" {
		t.Fatalf("unversioned app.js: %d %v", st, h)
	}
	if st, _, _ = get(t, app, "/static/js/app.js", "If-None-Match", h["Etag"]); st != 304 {
		t.Fatalf("If-None-Match: %d, want 304", st)
	}
	st, h, body = get(t, app, "/static/app.css", "Accept-Encoding", "gzip")
	if st != 200 || h["Content-Encoding"] != "gzip" || !strings.HasPrefix(h["Content-Type"], "text/css") || !strings.Contains(body, ":root") {
		t.Fatalf("gzip css: %d %v", st, h)
	}
	for path, ct := range map[string]string{"/static/regions.json": "application/json", "/static/icon.svg": "image/svg+xml"} {
		if st, h, _ = get(t, app, path); st != 200 || !strings.HasPrefix(h["Content-Type"], ct) {
			t.Fatalf("%s: %d %v", path, st, h)
		}
	}
	for _, p := range []string{"/api/v1/nothing", "/ws/nothing", "/static/nothing.js", "/static/index.html", "/index.html", "/static/../web.go"} {
		if st, _, body = get(t, app, p); st != 404 || !strings.Contains(body, "not_found") {
			t.Fatalf("%s: %d %s, want the app's JSON 404", p, st, body)
		}
	}
}

// staticFiles returns the JS and HTML sources.
func staticFiles(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir("static", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".js") || strings.HasSuffix(p, ".html")) {
			return err
		}
		b, err := os.ReadFile(p)
		out[filepath.ToSlash(p)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// i18nTable reads the JSON between BEGIN TABLE and END TABLE in i18n.js.
func i18nTable(t *testing.T) map[string]map[string]string {
	t.Helper()
	b, err := os.ReadFile("static/js/i18n.js")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i, j := strings.Index(s, "// BEGIN TABLE"), strings.Index(s, "// END TABLE")
	if i < 0 || j < i {
		t.Fatal("i18n.js lacks the BEGIN TABLE / END TABLE lines")
	}
	body := strings.TrimSpace(s[i+len("// BEGIN TABLE") : j])
	body = strings.TrimSuffix(strings.TrimPrefix(body, "const table = "), ";")
	var table map[string]map[string]string
	if err := json.Unmarshal([]byte(body), &table); err != nil {
		t.Fatalf("the table in i18n.js is not strict JSON: %v", err)
	}
	return table
}

var (
	placeholder = regexp.MustCompile(`\{\w+\}`)
	quotedKey   = regexp.MustCompile(`'([a-z]+\.[A-Za-z0-9_.:]+)'`)
	dynamicKey  = regexp.MustCompile(`t\('([a-z]+\.[A-Za-z0-9_.]*\.)' \+`)
	htmlKey     = regexp.MustCompile(`data-i18n(?:-label)?="([^"]+)"`)
	importPath  = regexp.MustCompile(`(?:from|import\()\s*'(\.[^']+)'`)
)

// TestTranslations: every entry has both languages with the same
// placeholders; every key the pages name exists; and no Chinese text is
// written into a page instead of the table.
func TestTranslations(t *testing.T) {
	table := i18nTable(t)
	namespaces := map[string]bool{}
	for k, row := range table {
		namespaces[strings.SplitN(k, ".", 2)[0]] = true
		zh, en := row["zh-CN"], row["en"]
		if zh == "" || en == "" || len(row) != 2 {
			t.Errorf("%s: want exactly zh-CN and en, got %v", k, row)
			continue
		}
		a, b := placeholder.FindAllString(zh, -1), placeholder.FindAllString(en, -1)
		if strings.Join(sortedCopy(a), ",") != strings.Join(sortedCopy(b), ",") {
			t.Errorf("%s: placeholders differ: %v vs %v", k, a, b)
		}
	}
	used := 0
	for name, src := range staticFiles(t) {
		for _, m := range quotedKey.FindAllStringSubmatch(src, -1) {
			k := m[1]
			if !namespaces[strings.SplitN(k, ".", 2)[0]] || strings.HasSuffix(k, ".") || strings.HasSuffix(k, ".js") {
				continue // not a translation key (a storage key, a file)
			}
			used++
			if _, ok := table[k]; !ok {
				t.Errorf("%s uses key %q, which is not in the table", name, k)
			}
		}
		for _, m := range dynamicKey.FindAllStringSubmatch(src, -1) {
			found := false
			for k := range table {
				if strings.HasPrefix(k, m[1]) {
					found = true
					break
				}
			}
			if !found {
				t.Errorf("%s builds keys %q…, but the table has none", name, m[1])
			}
		}
		for _, m := range htmlKey.FindAllStringSubmatch(src, -1) {
			if _, ok := table[m[1]]; !ok {
				t.Errorf("%s: data-i18n key %q is not in the table", name, m[1])
			}
		}
		if name == "static/js/i18n.js" {
			continue
		}
		for n, line := range strings.Split(src, "\n") {
			if strings.HasSuffix(name, ".html") && strings.Contains(line, "data-i18n") {
				continue // the shell's fallback text, replaced from the table at start
			}
			code := line
			if i := strings.Index(code, "//"); i >= 0 && !strings.Contains(code[:i], "'") {
				code = code[:i] // a comment
			}
			if strings.IndexFunc(code, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0 &&
				!strings.Contains(code, "/*") && !strings.HasPrefix(strings.TrimSpace(code), "*") {
				t.Errorf("%s:%d: Chinese text outside the translation table: %s", name, n+1, strings.TrimSpace(line))
			}
		}
	}
	if used < 200 {
		t.Fatalf("found only %d key uses: is the scan broken?", used)
	}
}

// TestModulesResolve: every relative import names a file that exists, and
// every page the router names exports the function it calls.
func TestModulesResolve(t *testing.T) {
	files := staticFiles(t)
	for name, src := range files {
		for _, m := range importPath.FindAllStringSubmatch(src, -1) {
			target := filepath.ToSlash(filepath.Join(filepath.Dir(name), m[1]))
			if _, ok := files[target]; !ok {
				if _, err := os.Stat(target); err != nil {
					t.Errorf("%s imports %s: no such file", name, m[1])
				}
			}
		}
	}
	route := regexp.MustCompile(`\[/\^.*?/, '(\w+)'(?:, '(\w+)')?\]`)
	app := files["static/js/app.js"]
	n := 0
	for _, m := range route.FindAllStringSubmatch(app, -1) {
		n++
		page := files["static/js/pages/"+m[1]+".js"]
		if page == "" {
			t.Errorf("route to missing page %s", m[1])
			continue
		}
		fn := m[2]
		want := "export default "
		if fn != "" {
			want = "export async function " + fn + "("
			if !strings.Contains(page, want) {
				want = "export function " + fn + "("
			}
		}
		if !strings.Contains(page, want) {
			t.Errorf("pages/%s.js does not export %q", m[1], fn)
		}
	}
	if n < 20 {
		t.Fatalf("found %d routes in app.js: is the scan broken?", n)
	}
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	for i := range c {
		for j := i + 1; j < len(c); j++ {
			if c[j] < c[i] {
				c[i], c[j] = c[j], c[i]
			}
		}
	}
	return c
}

// Package web is the mobile web front end (手机网页): static files embedded
// in the binary, plain ES modules with no build step, hash-routed
// (#/auctions/ID) so the server only ever serves files.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"mime"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
)

//go:embed static
var files embed.FS

// asset is one file ready to serve.
type asset struct {
	body  []byte
	ctype string
	etag  string // strong ETag, the content's hash
	hash  string // first 12 hex digits of it: the ?v= cache-buster
}

// site holds every file of static/ and the rewritten index.html.
type site struct {
	assets map[string]*asset // by path under static/, e.g. "js/app.js"
	index  *asset
}

var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".json":        "application/json; charset=utf-8",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".ico":         "image/x-icon",
	".webmanifest": "application/manifest+json",
}

func newAsset(b []byte, name string) *asset {
	sum := sha256.Sum256(b)
	h := hex.EncodeToString(sum[:])
	ct, ok := contentTypes[path.Ext(name)]
	if !ok {
		ct = mime.TypeByExtension(path.Ext(name))
	}
	if ct == "" {
		ct = "application/octet-stream"
	}
	return &asset{body: b, ctype: ct, etag: `"` + h[:32] + `"`, hash: h[:12]}
}

// staticRef finds src="/static/…" and href="/static/…" in index.html.
var staticRef = regexp.MustCompile(`(src|href)="/static/([^"?]+)"`)

// load reads static/ and builds index.html: every /static/ reference in it
// gets ?v=<content hash>, and an import map gives every ES module the same,
// so that versioned URLs can be cached for a year while a new binary's files
// are fetched at once (index.html itself is never cached without a check).
func load() (*site, error) {
	s := &site{assets: map[string]*asset{}}
	err := fs.WalkDir(files, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		s.assets[strings.TrimPrefix(p, "static/")] = newAsset(b, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	raw := s.assets["index.html"]
	if raw == nil {
		return nil, fs.ErrNotExist
	}
	imports := map[string]string{}
	var names []string
	for name := range s.assets {
		if strings.HasSuffix(name, ".js") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		imports["/static/"+name] = "/static/" + name + "?v=" + s.assets[name].hash
	}
	m, err := json.Marshal(map[string]any{"imports": imports})
	if err != nil {
		return nil, err
	}
	html := staticRef.ReplaceAllFunc(raw.body, func(ref []byte) []byte {
		sub := staticRef.FindSubmatch(ref)
		a := s.assets[string(sub[2])]
		if a == nil {
			return ref
		}
		return []byte(string(sub[1]) + `="/static/` + string(sub[2]) + `?v=` + a.hash + `"`)
	})
	html = bytes.Replace(html, []byte("<!--importmap-->"),
		[]byte(`<script type="importmap">`+string(m)+`</script>`), 1)
	s.index = newAsset(html, "index.html")
	return s, nil
}

// Routes serves the front end: / (index.html) and /static/*. It answers
// nothing under /api or /ws, which keep their JSON 404s.
func Routes(app *fiber.App) {
	s, err := load()
	if err != nil {
		panic("web: embedded files: " + err.Error()) // a broken binary; tests catch it
	}
	gz := compress.New(compress.Config{Level: compress.LevelBestSpeed})
	app.Get("/", gz, func(c *fiber.Ctx) error {
		// Always revalidated: it names the current versions of everything else.
		return s.send(c, s.index, "no-cache")
	})
	app.Get("/static/*", gz, func(c *fiber.Ctx) error {
		name := c.Params("*")
		a := s.assets[name]
		if a == nil || name == "index.html" {
			return c.Next() // the app's own JSON 404
		}
		cache := "no-cache"
		if v := c.Query("v"); v != "" && v == a.hash {
			cache = "public, max-age=31536000, immutable"
		}
		return s.send(c, a, cache)
	})
}

func (s *site) send(c *fiber.Ctx, a *asset, cache string) error {
	c.Set(fiber.HeaderCacheControl, cache)
	c.Set(fiber.HeaderETag, a.etag)
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set(fiber.HeaderContentType, a.ctype)
	if match := c.Get(fiber.HeaderIfNoneMatch); match != "" && strings.Contains(match, a.etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	return c.Send(a.body)
}

package web_test

// Browser tests: the real server (internal/testserver) and headless Debian
// Chromium driven by chromedp. They act as people do — sign up, fill forms,
// tap buttons, lose the network — and read what the page then shows, so a
// broken page fails them. Screenshots of the main pages at phone size go to
// web/testoutput/ (or $AGRI_SCREENSHOTS).

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/liaoning12316/agrimaker/internal/testserver"
)

const chromium = "/usr/bin/chromium"

// needChromium skips without Chromium, except in CI (CI=…), which must run
// these tests: there a missing browser fails.
func needChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing; .ci/run installs Debian's chromium package", chromium)
		}
		t.Skipf("%s is missing: apt-get install chromium fonts-noto-cjk to run the browser tests", chromium)
	}
}

// browser is one Chromium process for a test.
type browser struct {
	t     *testing.T
	first context.Context // the first tab; others open new browser contexts from it
	used  bool
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	needChromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start chromium: %v", err)
	}
	return &browser{t: t, first: ctx}
}

// tab is one person: a tab in a browser context of its own (own storage).
type tab struct {
	t    *testing.T
	name string
	ctx  context.Context
	base string
	mu   sync.Mutex
	errs []string // uncaught exceptions in the page
}

// tab opens a person's tab; phone sets a 360×740 viewport at scale 2.
func (b *browser) tab(name, base string, phone bool) *tab {
	b.t.Helper()
	ctx := b.first
	if b.used {
		var cancel context.CancelFunc
		ctx, cancel = chromedp.NewContext(b.first, chromedp.WithNewBrowserContext())
		b.t.Cleanup(cancel)
	}
	b.used = true
	tb := &tab{t: b.t, name: name, ctx: ctx, base: base}
	if err := chromedp.Do(ctx); err != nil {
		b.t.Fatalf("%s: open tab: %v", name, err)
	}
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok {
			msg := e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
			tb.mu.Lock()
			tb.errs = append(tb.errs, msg)
			tb.mu.Unlock()
		}
	}); err != nil {
		b.t.Fatal(err)
	}
	if phone {
		tb.do(chromedp.EmulateViewport(360, 740, chromedp.EmulateScale(2), chromedp.EmulateMobile))
	} else {
		tb.do(chromedp.EmulateViewport(1280, 900))
	}
	b.t.Cleanup(tb.checkErrors)
	return tb
}

func (tb *tab) checkErrors() {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, e := range tb.errs {
		tb.t.Errorf("%s: uncaught exception in the page: %s", tb.name, e)
	}
	tb.errs = nil
}

func (tb *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.t.Fatalf("%s: %v", tb.name, err)
	}
}

// js evaluates an expression and decodes its value into T.
func js[T any](tb *tab, expr string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.t.Fatalf("%s: %s: %v", tb.name, expr, err)
	}
	return v
}

// open navigates to a hash route and waits for the page to render.
func (tb *tab) open(hash string) {
	tb.t.Helper()
	cur := js[string](tb, `location.href`)
	if strings.HasPrefix(cur, tb.base) {
		js[chromedp.Void](tb, fmt.Sprintf(`location.hash = %q`, hash))
	} else {
		tb.do(chromedp.Navigate(tb.base + "/" + hash))
	}
	tb.wait("the page "+hash, `!document.querySelector('#view .loading')`, 15*time.Second)
}

// wait polls a JS condition until it is true; on timeout it fails with the
// page's text, which says what the page showed instead.
func (tb *tab) wait(what, cond string, d time.Duration) {
	tb.t.Helper()
	deadline := time.Now().Add(d)
	for {
		ok, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`!!(`+cond+`)`))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			text := js[string](tb, `document.body.innerText.slice(0, 1500)`)
			tb.checkErrors()
			tb.t.Fatalf("%s: timed out after %v waiting for %s (%s); the page shows:\n%s", tb.name, d, what, cond, text)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitText waits until the element's text contains want.
func (tb *tab) waitText(sel, want string, d time.Duration) {
	tb.t.Helper()
	tb.wait(fmt.Sprintf("%s to show %q", sel, want),
		fmt.Sprintf(`(document.querySelector(%q)?.innerText || '').includes(%q)`, sel, want), d)
}

func (tb *tab) text(sel string) string {
	tb.t.Helper()
	return js[string](tb, fmt.Sprintf(`document.querySelector(%q)?.innerText ?? '<missing>'`, sel))
}

// fill sets a field's value as typing would (input and change events).
func (tb *tab) fill(sel, value string) {
	tb.t.Helper()
	ok := js[bool](tb, fmt.Sprintf(`(() => { const el = document.querySelector(%q); if (!el) return false;
		el.focus(); el.value = %q; el.dispatchEvent(new Event('input', {bubbles: true})); el.dispatchEvent(new Event('change', {bubbles: true})); return true; })()`, sel, value))
	if !ok {
		tb.t.Fatalf("%s: no field %s", tb.name, sel)
	}
}

// tap clicks an element (a real mouse event at its centre).
func (tb *tab) tap(sel string) {
	tb.t.Helper()
	tb.wait(sel+" to be enabled", fmt.Sprintf(`(() => { const el = document.querySelector(%q); return el && !el.disabled; })()`, sel), 10*time.Second)
	// As a thumb would: bring it to the middle of the screen, clear of the bars.
	js[chromedp.Void](tb, fmt.Sprintf(`document.querySelector(%q).scrollIntoView({block: 'center'})`, sel))
	tb.do(chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// shot saves a full-page PNG under the screenshot folder.
func (tb *tab) shot(name string) {
	tb.t.Helper()
	dir := os.Getenv("AGRI_SCREENSHOTS")
	if dir == "" {
		dir = "testoutput"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.t.Fatal(err)
	}
	// Every screenshot is also a check that nothing leaked into the text.
	if bad := js[string](tb, `(document.body.innerText.match(/\[object \w+\]|\bundefined\b|\bnull\b|NaN|\{\w+\}/) || [''])[0]`); bad != "" {
		tb.t.Errorf("%s: page %s shows %q: a value was printed as text", tb.name, name, bad)
	}
	js[chromedp.Void](tb, `window.scrollTo(0, 0)`)
	png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Fatalf("%s: screenshot %s: %v", tb.name, name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

// signIn puts a session made through the API into the tab's storage.
func (tb *tab) signIn(u testserver.User, name string, roles ...string) {
	tb.t.Helper()
	s, _ := json.Marshal(map[string]any{"token": u.Token, "user": map[string]any{"id": u.ID, "phone": u.Phone, "name": name, "roles": roles}})
	if !strings.HasPrefix(js[string](tb, `location.href`), tb.base) {
		tb.do(chromedp.Navigate(tb.base + "/"))
	}
	js[chromedp.Void](tb, fmt.Sprintf(`localStorage.setItem('agri.session', %q)`, string(s)))
}

// setOffline cuts the tab's network (and tells the page: navigator.onLine),
// or restores it.
func (tb *tab) setOffline(off bool) {
	tb.t.Helper()
	conds := []*network.Conditions{}
	if off {
		conds = append(conds, &network.Conditions{Offline: true, DownloadThroughput: -1, UploadThroughput: -1})
	}
	if _, err := chromedp.Call(tb.ctx, network.Enable, network.EnableParams{}); err != nil {
		tb.t.Fatal(err)
	}
	if _, err := chromedp.Call(tb.ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: conds}); err != nil {
		tb.t.Fatalf("%s: network conditions: %v", tb.name, err)
	}
	if _, err := chromedp.Call(tb.ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		tb.t.Fatalf("%s: network state: %v", tb.name, err)
	}
}

var shanghai = time.FixedZone("CST", 8*3600)

// tinyPNG is a valid 1×1 PNG for the photo upload.
var tinyPNG = []byte{0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53, 0xde, 0x00, 0x00, 0x00,
	0x0c, 0x49, 0x44, 0x41, 0x54, 0x08, 0xd7, 0x63, 0xf8, 0xcf, 0xc0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00, 0x18, 0xdd, 0x8d,
	0xb0, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82}

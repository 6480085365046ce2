package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/liaoning12316/agrimaker/contest"
	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/farmers/access"
	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/farmers/knowledge"
	"github.com/liaoning12316/agrimaker/farmers/prices"
	"github.com/liaoning12316/agrimaker/farmers/registry"
	"github.com/liaoning12316/agrimaker/farmers/supply"
	"github.com/liaoning12316/agrimaker/market"
)

// routeApp builds the Fiber app exactly as New does (newApp), but over
// zero-valued domain services: registering routes touches no database, so
// this test needs none. If newApp ever needs live services to register its
// routes, build the server with New and a t.TempDir() instead.
func routeApp(t *testing.T) *Server {
	t.Helper()
	s := &Server{
		cfg:      Config{RateLimit: 0},
		log:      NewLogger(io.Discard, "error"),
		Accounts: &farmers.Service{},
		Access:   &access.Service{},
		Market:   &market.Service{},
		Contest:  &contest.Service{},
		Datasets: &datasets.Service{},
		Registry: &registry.Service{},
	}
	s.Knowledge, s.Prices, s.Supply = &knowledge.Service{}, &prices.Service{}, &supply.Service{}
	s.App = s.newApp()
	return s
}

// openapiPath turns a Fiber path ("/auctions/:id") into an OpenAPI one
// ("/auctions/{id}").
var fiberParam = regexp.MustCompile(`:([A-Za-z0-9_]+)\??`)

func openapiPath(p string) string { return fiberParam.ReplaceAllString(p, "{$1}") }

// documented reports whether the contract covers a route path.
func documented(p string) bool {
	return strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/ws/") || p == "/healthz" || p == "/readyz"
}

type rawDoc struct {
	OpenAPI string                                `json:"openapi"`
	Paths   map[string]map[string]json.RawMessage `json:"paths"`
}

func loadRawDoc(t *testing.T) rawDoc {
	t.Helper()
	var d rawDoc
	if err := json.Unmarshal(openapiDoc, &d); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	return d
}

var httpMethods = map[string]bool{"get": true, "put": true, "post": true, "delete": true, "options": true, "head": true, "patch": true, "trace": true}

// TestOpenAPICoversRoutes checks both ways that openapi.json and the routes
// the app registers agree, method by method.
func TestOpenAPICoversRoutes(t *testing.T) {
	s := routeApp(t)
	d := loadRawDoc(t)

	routes := map[string]bool{} // "GET /api/v1/auctions/{id}"
	for _, r := range s.App.GetRoutes(true) {
		if !documented(r.Path) {
			continue
		}
		routes[r.Method+" "+openapiPath(r.Path)] = true
	}
	if len(routes) == 0 {
		t.Fatal("the app registers no /api routes: is newApp wired?")
	}
	// Fiber's Get also registers HEAD; HEAD is documented through GET.
	for k := range routes {
		if p, ok := strings.CutPrefix(k, "HEAD "); ok && routes["GET "+p] {
			delete(routes, k)
		}
	}

	docOps := map[string]bool{}
	for p, item := range d.Paths {
		for m := range item {
			if httpMethods[m] {
				docOps[strings.ToUpper(m)+" "+p] = true
			}
		}
	}

	var missing, extra []string
	for k := range routes {
		if !docOps[k] {
			missing = append(missing, k)
		}
	}
	for k := range docOps {
		if !routes[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("routes not documented in server/openapi.json:\n  %s", strings.Join(missing, "\n  "))
	}
	if len(extra) > 0 {
		t.Errorf("server/openapi.json documents operations the app does not register:\n  %s", strings.Join(extra, "\n  "))
	}
	t.Logf("%d operations registered", len(routes))
}

// TestOpenAPIValid parses and validates the document with kin-openapi.
func TestOpenAPIValid(t *testing.T) {
	if d := loadRawDoc(t); d.OpenAPI != "3.0.3" {
		t.Fatalf(`openapi = %q, want "3.0.3"`, d.OpenAPI)
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromData(openapiDoc)
	if err != nil {
		t.Fatalf("load openapi.json: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.json is not a valid OpenAPI 3 document: %v", err)
	}
	for p, item := range doc.Paths.Map() {
		for m, op := range item.Operations() {
			if op.OperationID == "" {
				t.Errorf("%s %s has no operationId", m, p)
			}
			if op.Responses == nil || op.Responses.Len() == 0 {
				t.Errorf("%s %s has no responses", m, p)
			}
		}
	}
}

// TestOpenAPISchemasMatchTypes keeps the main response schemas honest: each
// documents exactly the JSON fields its Go type encodes.
func TestOpenAPISchemasMatchTypes(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(openapiDoc)
	if err != nil {
		t.Fatalf("load openapi.json: %v", err)
	}
	for name, typ := range map[string]reflect.Type{
		"Auction":  reflect.TypeFor[market.View](),
		"Bid":      reflect.TypeFor[market.Bid](),
		"Result":   reflect.TypeFor[market.Result](),
		"Order":    reflect.TypeFor[market.Order](),
		"Quantity": reflect.TypeFor[market.Quantity](),
		"Lot":      reflect.TypeFor[market.Lot](),
		"Terms":    reflect.TypeFor[market.Terms](),
		"Band":     reflect.TypeFor[market.Band](),
		"User":     reflect.TypeFor[farmers.User](),
		"Contact":  reflect.TypeFor[farmers.Contact](),

		// contest
		"ContestEdition":        reflect.TypeFor[contest.Edition](),
		"ContestRound":          reflect.TypeFor[contest.Round](),
		"ContestEntry":          reflect.TypeFor[contest.EntryView](),
		"ContestMember":         reflect.TypeFor[contest.Member](),
		"ContestAttachment":     reflect.TypeFor[contest.Attachment](),
		"ContestJudge":          reflect.TypeFor[contest.PoolJudge](),
		"ContestAssignmentView": reflect.TypeFor[contest.AssignmentView](),
		"ContestSheet":          reflect.TypeFor[contest.SheetView](),
		"ContestRankedEntry":    reflect.TypeFor[contest.RankedEntry](),
		"ContestRoundResults":   reflect.TypeFor[contest.RoundResults](),
		"ContestPublicResults":  reflect.TypeFor[contest.PublicResults](),
		"ContestPublishedEntry": reflect.TypeFor[contest.PublishedEntry](),
		"ContestTeamResult":     reflect.TypeFor[contest.TeamResult](),
		"ContestAuditEvent":     reflect.TypeFor[contest.AuditEvent](),
		"ContestVote":           reflect.TypeFor[contest.VoteView](),
		"ContestPair":           reflect.TypeFor[contest.PairView](),

		// open access
		"Application":    reflect.TypeFor[access.Application](),
		"Organisation":   reflect.TypeFor[access.Org](),
		"Member":         reflect.TypeFor[access.Member](),
		"ApiKey":         reflect.TypeFor[access.Key](),
		"Usage":          reflect.TypeFor[access.Usage](),
		"UsageItem":      reflect.TypeFor[access.UsageItem](),
		"Caller":         reflect.TypeFor[access.CallerView](),
		"ApproveRequest": reflect.TypeFor[access.Grant](),
	} {
		ref := doc.Components.Schemas[name]
		if ref == nil || ref.Value == nil {
			t.Errorf("components.schemas.%s is missing", name)
			continue
		}
		var documented []string
		for f := range ref.Value.Properties {
			documented = append(documented, f)
		}
		got, want := sorted(documented), sorted(jsonFields(typ))
		if !slices.Equal(got, want) {
			t.Errorf("components.schemas.%s has properties %v; %s encodes %v", name, got, typ, want)
		}
	}
}

// jsonFields lists the JSON names encoding/json gives t's fields.
func jsonFields(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() && !f.Anonymous {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			et := f.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				out = append(out, jsonFields(et)...)
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, name)
	}
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// TestOpenAPIServed checks GET /api/openapi.json serves the embedded document.
func TestOpenAPIServed(t *testing.T) {
	s := routeApp(t)
	resp, err := s.App.Test(httptest.NewRequest("GET", "/api/openapi.json", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	if string(body) != string(openapiDoc) {
		t.Error("served document differs from the embedded openapi.json")
	}
}

package server

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/liaoning12316/agrimaker/contest"
	"github.com/liaoning12316/agrimaker/farmers/access"
	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/farmers/knowledge"
	"github.com/liaoning12316/agrimaker/farmers/prices"
	"github.com/liaoning12316/agrimaker/farmers/registry"
	"github.com/liaoning12316/agrimaker/farmers/supply"
)

// openapi.json holds the document's frame and the routes of accounts and
// the market. Other domains own their part of the document as a fragment
// beside their code ({"tags","paths","components"}), merged here once at
// start so that each route is described next to where it is served.
//
//go:embed openapi.json
var baseDoc []byte

// openapiFragments are the domains' fragments, in tag order.
var openapiFragments = []namedFragment{
	{"datasets", datasets.OpenAPI},
	{"access", access.OpenAPI},
	{"contest", contest.OpenAPI},
	{"registry", registry.OpenAPI},
	{"knowledge", knowledge.OpenAPI},
	{"prices", prices.OpenAPI},
	{"supply", supply.OpenAPI},
}

type namedFragment struct {
	name string
	doc  []byte
}

var openapiDoc = mustMergeOpenAPI(baseDoc, openapiFragments)

func (s *Server) handleOpenAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(openapiDoc)
}

// OpenAPI returns the served document (tests validate responses against it).
func OpenAPI() []byte { return openapiDoc }

func mustMergeOpenAPI(base []byte, frags []namedFragment) []byte {
	doc, err := mergeOpenAPI(base, frags)
	if err != nil {
		panic(err) // a broken embedded document is a build defect; tests catch it first
	}
	return doc
}

// mergeOpenAPI adds each fragment's tags, paths and components to base.
// A path or component defined twice is an error, not a silent override.
func mergeOpenAPI(base []byte, frags []namedFragment) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(base, &doc); err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	for _, f := range frags {
		var part map[string]any
		if err := json.Unmarshal(f.doc, &part); err != nil {
			return nil, fmt.Errorf("openapi fragment %s: %w", f.name, err)
		}
		if err := mergeFragment(doc, part); err != nil {
			return nil, fmt.Errorf("openapi fragment %s: %w", f.name, err)
		}
	}
	return json.MarshalIndent(doc, "", "  ")
}

func mergeFragment(doc, part map[string]any) error {
	if tags, ok := part["tags"].([]any); ok {
		existing, _ := doc["tags"].([]any)
		doc["tags"] = append(existing, tags...)
	}
	if err := mergeKeys(doc, "paths", part["paths"]); err != nil {
		return err
	}
	comps, _ := part["components"].(map[string]any)
	target, _ := doc["components"].(map[string]any)
	if target == nil {
		target = map[string]any{}
		doc["components"] = target
	}
	for kind, v := range comps {
		if err := mergeKeys(target, kind, v); err != nil {
			return fmt.Errorf("components: %w", err)
		}
	}
	return nil
}

// mergeKeys copies the entries of src (an object) into dst[key], refusing
// names that are already there.
func mergeKeys(dst map[string]any, key string, src any) error {
	entries, ok := src.(map[string]any)
	if !ok {
		return nil
	}
	into, _ := dst[key].(map[string]any)
	if into == nil {
		into = map[string]any{}
		dst[key] = into
	}
	for name, v := range entries {
		if _, dup := into[name]; dup {
			return fmt.Errorf("%s %q is defined twice", key, name)
		}
		into[name] = v
	}
	return nil
}

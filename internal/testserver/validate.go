package testserver

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/liaoning12316/agrimaker/server"
)

// Every response a test reads through Do or Try is checked against the
// served OpenAPI document: its status must be documented for the route,
// and a JSON body must match the documented schema. So the document
// cannot drift from what the server does without some test failing.

var (
	routerOnce sync.Once
	router     routers.Router
	routerErr  error
)

func openapiRouter() (routers.Router, error) {
	routerOnce.Do(func() {
		doc, err := openapi3.NewLoader().LoadFromData(server.OpenAPI())
		if err != nil {
			routerErr = fmt.Errorf("load openapi: %w", err)
			return
		}
		doc.Servers = nil // match by path alone: tests run on any host and port
		router, routerErr = legacy.NewRouter(doc)
	})
	return router, routerErr
}

// checkResponse validates one response; it returns nil for paths the
// document does not describe (unknown routes are checked by route tests).
func checkResponse(req *http.Request, status int, header http.Header, body []byte) error {
	r, err := openapiRouter()
	if err != nil {
		return err
	}
	route, params, err := r.FindRoute(req)
	if err != nil {
		return nil
	}
	opts := &openapi3filter.Options{IncludeResponseStatus: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}
	if ct := header.Get("Content-Type"); !strings.Contains(ct, "json") || status == http.StatusNotModified {
		opts.ExcludeResponseBody = true // CSV downloads, photos, files: only the status is checked
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts},
		Status:                 status, Header: header, Body: io.NopCloser(bytes.NewReader(body)), Options: opts,
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		return fmt.Errorf("response does not match the OpenAPI document: %s %s → %d: %v\nbody: %.400s", req.Method, req.URL.Path, status, err, body)
	}
	return nil
}

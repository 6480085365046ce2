package contest

import _ "embed"

// OpenAPI is the contest's part of the API document, merged into the
// served one by package server.
//
//go:embed openapi.json
var OpenAPI []byte

package datasets

import _ "embed"

// OpenAPI is this package's part of the served OpenAPI document.
//
//go:embed openapi.json
var OpenAPI []byte

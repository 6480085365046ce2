package supply

import _ "embed"

// OpenAPI is this package's part of the API document: its tag, paths and
// components, merged into the served document by the server.
//
//go:embed openapi.json
var OpenAPI []byte

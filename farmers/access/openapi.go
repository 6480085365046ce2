package access

import _ "embed"

// OpenAPI is this package's fragment of the API document: its tags, paths
// and schemas, merged into the served document by the server.
//
//go:embed openapi.json
var OpenAPI []byte

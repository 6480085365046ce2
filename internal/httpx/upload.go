package httpx

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sync"

	"github.com/gofiber/fiber/v2"
)

// Most routes take JSON bodies of at most 1 MiB, enforced before routing.
// Uploads (imports, attachments) are larger and are streamed by their
// handler with a limit of their own; their routes are registered here so
// that the global limit lets them through unread.
var largeBodies struct {
	sync.RWMutex
	routes []largeBodyRoute
}

type largeBodyRoute struct {
	method string
	path   *regexp.Regexp
}

// AllowLargeBody lets requests of method to paths matching path (anchored)
// past the global body limit. The handler must read the body with CopyBody.
func AllowLargeBody(method, path string) {
	re := regexp.MustCompile("^" + path + "$")
	largeBodies.Lock()
	defer largeBodies.Unlock()
	largeBodies.routes = append(largeBodies.routes, largeBodyRoute{method, re})
}

// LargeBodyAllowed reports whether AllowLargeBody covers the request.
func LargeBodyAllowed(method, path string) bool {
	largeBodies.RLock()
	defer largeBodies.RUnlock()
	for _, r := range largeBodies.routes {
		if r.method == method && r.path.MatchString(path) {
			return true
		}
	}
	return false
}

// CopyBody streams the request body into w, refusing (413 too_large)
// once more than max bytes arrive. What was read of an oversized body is
// drained (up to 64 MiB more) so that the client reads the 413 rather
// than a reset.
func CopyBody(c *fiber.Ctx, w io.Writer, max int64) (int64, error) {
	var src io.Reader
	if stream := c.Context().RequestBodyStream(); stream != nil {
		src = stream
	} else {
		src = bytes.NewReader(c.Body())
	}
	n, err := io.Copy(w, io.LimitReader(src, max+1))
	if err != nil {
		return n, fmt.Errorf("read upload: %w", err)
	}
	if n > max {
		_, _ = io.Copy(io.Discard, io.LimitReader(src, 64<<20))
		c.Set(fiber.HeaderConnection, "close")
		return n, &Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large",
			Message: fmt.Sprintf("the upload is larger than %d MiB", max>>20)}
	}
	return n, nil
}

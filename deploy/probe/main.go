// Command probe is the container health check: the runtime image has no
// shell, curl or wget, so this tiny static program GETs a URL and exits 0
// on a 2xx answer, 1 otherwise. Usage: probe [URL] (default
// http://127.0.0.1:8080/readyz).
package main

import (
	"fmt"
	"net/http"
	"os"
	"time"
)

func main() {
	url := "http://127.0.0.1:8080/readyz"
	if len(os.Args) > 1 {
		url = os.Args[1]
	}
	// /readyz pings the database with a 2 s budget; give it a little more.
	c := &http.Client{Timeout: 4 * time.Second}
	res, err := c.Get(url)
	if err != nil {
		fmt.Fprintln(os.Stderr, "probe:", err)
		os.Exit(1)
	}
	res.Body.Close()
	if res.StatusCode < 200 || res.StatusCode > 299 {
		fmt.Fprintln(os.Stderr, "probe:", url, res.Status)
		os.Exit(1)
	}
}

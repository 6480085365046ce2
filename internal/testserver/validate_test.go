package testserver

import (
	"net/http"
	"testing"
)

// TestCheckResponseCatches: the response check finds the route on any
// host and fails an undocumented status or a body of the wrong shape; a
// path the document does not have is left to the route tests.
func TestCheckResponseCatches(t *testing.T) {
	req, _ := http.NewRequest("GET", "http://127.0.0.1:43210/api/v1/auctions/abc", nil)
	h := http.Header{"Content-Type": []string{"application/json"}}
	if err := checkResponse(req, 418, h, []byte(`{}`)); err == nil {
		t.Error("an undocumented status passed")
	}
	if err := checkResponse(req, 404, h, []byte(`{"nope":1}`)); err == nil {
		t.Error("a 404 without the error shape passed")
	}
	if err := checkResponse(req, 404, h, []byte(`{"error":{"code":"not_found","message":"no auction"}}`)); err != nil {
		t.Errorf("a documented 404: %v", err)
	}
	other, _ := http.NewRequest("GET", "http://127.0.0.1:43210/not/documented", nil)
	if err := checkResponse(other, 200, h, []byte(`{}`)); err != nil {
		t.Errorf("an undocumented path: %v", err)
	}
}

package httpx

import (
	"context"
	"errors"

	"go.mongodb.org/mongo-driver/v2/mongo"
)

// IsUnavailable reports whether err means the database could not be reached
// in time, as opposed to a fault in our code or the request.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, mongo.ErrClientDisconnected) {
		return true
	}
	var se mongo.ServerError
	if errors.As(err, &se) {
		return false
	}
	return mongo.IsNetworkError(err) || mongo.IsTimeout(err) || errors.Is(err, ErrStoreUnavailable)
}

// ErrStoreUnavailable marks an error as a database outage.
var ErrStoreUnavailable = errors.New("store unavailable")

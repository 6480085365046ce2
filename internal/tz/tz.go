// Package tz fixes the platform's time zone: everything is shown in
// Asia/Shanghai, whatever the server's own zone is.
package tz

import (
	"time"
	_ "time/tzdata" // the zone must load on minimal images too
)

// Shanghai is Asia/Shanghai.
var Shanghai = mustLoad("Asia/Shanghai")

func mustLoad(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// In returns t in Asia/Shanghai, truncated to milliseconds as the store keeps it.
func In(t time.Time) time.Time { return t.Truncate(time.Millisecond).In(Shanghai) }

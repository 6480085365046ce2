//go:build !linux

package main

import "errors"

func raiseFileLimit() (uint64, error) {
	return 0, errors.New("raising RLIMIT_NOFILE is only implemented on linux")
}

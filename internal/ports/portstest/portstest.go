// Package portstest gives tests loopback ports from package ports.
package portstest

import (
	"testing"

	"acmeconform/internal/ports"
)

// Loopback returns one port from ports.Free, failing t when there is none.
func Loopback(t testing.TB) int {
	t.Helper()
	p, err := ports.Free(1)
	if err != nil {
		t.Fatal(err)
	}
	return p[0]
}

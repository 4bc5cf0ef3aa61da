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

// Block returns the first of n consecutive free ports from ports.Block,
// below the ephemeral range, for a client that listens on a port and the
// ones above it; it fails t when there is none.
func Block(t testing.TB, n int) int {
	t.Helper()
	p, err := ports.Block(n)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

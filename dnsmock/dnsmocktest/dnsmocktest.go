// Package dnsmocktest starts mock DNS servers for tests of other packages.
package dnsmocktest

import (
	"testing"

	"acmeconform/dnsmock"
)

// Start creates and starts a mock DNS server with cfg and closes it when t
// ends. A failed start or close fails t.
func Start(t testing.TB, cfg dnsmock.Config) *dnsmock.Server {
	t.Helper()
	s, err := dnsmock.New(cfg)
	if err != nil {
		t.Fatalf("mock DNS: %v", err)
	}
	if err := s.Start(); err != nil {
		t.Fatalf("mock DNS: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

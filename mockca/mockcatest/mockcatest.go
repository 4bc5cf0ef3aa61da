// Package mockcatest starts mock CAs for tests of other packages.
package mockcatest

import (
	"testing"

	"acmeconform/mockca"
)

// Start creates and starts a mock CA with cfg and closes it when t
// ends. A failed start or close fails t.
func Start(t testing.TB, cfg mockca.Config) *mockca.Server {
	t.Helper()
	ca, err := mockca.New(cfg)
	if err != nil {
		t.Fatalf("mock CA: %v", err)
	}
	if err := ca.Start(); err != nil {
		t.Fatalf("mock CA: %v", err)
	}
	t.Cleanup(func() {
		if err := ca.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return ca
}

// Profile loads a built-in profile by name, failing t when it cannot.
func Profile(t testing.TB, name string) *mockca.Profile {
	t.Helper()
	p, err := mockca.LoadProfile(name)
	if err != nil {
		t.Fatalf("mock CA profile %s: %v", name, err)
	}
	return p
}

package runner

import (
	"context"
	"fmt"

	"acmeconform/mockca"
	"acmeconform/suites"
)

// caOptions reads the profile (a built-in name or a file) and the
// misbehaviours an embedded mock CA runs with.
func caOptions(cfg Config, profile string) (*mockca.Profile, []mockca.Misbehaviour, error) {
	prof, err := mockca.LoadProfile(profile)
	if err != nil {
		return nil, nil, &ConfigError{Err: fmt.Errorf("--profile: %w", err)}
	}
	mis := make([]mockca.Misbehaviour, len(cfg.Misbehave))
	for i, n := range cfg.Misbehave {
		mis[i] = mockca.Misbehaviour(n)
	}
	return prof, mis, nil
}

// useEAB gives the server suite's target EAB credentials and a way to mint
// more when the embedded mock CA requires a binding (RFC 8555 §7.3.4).
func useEAB(t *suites.Target, ca *mockca.Server) error {
	mint := func(context.Context) (*suites.EAB, error) {
		k, err := ca.NewEABKey("acmeconform server suite")
		if err != nil {
			return nil, fmt.Errorf("mint EAB key: %w", err)
		}
		return &suites.EAB{KID: k.KID, HMACKey: k.HMACKey}, nil
	}
	eab, err := mint(context.Background())
	if err != nil {
		return err
	}
	t.EAB, t.MintEAB = eab, mint
	return nil
}

package runner

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"acmeconform/acme"
	drivers "acmeconform/clients"
	"acmeconform/mockca"
	clientsuite "acmeconform/suites/clients"
)

// MockCAClientControls points a client-suite Env at an embedded mock CA's
// controls: its credential store (fresh and replaced MAC keys), the
// refusals its policy makes, certificate status, renewal information,
// the features its profile and knobs give, and its quirks. The runner and
// the client suite's own tests share it.
func MockCAClientControls(env *clientsuite.Env, ca *mockca.Server) {
	prof := ca.Profile()
	if prof.EABRequired {
		env.MintEAB = func(context.Context) (*drivers.EAB, error) {
			k, err := ca.NewEABKey("acmeconform client suite")
			if err != nil {
				return nil, fmt.Errorf("mint EAB key: %w", err)
			}
			return &drivers.EAB{KID: k.KID, HMACKey: k.HMACKey}, nil
		}
		env.SpoiledEAB = func(context.Context) (*drivers.EAB, clientsuite.Refusal, error) {
			return supersededKey(ca)
		}
	}
	if prof.RejectCSREKU {
		env.EKURefusal = &clientsuite.Refusal{Type: string(acme.ProblemBadCSR), Detail: "extended key usages"}
	}
	env.Revoked = func(_ context.Context, cert *x509.Certificate) (bool, error) {
		st, ok := ca.CertStatus(cert.SerialNumber.Text(16))
		if !ok {
			return false, fmt.Errorf("serial %x unknown to the CA", cert.SerialNumber)
		}
		return st.Status == "Revoked", nil
	}
	env.SetRenewalWindow = func(ctx context.Context, cert *x509.Certificate, start, end time.Time) error {
		return setRenewalWindow(ctx, ca.ManagementURL(), cert, start, end)
	}
	env.ShortProfile = shortProfile(prof)
	env.SetQuirks = func(_ context.Context, names []string) error {
		qs, err := mockca.ParseQuirks(strings.Join(names, ","))
		if err != nil {
			return fmt.Errorf("set quirks: %w", err)
		}
		return ca.SetQuirks(qs)
	}
	env.Features = clientsuite.Features{
		AuthzReuse:     ca.Knobs().AuthzReusePercent == 100,
		ParentDNSReuse: slices.Contains(prof.SubdomainBypass, acme.ChallengeDNS01),
	}
}

// supersededKey issues two MAC keys for one credential and returns the
// first: a credential holds one live MAC key, so the second replaced it.
func supersededKey(ca *mockca.Server) (*drivers.EAB, clientsuite.Refusal, error) {
	cred, err := ca.NewCredential("acmeconform client suite, replaced key")
	if err != nil {
		return nil, clientsuite.Refusal{}, err
	}
	old, err := ca.IssueMACKey(cred.ID, cred.Secret)
	if err != nil {
		return nil, clientsuite.Refusal{}, err
	}
	if _, err := ca.IssueMACKey(cred.ID, cred.Secret); err != nil {
		return nil, clientsuite.Refusal{}, err
	}
	return &drivers.EAB{KID: old.KID, HMACKey: old.HMACKey},
		clientsuite.Refusal{Type: string(acme.ProblemUnauthorized), Detail: old.KID}, nil
}

// shortProfile returns the order profile with the shortest validity below
// the profile's default, or nil when there is none.
func shortProfile(p mockca.Profile) *clientsuite.Profile {
	var best *clientsuite.Profile
	for name, op := range p.OrderProfiles {
		if op.Validity <= 0 || op.Validity >= p.CertValidity {
			continue
		}
		if best == nil || op.Validity < best.MaxValidity {
			best = &clientsuite.Profile{Name: name, MaxValidity: op.Validity}
		}
	}
	return best
}

// setRenewalWindow overrides a certificate's renewal information through
// the management API (RFC 9773 §4.2 suggestedWindow).
func setRenewalWindow(ctx context.Context, mgmt string, cert *x509.Certificate, start, end time.Time) error {
	body, err := json.Marshal(map[string]any{
		"serial": cert.SerialNumber.Text(16),
		"ariResponse": map[string]any{"suggestedWindow": map[string]string{
			"start": start.UTC().Format(time.RFC3339), "end": end.UTC().Format(time.RFC3339),
		}},
	})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, mgmt+"/set-renewal-info/", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("set renewal window: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("set renewal window: %s", res.Status)
	}
	return nil
}

package server_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"acmeconform/catalog"
	"acmeconform/suites"
	"acmeconform/suites/flow"
	"acmeconform/suites/probe"
)

// validatedTarget is an atlas mock CA that cannot reach the harness, as a
// remote commercial CA cannot: no http-01 responder, no DNS control. Its
// names were validated beforehand for the customer its EAB credential
// stands for, and the accounts the specs bind through that credential
// reuse those validations (RFC 8555 §7.1.4).
var validatedTarget = &suites.Target{Name: "mockca/atlas-validated",
	Domain: "validated.acmeconform.test"}

// validatedKey lists requirements whose specs issue and must pass on the
// validated target without a challenge.
var validatedKey = []string{
	"order-finalize-valid", "finalize-response-order", "cert-chain-order",
	"revoke-by-issuer-account", "authz-valid-expires",
}

// freshExchange lists requirements whose specs need a fresh challenge
// exchange, so they skip on the validated target.
var freshExchange = []string{
	"challenge-respond", "challenge-valid-validated", "dns01-wrong-value-invalid",
	"http01-wrong-value-invalid", "challenge-invalid-has-error", "caa-other-ca-blocks",
	"tlsalpn-acme-identifier",
}

// noChallengeReason is what the skip reason of those specs says.
const noChallengeReason = "no challenge type reaches the harness"

// useValidated starts the validated target's mock CA, validates names
// through the responders for the EAB customer, then takes the responders
// away and lists the names as validated.
func useValidated(t *suites.Target, dns *testDNS) (func() error, error) {
	ca, err := startMockCA(t, "atlas", dns)
	if err != nil {
		return nil, err
	}
	names := []string{"a." + t.Domain, "b." + t.Domain}
	if err := validateFor(t, names); err != nil {
		_ = ca.Close()
		return nil, err
	}
	t.HTTP01, t.DNS, t.ValidatedNames = nil, nil, names
	return ca.Close, nil
}

// validateFor gets an order for names ready on an account bound through
// t's EAB credentials, as the customer would have done before the run.
func validateFor(t *suites.Target, names []string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	f, err := newFlow(t)
	if err != nil {
		return err
	}
	acct, err := f.NewAccount(ctx)
	if err != nil {
		return err
	}
	_, err = f.ReadyOrder(ctx, acct, names...)
	return err
}

// newFlow returns a flow for t outside a spec.
func newFlow(t *suites.Target) (*flow.Flow, error) {
	p, err := probe.New(probe.Config{DirectoryURL: t.DirectoryURL, HTTPClient: t.HTTPClient})
	if err != nil {
		return nil, err
	}
	return flow.New(flow.Config{Target: t, Probe: p})
}

// checkValidated asserts that on the validated target the issuing key
// requirements passed and the specs needing a fresh challenge skipped,
// saying why.
func checkValidated(t *testing.T, r types.Report) {
	t.Helper()
	checkTarget(t, r, "target:mockca-validated", validatedKey, atlasDeviations)
	skipped := map[string]bool{}
	for _, s := range r.SpecReports {
		if ok, _ := s.MatchesLabelFilter("target:mockca-validated"); !ok ||
			s.LeafNodeType != types.NodeTypeIt {
			continue
		}
		for _, id := range catalog.IDsFromLabels(s.Labels()) {
			if s.State == types.SpecStateSkipped &&
				strings.Contains(s.Failure.Message, noChallengeReason) {
				skipped[id] = true
			}
		}
	}
	for _, id := range freshExchange {
		if !skipped[id] {
			t.Errorf("target:mockca-validated: %s did not skip for want of a challenge", id)
		}
	}
}

// TestValidatedNameNotReused checks that a name listed as validated whose
// authorization comes back pending ends the flow at once with an error
// naming it, instead of a wait or a skip.
func TestValidatedNameNotReused(t *testing.T) {
	dns, err := startDNS()
	if err != nil {
		t.Fatal(err)
	}
	defer dns.Close()
	tg := &suites.Target{Name: "not-reused", Domain: "nr.acmeconform.test"}
	ca, err := startMockCA(tg, "atlas", dns)
	if err != nil {
		t.Fatal(err)
	}
	defer ca.Close()
	name := "never." + tg.Domain
	tg.HTTP01, tg.DNS, tg.ValidatedNames = nil, nil, []string{name}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	f, err := newFlow(tg)
	if err != nil {
		t.Fatal(err)
	}
	acct, err := f.NewAccount(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.Issue(ctx, acct, name)
	if !errors.Is(err, flow.ErrNotReused) || !strings.Contains(err.Error(), name) {
		t.Fatalf("Issue for an unvalidated name listed as validated: %v; want ErrNotReused "+
			"naming %s", err, name)
	}
}

package clients_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"acmeconform/catalog"
	"acmeconform/mockca"
	"acmeconform/mockca/mockcatest"
	"acmeconform/runner"
	suite "acmeconform/suites/clients"
)

// TestRobustScenariosCoverQuirks checks that every quirk of the mock CA has
// one robustness scenario, each tied to a client requirement of the
// catalog, and that every scenario names a quirk the mock CA knows.
func TestRobustScenariosCoverQuirks(t *testing.T) {
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	var have []string
	for _, sc := range suite.RobustScenarios() {
		if slices.Contains(have, sc.Quirk) {
			t.Errorf("quirk %s has two scenarios", sc.Quirk)
		}
		have = append(have, sc.Quirk)
		if _, err := mockca.ParseQuirks(sc.Quirk); err != nil {
			t.Errorf("scenario %q: %v", sc.Title, err)
		}
		req, ok := cat.Get(sc.Requirement)
		if !ok || req.Side != "client" {
			t.Errorf("scenario %s: requirement %s is not a client requirement of the catalog",
				sc.Quirk, sc.Requirement)
		}
		if len(sc.Title) > 80 || strings.TrimSpace(sc.Title) == "" {
			t.Errorf("scenario %s: title %q, want 1 to 80 characters", sc.Quirk, sc.Title)
		}
	}
	for _, q := range mockca.Quirks() {
		if !slices.Contains(have, string(q.Name)) {
			t.Errorf("mock CA quirk %s has no robustness scenario", q.Name)
		}
	}
}

// TestSetQuirksSwitchesTheMockCA checks the runner's SetQuirks on a mock
// CA: a quirk switched on shows in the CA's answers, an empty list
// switches it off again, and an unknown name is refused.
func TestSetQuirksSwitchesTheMockCA(t *testing.T) {
	ca := mockcatest.Start(t, mockca.Config{Seed: 1})
	var e suite.Env
	runner.MockCAClientControls(&e, ca)
	if e.SetQuirks == nil {
		t.Fatal("MockCAClientControls left SetQuirks nil")
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca.TLSRootPEM())
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	ctx := context.Background()

	steps := []struct {
		name     string
		quirks   []string
		wantMeta bool
	}{
		{"default", nil, true},
		{"directory without meta", []string{"directory-without-meta"}, false},
		{"switched off", nil, true},
	}
	for _, st := range steps {
		if err := e.SetQuirks(ctx, st.quirks); err != nil {
			t.Fatalf("%s: SetQuirks: %v", st.name, err)
		}
		if got := directoryHasMeta(t, hc, ca.DirectoryURL()); got != st.wantMeta {
			t.Errorf("%s: directory has meta = %v, want %v", st.name, got, st.wantMeta)
		}
	}
	if err := e.SetQuirks(ctx, []string{"no-such-quirk"}); err == nil {
		t.Error("SetQuirks took an unknown quirk")
	}
}

func directoryHasMeta(t *testing.T, hc *http.Client, url string) bool {
	t.Helper()
	res, err := hc.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var dir map[string]json.RawMessage
	if err := json.NewDecoder(res.Body).Decode(&dir); err != nil {
		t.Fatalf("directory: %v", err)
	}
	_, ok := dir["meta"]
	return ok
}

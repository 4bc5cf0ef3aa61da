package server_test

import (
	"errors"
	"sort"
	"strings"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"

	"acmeconform/catalog"
	"acmeconform/suites"
	"acmeconform/suites/server"
)

// The targets the suite runs against; BeforeSuite fills them in.
var (
	pebbleTarget    = &suites.Target{Name: "pebble", Domain: "acmeconform.test"}
	pebbleEABTarget = &suites.Target{Name: "pebble-eab", Domain: "eab.acmeconform.test"}
	atlasTarget     = &suites.Target{Name: "mockca/atlas", Domain: "atlas.acmeconform.test"}
	leTarget        = &suites.Target{Name: "mockca/letsencrypt", Domain: "le.acmeconform.test"}
)

// pebbleEABKey is the MAC key of the EAB-requiring Pebble, base64url.
const pebbleEABKey = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W"

// suiteReport is the report ReportAfterSuite hands to TestServer.
var suiteReport types.Report

var _ = Describe("pebble", Label("target:pebble"), func() {
	server.Define(pebbleTarget)
})

var _ = Describe("pebble-eab", Label("target:pebble-eab"), func() {
	server.Define(pebbleEABTarget)
})

var _ = Describe("mockca/atlas", Label("target:mockca-atlas"), func() {
	server.Define(atlasTarget)
})

var _ = Describe("mockca/letsencrypt", Label("target:mockca-letsencrypt"), func() {
	server.Define(leTarget)
})

var _ = Describe("mockca/atlas-validated", Label("target:mockca-validated"), func() {
	server.Define(validatedTarget)
})

var _ = BeforeSuite(func() {
	dns, err := startDNS()
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(dns.Close)
	for profile, t := range map[string]*suites.Target{"atlas": atlasTarget,
		"letsencrypt": leTarget} {
		ca, err := startMockCA(t, profile, dns)
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(ca.Close)
	}
	stop, err := useValidated(validatedTarget, dns)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(stop)
	opt := pebbleOptions{DNS: dns.srv.Addr(), HTTPPort: dns.httpPort, TLSPort: dns.alpnPort}
	usePebble(pebbleTarget, dns, opt)
	opt.EAB = map[string]string{"kid-1": pebbleEABKey}
	usePebble(pebbleEABTarget, dns, opt)
	pebbleEABTarget.EAB = &suites.EAB{KID: "kid-1", HMACKey: pebbleEABKey}
})

// usePebble starts a Pebble for t, or skips the suite when none is built.
func usePebble(t *suites.Target, dns *testDNS, opt pebbleOptions) {
	p, pool, err := startPebble(GinkgoT().TempDir(), opt)
	if errors.Is(err, errPebbleMissing) {
		Skip(err.Error())
	}
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(p.Stop)
	t.DirectoryURL = p.DirectoryURL()
	t.Roots = pool
	t.IssuerRoots, err = p.IssuerRoots(pool)
	Expect(err).NotTo(HaveOccurred())
	t.HTTPClient = httpClient(pool)
	t.HTTP01 = dns.responders()
	t.DNS = dnsControl{dns.srv}
}

var _ = ReportAfterSuite("collect", func(r types.Report) { suiteReport = r })

// failRecorder stands in for *testing.T so that known deviations of a
// target do not fail the Go test by themselves; TestServer judges them.
type failRecorder struct{ failed bool }

func (f *failRecorder) Fail() { f.failed = true }

func TestServer(t *testing.T) {
	RegisterFailHandler(Fail)
	rec := &failRecorder{}
	RunSpecs(rec, "ACME server conformance")

	cat, err := catalog.Default()
	if err != nil {
		t.Fatalf("load catalog: %v", err)
	}
	checkLabels(t, cat, suiteReport)
	checkCoverage(t, cat, suiteReport)
	checkEvidence(t, suiteReport, pebbleEABKey, atlasTarget.EAB, leTarget.EAB,
		validatedTarget.EAB)
	if skippedAll(suiteReport) {
		t.Skip("no target could be started; see the suite output")
	}
	checkTarget(t, suiteReport, "target:pebble", pebbleKey, pebbleDeviations)
	checkTarget(t, suiteReport, "target:pebble-eab", pebbleKey, pebbleDeviations)
	checkTarget(t, suiteReport, "target:mockca-atlas", pebbleKey, atlasDeviations)
	checkTarget(t, suiteReport, "target:mockca-letsencrypt", pebbleKey, leDeviations)
	checkValidated(t, suiteReport)
}

// checkLabels asserts that every requirement a spec names is in the catalog
// and that every spec names at least one, plus its section and level.
func checkLabels(t *testing.T, cat *catalog.Catalog, r types.Report) {
	t.Helper()
	for _, s := range r.SpecReports {
		if s.LeafNodeType != types.NodeTypeIt {
			continue
		}
		labels := s.Labels()
		ids := catalog.IDsFromLabels(labels)
		if len(ids) == 0 {
			t.Errorf("spec %q has no req: label", s.FullText())
		}
		for _, id := range ids {
			if _, ok := cat.Get(id); !ok {
				t.Errorf("spec %q names %q, which is not in the catalog", s.FullText(), id)
			}
		}
		if !hasPrefix(labels, "level:") {
			t.Errorf("spec %q has no level: label", s.FullText())
		}
	}
}

func hasPrefix(labels []string, p string) bool {
	for _, l := range labels {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

func skippedAll(r types.Report) bool {
	for _, s := range r.SpecReports {
		if s.LeafNodeType == types.NodeTypeIt && s.State != types.SpecStateSkipped {
			return false
		}
	}
	return true
}

// outcome is what one target's specs did, by requirement id.
type outcome struct {
	passed, failed map[string]bool
	unexpected     []string // failures no deviation explains
}

func collect(r types.Report, target string, deviations map[string]string) outcome {
	o := outcome{passed: map[string]bool{}, failed: map[string]bool{}}
	for _, s := range r.SpecReports {
		if ok, _ := s.MatchesLabelFilter(target); s.LeafNodeType != types.NodeTypeIt || !ok {
			continue
		}
		ids := catalog.IDsFromLabels(s.Labels())
		switch {
		case s.State == types.SpecStatePassed:
			for _, id := range ids {
				o.passed[id] = true
			}
		case s.State.Is(types.SpecStateFailureStates):
			for _, id := range ids {
				o.failed[id] = true
			}
			if !anyDeviation(ids, deviations) {
				o.unexpected = append(o.unexpected, s.FullText()+": "+s.Failure.Message)
			}
		}
	}
	sort.Strings(o.unexpected)
	return o
}

// checkTarget asserts that on one target every spec of a key requirement
// passed, every failure is a listed deviation and every listed deviation
// still shows.
func checkTarget(t *testing.T, r types.Report, target string, key []string,
	deviations map[string]string) {
	t.Helper()
	o := collect(r, target, deviations)
	for _, u := range o.unexpected {
		t.Errorf("%s: unexpected failure: %s", target, u)
	}
	for _, id := range key {
		if !o.passed[id] {
			t.Errorf("%s: key requirement %s has no passing spec", target, id)
		}
	}
	for id := range deviations {
		if o.passed[id] && !o.failed[id] {
			t.Errorf("%s: listed deviation %s no longer shows; remove it", target, id)
		}
	}
}

func anyDeviation(ids []string, deviations map[string]string) bool {
	for _, id := range ids {
		if _, ok := deviations[id]; ok {
			return true
		}
	}
	return false
}

// checkEvidence asserts that every failed spec carries HTTP evidence and
// that no report entry shows an EAB MAC key.
func checkEvidence(t *testing.T, r types.Report, key string, more ...*suites.EAB) {
	t.Helper()
	secrets := []string{key}
	for _, e := range more {
		if e != nil {
			secrets = append(secrets, e.HMACKey)
		}
	}
	for _, s := range r.SpecReports {
		var found bool
		for _, e := range s.ReportEntries {
			if e.Name == server.EvidencePrefix+"http" && e.StringRepresentation() != "" {
				found = true
			}
			for _, sec := range secrets {
				if strings.Contains(e.StringRepresentation(), sec) {
					t.Errorf("%s: report entry %s shows an EAB MAC key", s.FullText(), e.Name)
				}
			}
		}
		if s.State.Is(types.SpecStateFailureStates) && !found {
			t.Errorf("%s failed without HTTP evidence", s.FullText())
		}
	}
}

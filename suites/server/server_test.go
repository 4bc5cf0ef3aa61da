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
var pebbleTarget = &suites.Target{Name: "pebble", Domain: "acmeconform.test"}

// suiteReport is the report ReportAfterSuite hands to TestServer.
var suiteReport types.Report

var _ = Describe("pebble", Label("target:pebble"), func() {
	server.Define(pebbleTarget)
})

var _ = BeforeSuite(func() {
	p, pool, err := startPebble(GinkgoT().TempDir(), nil)
	if errors.Is(err, errPebbleMissing) {
		Skip(err.Error())
	}
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(p.Stop)
	pebbleTarget.DirectoryURL = p.DirectoryURL()
	pebbleTarget.Roots = pool
	pebbleTarget.HTTPClient = httpClient(pool)
	pebbleTarget.HTTP01 = &acceptAll{}
})

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
	if skippedAll(suiteReport) {
		t.Skip("no target could be started; see the suite output")
	}
	checkTarget(t, suiteReport, "target:pebble", pebbleKey, pebbleDeviations)
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

// checkTarget asserts that on one target every spec of a key requirement
// passed and every failure is a documented deviation.
func checkTarget(t *testing.T, r types.Report, target string, key []string,
	deviations map[string]string) {
	t.Helper()
	passed := map[string]bool{}
	var unexpected []string
	for _, s := range r.SpecReports {
		if ok, _ := s.MatchesLabelFilter(target); s.LeafNodeType != types.NodeTypeIt || !ok {
			continue
		}
		ids := catalog.IDsFromLabels(s.Labels())
		switch {
		case s.State == types.SpecStatePassed:
			for _, id := range ids {
				passed[id] = true
			}
		case s.State.Is(types.SpecStateFailureStates):
			if !anyDeviation(ids, deviations) {
				unexpected = append(unexpected, s.FullText()+": "+s.Failure.Message)
			}
		}
	}
	sort.Strings(unexpected)
	for _, u := range unexpected {
		t.Errorf("%s: unexpected failure: %s", target, u)
	}
	for _, id := range key {
		if !passed[id] {
			t.Errorf("%s: key requirement %s has no passing spec", target, id)
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

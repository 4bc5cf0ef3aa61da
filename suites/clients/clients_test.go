package clients_test

import (
	"context"
	"encoding/base64"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/catalog"
	drivers "acmeconform/clients"
	"acmeconform/clients/all"
	suite "acmeconform/suites/clients"
)

var (
	binDir = flag.String("bin", "../../bin",
		"directory holding lego and caddy (and pebble, pebble-challtestsrv for -target pebble)")
	target  = flag.String("target", "mockca", "CA to run the clients against: mockca or pebble")
	workDir = flag.String("workdir", "", "keep client state here instead of a temporary dir")
)

// env is filled in by TestClients before the specs run.
var env = &suite.Env{}

var _ = suite.Define(env)

func b64url(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// TestClients runs the client suite against the embedded mock CA and mock
// DNS server (or, with -target pebble, against Pebble and
// pebble-challtestsrv) with every client whose binary is present.
func TestClients(t *testing.T) {
	bin, err := filepath.Abs(*binDir)
	if err != nil {
		t.Fatal(err)
	}
	switch *target {
	case "mockca":
		useMockCA(t)
	case "pebble":
		for _, name := range []string{"pebble", "pebble-challtestsrv"} {
			if _, err := os.Stat(filepath.Join(bin, name)); err != nil {
				t.Skipf("-target pebble needs %s in %s (build it from ./tools): %v", name, bin, err)
			}
		}
		usePebble(t, startPebble(t, bin))
	default:
		t.Fatalf("-target %q: want mockca or pebble", *target)
	}
	env.Domain = "example.com"
	env.WorkDir = *workDir
	if env.WorkDir == "" {
		env.WorkDir = t.TempDir()
	}
	env.Drivers = processDrivers(bin)

	RegisterFailHandler(Fail)
	suiteCfg, reporterCfg := GinkgoConfiguration()
	if suiteCfg.LabelFilter == "" {
		suiteCfg.LabelFilter = withoutDeviations(t)
		if testing.Short() {
			t.Log("-short: lego only")
			suiteCfg.LabelFilter = strings.Trim("client:lego && "+suiteCfg.LabelFilter, "& ")
		}
	}
	// Real clients share two cores with everything else make test runs;
	// a spec gets one more attempt before this test, which checks the
	// harness, fails. Runs of acmeconform itself never retry.
	suiteCfg.FlakeAttempts = max(suiteCfg.FlakeAttempts, 2)
	RunSpecs(t, "client suite", suiteCfg, reporterCfg)
}

// knownDeviations are client behaviours against one target that the
// suite rightly reports as failures. The test leaves them out (unless
// -ginkgo.label-filter is given) so that it checks the harness, not the
// clients' bugs. Defects of a client version on every target are in
// suite.KnownDeviations and skip themselves.
var knownDeviations = []struct{ target, filter, why string }{
	{"", "client:dehydrated && (scenario:robust-badnonce-on-first-post || " +
		"scenario:robust-neworder-429-retry-after-date || " +
		"scenario:robust-neworder-429-retry-after-seconds || scenario:robust-neworder-503-retry-after)",
		"dehydrated 0.7.0 stops at the first badNonce, 429 or 503 instead of retrying"},
	{"", "client:uacme && (scenario:robust-neworder-429-retry-after-date || " +
		"scenario:robust-neworder-429-retry-after-seconds || scenario:robust-neworder-503-retry-after)",
		"uacme 1.7.4 stops at the first 429 or 503 on newOrder instead of retrying"},
	{"", "client:certbot && (scenario:robust-neworder-429-retry-after-date || " +
		"scenario:robust-neworder-429-retry-after-seconds || scenario:robust-neworder-503-retry-after)",
		"certbot 2.1.0 crashes (\"AttributeError: can't set attribute\") on a 429 or 503 answer"},
	{"", "client:caddy && (scenario:robust-neworder-429-retry-after-date || " +
		"scenario:robust-neworder-429-retry-after-seconds)",
		"Caddy v2.11.9 reports the order failed on a 429 and retries on its own schedule " +
			"(a minute later at the soonest), not after Retry-After"},
	{"pebble", "client:uacme && !scenario:register && !scenario:eab && !scenario:eab-spoiled",
		"uacme 1.7.4 gives up on an authorization when it meets a challenge without a " +
			"token, and Pebble offers dns-persist-01 (no token) in a random position"},
}

func withoutDeviations(t *testing.T) string {
	var parts []string
	for _, d := range knownDeviations {
		if d.target != "" && d.target != *target {
			continue
		}
		t.Logf("left out: %s: %s", d.filter, d.why)
		parts = append(parts, "!("+d.filter+")")
	}
	return strings.Join(parts, " && ")
}

// processDrivers returns a driver for every client, run as local
// processes; a client whose binary is missing is skipped by the suite.
// Caddy publishes dns-01 records with RFC 2136 updates only, which
// pebble-challtestsrv does not take, so it runs against the mock CA only.
func processDrivers(bin string) []drivers.Driver {
	bins := all.DebianBinaries()
	bins.Lego = filepath.Join(bin, "lego")
	if *target == "mockca" {
		bins.Caddy = filepath.Join(bin, "caddy")
	}
	return all.Drivers(bins, drivers.Config{})
}

func usePebble(t *testing.T, p *pebble) {
	roots, err := p.mgmtGet(context.Background(), "/roots/0")
	if err != nil {
		t.Fatalf("pebble issuer root: %v", err)
	}
	var kids []string
	for kid := range p.eabKeys {
		kids = append(kids, kid)
	}
	var next atomic.Int64

	env.Target = "pebble"
	env.DirectoryURL = p.directory()
	env.CACertFile = p.caFile
	env.IssuerRootsPEM = roots
	env.DNSAddr = p.dnsAddr
	env.DNSAPIURL = p.dnsAPI
	env.HTTP01Port = p.httpPort
	env.MintEAB = func(context.Context) (*drivers.EAB, error) {
		kid := kids[int(next.Add(1))%len(kids)]
		return &drivers.EAB{KID: kid, HMACKey: p.eabKeys[kid]}, nil
	}
	env.SpoiledEAB = func(context.Context) (*drivers.EAB, suite.Refusal, error) {
		return &drivers.EAB{KID: fmt.Sprintf("unknown-kid-%d", next.Add(1)),
				HMACKey: randomKey()},
			suite.Refusal{Type: unauthorized, Detail: "not known to the ACME server"}, nil
	}
	env.DNSQueries = p.dnsQueries
	env.Revoked = p.revoked
	env.SetRenewalWindow = p.setRenewalWindow
	env.ShortProfile = &suite.Profile{Name: "shortlived", MaxValidity: 6 * 24 * time.Hour}
	env.Features = suite.Features{AuthzReuse: true}
}

// Every requirement a spec names must be in the catalog.
var _ = ReportAfterSuite("requirement labels are catalog ids", func(r Report) {
	cat, err := catalog.Default()
	Expect(err).NotTo(HaveOccurred())
	for _, spec := range r.SpecReports {
		for _, id := range catalog.IDsFromLabels(spec.Labels()) {
			_, ok := cat.Get(id)
			Expect(ok).To(BeTrue(), "spec %q names unknown requirement %s", spec.FullText(), id)
		}
	}
})

package clients_test

import (
	"context"
	"encoding/base64"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	drivers "acmeconform/clients"
	"acmeconform/clients/lego"
	suite "acmeconform/suites/clients"
)

var binDir = flag.String("bin", "../../bin", "directory holding pebble, pebble-challtestsrv and lego")

// env is filled in by TestClients before the specs run.
var env = &suite.Env{}

var _ = suite.Define(env)

func b64url(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// TestClients runs the client suite against Pebble and
// pebble-challtestsrv, with every client whose binary is present.
func TestClients(t *testing.T) {
	bin, err := filepath.Abs(*binDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"pebble", "pebble-challtestsrv", "lego"} {
		if _, err := os.Stat(filepath.Join(bin, name)); err != nil {
			t.Skipf("client suite needs %s in %s (build it from ./tools): %v", name, bin, err)
		}
	}
	p := startPebble(t, bin)
	fillEnv(t, p, bin)

	RegisterFailHandler(Fail)
	RunSpecs(t, "client suite")
}

func fillEnv(t *testing.T, p *pebble, bin string) {
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
	env.Domain = "example.com"
	env.WorkDir = t.TempDir()
	env.Drivers = []drivers.Driver{lego.New(drivers.Config{Binary: filepath.Join(bin, "lego")})}
	env.MintEAB = func(context.Context) (*drivers.EAB, error) {
		kid := kids[int(next.Add(1))%len(kids)]
		return &drivers.EAB{KID: kid, HMACKey: p.eabKeys[kid]}, nil
	}
	env.SpoiledEAB = func(context.Context) (*drivers.EAB, error) {
		return &drivers.EAB{KID: fmt.Sprintf("unknown-kid-%d", next.Add(1)),
			HMACKey: b64url(make([]byte, 32))}, nil
	}
	env.DNSQueries = p.dnsQueries
	env.Revoked = p.revoked
	env.Features = suite.Features{AuthzReuse: true}
}

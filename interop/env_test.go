package interop

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"net"
	"strconv"
	"testing"
	"time"

	"acmeconform/acme"
	"acmeconform/dnsmock"
	"acmeconform/mockca"

	legoacme "github.com/go-acme/lego/v5/acme"
	"github.com/go-acme/lego/v5/challenge/http01"
	"github.com/go-acme/lego/v5/lego"
)

// env is a started mock CA, the DNS server it validates through, and the
// port where the client's http-01 responder listens.
type env struct {
	ca    *mockca.Server
	clock *mockca.OffsetClock
	port  int
	rec   *recorder
	dir   acme.Directory
}

// startEnv starts dnsmock (every name is 127.0.0.1) and the mock CA with
// the default profile, an offset clock the test can advance, and http-01
// sent to a free port.
func startEnv(t *testing.T) *env {
	t.Helper()
	dns, err := dnsmock.New(dnsmock.Config{DefaultIPv4: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := dns.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dns.Close() })
	e := &env{clock: &mockca.OffsetClock{}, port: freePort(t)}
	ca, err := mockca.New(mockca.Config{DNSServer: dns.Addr(), HTTP01Port: e.port,
		Clock: e.clock, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := ca.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ca.Close() })
	e.ca = ca
	e.rec = newRecorder(t, ca.TLSRootPEM())
	resp, err := e.rec.client().Get(ca.DirectoryURL())
	if err != nil {
		t.Fatal(err)
	}
	decodeJSON(t, resp, &e.dir)
	return e
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// user is a lego account holder.
type user struct {
	email string
	key   crypto.Signer
	reg   *legoacme.ExtendedAccount
}

func (u *user) GetEmail() string                           { return u.email }
func (u *user) GetRegistration() *legoacme.ExtendedAccount { return u.reg }
func (u *user) GetPrivateKey() crypto.Signer               { return u.key }

// newClient builds a lego v5 client for u that trusts the CA's TLS root and
// answers http-01 with lego's own provider server on the CA's http-01 port.
func (e *env) newClient(t *testing.T, u *user) *lego.Client {
	t.Helper()
	cfg := lego.NewConfig(u)
	cfg.CADirURL = e.ca.DirectoryURL()
	cfg.HTTPClient = e.rec.client()
	cfg.Certificate.Timeout = 20 * time.Second
	c, err := lego.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	p := http01.NewProviderServer("127.0.0.1", strconv.Itoa(e.port))
	if err := c.Challenge.SetHTTP01Provider(p); err != nil {
		t.Fatal(err)
	}
	return c
}

// parseChain decodes every certificate of a PEM bundle.
func parseChain(t *testing.T, b []byte) []*x509.Certificate {
	t.Helper()
	var out []*x509.Certificate
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			break
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		t.Fatal("no certificate in PEM bundle")
	}
	return out
}

// verifyLeaf checks that bundle's leaf names domain and chains through the
// bundle's intermediates to one of the CA's issuer roots at the CA's time.
func (e *env) verifyLeaf(t *testing.T, bundle []byte, domain string) *x509.Certificate {
	t.Helper()
	chain := parseChain(t, bundle)
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(e.ca.IssuerRootsPEM()) {
		t.Fatal("no issuer root")
	}
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	_, err := chain[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter,
		DNSName: domain, CurrentTime: e.clock.Now(),
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
	if err != nil {
		t.Fatalf("certificate for %s does not verify: %v", domain, err)
	}
	return chain[0]
}

// status reads the CA's revocation state of leaf.
func (e *env) status(t *testing.T, leaf *x509.Certificate) mockca.CertStatus {
	t.Helper()
	st, ok := e.ca.CertStatus(leaf.SerialNumber.Text(16))
	if !ok {
		t.Fatalf("CA does not know serial %x", leaf.SerialNumber)
	}
	return st
}

package mockca

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"net/http"
	"strings"
	"testing"

	"acmeconform/acme"
)

func TestCSRChecks(t *testing.T) {
	e := startEnv(t, func(c *Config) {
		p := DefaultProfile()
		p.RejectCSREKU = true
		c.Profile = &p
	})
	rc := newRawClient(t, e)
	rc.register()
	p521, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	eku, _ := asn1.Marshal([]asn1.ObjectIdentifier{{1, 3, 6, 1, 5, 5, 7, 3, 1}})
	const a, b = "a.csr.example", "b.csr.example"
	tests := []struct {
		name   string
		csr    func() []byte
		detail string // a word the detail must contain
	}{
		{"missing name", func() []byte {
			return csrWith(t, p256, &x509.CertificateRequest{DNSNames: []string{a}})
		}, "missing"},
		{"extra name", func() []byte {
			return csrWith(t, p256, &x509.CertificateRequest{DNSNames: []string{a, b, "c.csr.example"}})
		}, "extra"},
		{"account key", func() []byte {
			return csrWith(t, rc.key, &x509.CertificateRequest{DNSNames: []string{a, b}})
		}, "account key"},
		{"P-521 key not allowed", func() []byte {
			return csrWith(t, p521, &x509.CertificateRequest{DNSNames: []string{a, b}})
		}, "p521"},
		{"extended key usage requested", func() []byte {
			return csrWith(t, p256, &x509.CertificateRequest{DNSNames: []string{a, b},
				ExtraExtensions: []pkix.Extension{{Id: oidExtKeyUsage, Value: eku}}})
		}, "extended key usage"},
		{"RSA with SHA-1 signature", func() []byte {
			return sha1CSR(t, rsaKey, []string{a, b})
		}, "SHA1"},
		{"not a CSR", func() []byte { return []byte("garbage") }, "PKCS#10"},
	}
	_, o := rc.newOrder(a, b)
	rc.authorize(e, o)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := expectProblem(t, rc.finalize(o, tt.csr()), 400, acme.ProblemBadCSR)
			if !strings.Contains(strings.ToLower(p.Detail), strings.ToLower(tt.detail)) {
				t.Fatalf("detail %q does not name %q", p.Detail, tt.detail)
			}
		})
	}
	t.Run("names in CN only count", func(t *testing.T) {
		_, o := rc.newOrder("cn.csr.example")
		rc.authorize(e, o)
		csr := csrWith(t, p256, &x509.CertificateRequest{
			Subject: pkix.Name{CommonName: "CN.csr.example"}})
		resp := rc.finalize(o, csr)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("finalize: %v", problemOf(t, resp))
		}
		resp.Body.Close()
	})
}

// sha1CSR builds a CSR signed with sha1WithRSAEncryption by hand, since
// the standard library refuses to sign with SHA-1.
func sha1CSR(t *testing.T, key *rsa.PrivateKey, names []string) []byte {
	t.Helper()
	good := csrWith(t, key, &x509.CertificateRequest{DNSNames: names,
		SignatureAlgorithm: x509.SHA256WithRSA})
	var raw struct {
		Info   asn1.RawValue
		Alg    pkix.AlgorithmIdentifier
		Signed asn1.BitString
	}
	if _, err := asn1.Unmarshal(good, &raw); err != nil {
		t.Fatal(err)
	}
	raw.Alg.Algorithm = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 5}
	der, err := asn1.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

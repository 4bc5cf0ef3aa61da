package mockca

import (
	"crypto/x509"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"acmeconform/acme"
)

// readCSR reads a CSR made by testdata/csr/make.sh with openssl.
func readCSR(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "csr", name+".der"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCSRPolicyOpenSSL(t *testing.T) {
	s, _ := newPolicyServer(t)
	ids := []acme.Identifier{{Type: acme.IdentifierDNS, Value: "csr.example.com"}}
	tests := []struct {
		name string
		file string
		want []string // words the badCSR detail must contain; nil means accepted
	}{
		{"good RSA-2048", "good-rsa2048", nil},
		{"good P-256", "good-p256", nil},
		{"SHA-1", "sha1-rsa2048", []string{"sha1WithRSAEncryption", "csr.signatureAlgorithms"}},
		{"SHA-384", "sha384-rsa2048", []string{"sha384WithRSAEncryption",
			"csr.signatureAlgorithms"}},
		{"SHA-512", "sha512-p256", []string{"ecdsa-with-SHA512", "csr.signatureAlgorithms"}},
		{"RSA-PSS", "pss-rsa2048", []string{"RSASSA-PSS", "csr.signatureAlgorithms"}},
		{"EKU requested", "eku-p256", []string{"serverAuth, clientAuth", "csr.refuseEKU"}},
		{"RSA-1024", "rsa1024", []string{"rsa1024", "csr.keyTypes"}},
		{"P-521", "p521", []string{"p521", "csr.keyTypes"}},
		{"Ed25519", "ed25519", []string{"ed25519", "csr.keyTypes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.parseCSR(readCSR(t, tt.file), ids)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var p *acme.Problem
			if !errors.As(err, &p) || p.Type != acme.ProblemBadCSR {
				t.Fatalf("got %v, want badCSR", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(p.Detail, w) {
					t.Errorf("detail %q does not name %q", p.Detail, w)
				}
			}
		})
	}
}

// issueWithCSR validates csr.example.com for a bound account, finalizes
// with the openssl CSR file and returns the leaf.
func issueWithCSR(t *testing.T, e *testEnv, file string) *x509.Certificate {
	t.Helper()
	rc := boundClient(t, e, mint(t, e))
	rc.validateWith(e, "csr.example.com", acme.ChallengeDNS01)
	u, o := rc.newOrder("csr.example.com")
	resp := rc.finalize(o, readCSR(t, file))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("finalize: %v", problemOf(t, resp))
	}
	resp.Body.Close()
	rc.waitStatus(u, acme.StatusValid)
	decode(t, rc.post(u, nil), &o)
	return rc.leafOf(o)
}

func TestIssuedCertificateShape(t *testing.T) {
	tests := []struct {
		name     string
		profile  string
		at       time.Time
		validity time.Duration
	}{
		{"atlas 2025", "atlas", time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), 397 * day},
		{"atlas", "atlas", policyStart, 200 * day}, // Baseline Requirements from 2026-03-15
		{"atlas 2029", "atlas", time.Date(2029, 3, 16, 0, 0, 0, 0, time.UTC), 47 * day},
		{"letsencrypt", "letsencrypt", policyStart, 90 * day},
		{"cabf 2026", "cabf", policyStart, 200 * day},
		{"cabf 2029", "cabf", time.Date(2029, 3, 16, 0, 0, 0, 0, time.UTC), 47 * day},
	}
	var serials []string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, clock := startPolicyEnv(t, tt.profile, func(p *Profile) { p.EABRequired = false })
			clock.Set(tt.at)
			leaf := issueWithCSR(t, e, "good-rsa2048")
			if got := leaf.NotAfter.Sub(leaf.NotBefore); got > tt.validity {
				t.Errorf("validity %s exceeds %s", got, tt.validity)
			} else if got < tt.validity-time.Hour {
				t.Errorf("validity %s, want about %s", got, tt.validity)
			}
			if !slices.Equal(leaf.DNSNames, []string{"csr.example.com"}) {
				t.Errorf("SANs %v", leaf.DNSNames)
			}
			if !slices.Equal(leaf.ExtKeyUsage, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}) {
				t.Errorf("EKU %v, want serverAuth only", leaf.ExtKeyUsage)
			}
			if leaf.SerialNumber.BitLen() < 64 {
				t.Errorf("serial %x has fewer than 64 bits", leaf.SerialNumber)
			}
			serials = append(serials, leaf.SerialNumber.String())
		})
	}
	slices.Sort(serials)
	if len(slices.Compact(serials)) != len(tests) {
		t.Errorf("serials repeat: %v", serials)
	}
}

package clients

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

// TestExpectUnderRoot checks the alternate chain check on a hierarchy
// like the mock CA's: one intermediate key certified by two roots. The
// chain under the named root passes; the other root's chain fails.
func TestExpectUnderRoot(t *testing.T) {
	RegisterTestingT(t)
	roots, inters, leaf := crossSigned(t)
	chain := func(i int) []byte {
		return append(pemOf(leaf), pemOf(inters[i])...)
	}
	tests := []struct {
		name  string
		chain []byte
		fails bool
	}{
		{"chain under the root", chain(1), false},
		{"chain under the other root", chain(0), true},
		{"leaf alone", pemOf(leaf), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			failures := InterceptGomegaFailures(func() { expectUnderRoot(tt.chain, roots[1]) })
			if (len(failures) > 0) != tt.fails {
				t.Errorf("failures %q, want failing %v", failures, tt.fails)
			}
		})
	}
}

// crossSigned returns two roots, the intermediate certified by each, and
// a leaf under the intermediate key.
func crossSigned(t *testing.T) ([]*x509.Certificate, []*x509.Certificate, *x509.Certificate) {
	t.Helper()
	interKey := newTestKey(t)
	var roots, inters []*x509.Certificate
	for _, cn := range []string{"test root 0", "test root 1"} {
		key := newTestKey(t)
		root := makeCert(t, caTmpl(cn), key.Public(), nil, key)
		roots = append(roots, root)
		inters = append(inters, makeCert(t, caTmpl("test intermediate"), interKey.Public(),
			root, key))
	}
	leafTmpl := &x509.Certificate{SerialNumber: big.NewInt(9), DNSNames: []string{"a.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	leaf := makeCert(t, leafTmpl, newTestKey(t).Public(), inters[0], interKey)
	return roots, inters, leaf
}

func caTmpl(cn string) *x509.Certificate {
	return &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true, IsCA: true}
}

func newTestKey(t *testing.T) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func makeCert(t *testing.T, tmpl *x509.Certificate, pub crypto.PublicKey,
	parent *x509.Certificate, signer crypto.Signer) *x509.Certificate {
	t.Helper()
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func pemOf(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

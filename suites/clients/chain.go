package clients

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	. "github.com/onsi/gomega"
)

// parseChain decodes a PEM chain, leaf first.
func parseChain(b []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for {
		var block *pem.Block
		block, b = pem.Decode(b)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parse chain: %w", err)
		}
		certs = append(certs, cert)
	}
	if len(certs) == 0 {
		return nil, errors.New("parse chain: no certificate")
	}
	return certs, nil
}

// expectCert checks the chain a client stored: its leaf names exactly the
// requested names (RFC 8555 §7.4: the certificate carries the order's
// identifiers) and, when the issuer roots are known, it chains to them.
// It returns the leaf.
func (e *Env) expectCert(chainPEM []byte, names []string) *x509.Certificate {
	chain, err := parseChain(chainPEM)
	Expect(err).NotTo(HaveOccurred(), "the client stored no readable chain")
	leaf := chain[0]

	want := lower(names)
	Expect(lower(leaf.DNSNames)).To(ConsistOf(want), "SANs of the issued certificate")

	if len(e.IssuerRootsPEM) == 0 {
		return leaf
	}
	roots := x509.NewCertPool()
	Expect(roots.AppendCertsFromPEM(e.IssuerRootsPEM)).To(BeTrue(), "issuer roots PEM")
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	_, err = leaf.Verify(x509.VerifyOptions{
		Roots: roots, Intermediates: inter, DNSName: covered(names[0]),
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
	Expect(err).NotTo(HaveOccurred(), "the chain does not verify to the issuer roots")
	return leaf
}

// covered returns a host name that name covers: the name itself, or for a
// wildcard a name one label under its base (RFC 6125 §6.4.3: "*" stands
// for one whole label, never for none).
func covered(name string) string {
	if base, ok := strings.CutPrefix(name, "*."); ok {
		return "www." + base
	}
	return name
}

func lower(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.ToLower(n)
	}
	slices.Sort(out)
	return out
}

// opensslVerify runs "openssl verify" on the leaf of chainPEM with the
// issuer roots as the only trust anchors and the rest of the chain as
// untrusted intermediates. It returns openssl's output.
func opensslVerify(ctx context.Context, dir string, rootsPEM, chainPEM []byte) (string, error) {
	chain, err := parseChain(chainPEM)
	if err != nil {
		return "", err
	}
	write := func(name string, certs ...*x509.Certificate) (string, error) {
		var b []byte
		for _, c := range certs {
			b = append(b, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
		}
		path := filepath.Join(dir, name)
		return path, os.WriteFile(path, b, 0o600)
	}
	leaf, err := write("verify-leaf.pem", chain[0])
	if err != nil {
		return "", err
	}
	untrusted, err := write("verify-untrusted.pem", chain[1:]...)
	if err != nil {
		return "", err
	}
	roots := filepath.Join(dir, "verify-roots.pem")
	if err := os.WriteFile(roots, rootsPEM, 0o600); err != nil {
		return "", err
	}

	args := []string{"verify", "-purpose", "sslserver", "-CAfile", roots}
	if len(chain) > 1 {
		args = append(args, "-untrusted", untrusted)
	}
	out, err := exec.CommandContext(ctx, "openssl", append(args, leaf)...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("openssl verify: %w", err)
	}
	return string(out), nil
}

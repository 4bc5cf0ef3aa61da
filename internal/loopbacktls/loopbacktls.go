// Package loopbacktls writes a throwaway self-signed TLS certificate for
// 127.0.0.1 and localhost, for the HTTPS listeners of servers the tests and
// benchmarks start (Pebble, step-ca's clients, the mock CA's peers).
package loopbacktls

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// Files names what Write wrote. The certificate is its own root: trust
// CertFile (or Pool) to reach a server that presents it.
type Files struct {
	CertFile string // PEM certificate, also the trust anchor
	KeyFile  string // PEM PKCS #8 private key
	Pool     *x509.CertPool
}

// Write writes tls.pem and tls.key into dir: a P-256 certificate for
// 127.0.0.1 and localhost valid for a day.
func Write(dir string) (Files, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return Files{}, fmt.Errorf("loopback TLS key: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(now.UnixNano()),
		Subject:      pkix.Name{CommonName: "acmeconform loopback"},
		NotBefore:    now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		DNSNames:    []string{"localhost"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:        true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return Files{}, fmt.Errorf("loopback TLS certificate: %w", err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return Files{}, fmt.Errorf("loopback TLS key: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return Files{}, fmt.Errorf("loopback TLS certificate: %w", err)
	}
	f := Files{CertFile: filepath.Join(dir, "tls.pem"), KeyFile: filepath.Join(dir, "tls.key"),
		Pool: x509.NewCertPool()}
	f.Pool.AddCert(cert)
	if err := writePEM(f.CertFile, "CERTIFICATE", der); err != nil {
		return Files{}, err
	}
	return f, writePEM(f.KeyFile, "PRIVATE KEY", kder)
}

func writePEM(path, typ string, der []byte) error {
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

package mockca

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"time"
)

// keyPair is a certificate with its private key.
type keyPair struct {
	cert *x509.Certificate
	der  []byte
	key  crypto.Signer
}

// chain is one issuance hierarchy: a root and an intermediate signed by it.
// Alternate chains share the default intermediate's key and subject, so a
// leaf verifies under every root.
type chain struct {
	root         keyPair
	intermediate keyPair
}

// hierarchy holds the CA's issuing chains; chains[0] is the default.
type hierarchy struct {
	chains []chain
	key    crypto.Signer // intermediate key shared by every chain
}

// randomSerial returns a positive serial with 127 random bits, well above
// the 64 bits CA/Browser Forum rules ask for.
func randomSerial() (*big.Int, error) {
	limit := new(big.Int).Lsh(big.NewInt(1), 127)
	n, err := rand.Int(rand.Reader, limit)
	if err != nil {
		return nil, fmt.Errorf("serial: %w", err)
	}
	return n.Add(n, big.NewInt(1)), nil
}

// newKey returns an ECDSA P-256 key: the CA's own keys use it for speed.
func newKey() (crypto.Signer, error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate key: %w", err)
	}
	return k, nil
}

// sign creates a certificate from tmpl for pub, signed by parent (nil
// means self-signed with key).
func sign(tmpl *x509.Certificate, pub crypto.PublicKey, parent *keyPair,
	key crypto.Signer) (keyPair, error) {
	issuer, signer := tmpl, key
	if parent != nil {
		issuer, signer = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, issuer, pub, signer)
	if err != nil {
		return keyPair{}, fmt.Errorf("create certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return keyPair{}, fmt.Errorf("parse certificate: %w", err)
	}
	return keyPair{cert: cert, der: der, key: key}, nil
}

// caTemplate returns a CA certificate template.
func caTemplate(cn string, now time.Time, pathLen int) (*x509.Certificate, error) {
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	return &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: cn, Organization: []string{"mockca"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(20 * 365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLen:            pathLen,
		MaxPathLenZero:        pathLen == 0,
	}, nil
}

// newRoot returns a self-signed root named cn.
func newRoot(cn string, now time.Time) (keyPair, error) {
	key, err := newKey()
	if err != nil {
		return keyPair{}, err
	}
	tmpl, err := caTemplate(cn, now, -1)
	if err != nil {
		return keyPair{}, err
	}
	return sign(tmpl, key.Public(), nil, key)
}

// newHierarchy builds the default chain and alt cross-signed alternates.
func newHierarchy(now time.Time, alt int) (*hierarchy, error) {
	key, err := newKey()
	if err != nil {
		return nil, err
	}
	h := &hierarchy{key: key}
	for i := 0; i <= alt; i++ {
		root, err := newRoot(fmt.Sprintf("mockca root %d", i), now)
		if err != nil {
			return nil, fmt.Errorf("root %d: %w", i, err)
		}
		tmpl, err := caTemplate("mockca intermediate", now, 0)
		if err != nil {
			return nil, err
		}
		inter, err := sign(tmpl, key.Public(), &root, key)
		if err != nil {
			return nil, fmt.Errorf("intermediate %d: %w", i, err)
		}
		h.chains = append(h.chains, chain{root: root, intermediate: inter})
	}
	return h, nil
}

// pemCert encodes DER as a PEM CERTIFICATE block.
func pemCert(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// newTLSCert builds a TLS root and a leaf for 127.0.0.1, ::1, localhost
// and the extra hosts (names or IP addresses).
func newTLSCert(now time.Time, hosts ...string) (tls.Certificate, []byte, error) {
	root, err := newRoot("mockca TLS root", now)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	key, err := newKey()
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	serial, err := randomSerial()
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "localhost"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(5 * 365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	leaf, err := sign(tmpl, key.Public(), &root, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tc := tls.Certificate{Certificate: [][]byte{leaf.der}, PrivateKey: key, Leaf: leaf.cert}
	return tc, pemCert(root.der), nil
}

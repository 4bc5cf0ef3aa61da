package server_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"net"
	"slices"
	"sync"
	"time"

	"acmeconform/dnsmock"
)

// oidACMEIdentifier is id-pe-acmeIdentifier (RFC 8737 §6.1).
var oidACMEIdentifier = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 1, 31}

// alpnResponder answers tls-alpn-01 validation (RFC 8737 §3): for SNI
// names it was given and ALPN acme-tls/1 it presents a self-signed
// certificate carrying the key authorization digest.
type alpnResponder struct {
	ln    net.Listener
	mu    sync.Mutex
	certs map[string]*tls.Certificate
}

func startALPN(port int) (*alpnResponder, error) {
	r := &alpnResponder{certs: map[string]*tls.Certificate{}}
	ln, err := tls.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port), &tls.Config{
		NextProtos: []string{"acme-tls/1"}, GetCertificate: r.certificate,
	})
	if err != nil {
		return nil, err
	}
	r.ln = ln
	go r.serve()
	return r, nil
}

func (r *alpnResponder) serve() {
	for {
		c, err := r.ln.Accept()
		if err != nil {
			return
		}
		go func() {
			_ = c.SetDeadline(time.Now().Add(5 * time.Second))
			_ = c.(*tls.Conn).Handshake()
			_ = c.Close()
		}()
	}
}

func (r *alpnResponder) certificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	if !slices.Contains(hello.SupportedProtos, "acme-tls/1") {
		return nil, errors.New("tls-alpn responder: client did not offer acme-tls/1")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.certs[hello.ServerName]; ok {
		return c, nil
	}
	return nil, fmt.Errorf("tls-alpn responder: no certificate for %q", hello.ServerName)
}

// AddTLSALPN serves a validation certificate for host.
func (r *alpnResponder) AddTLSALPN(_ context.Context, host, keyAuth string) error {
	c, err := validationCert(host, keyAuth)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.certs[host] = c
	return nil
}

// RemoveTLSALPN stops answering for host.
func (r *alpnResponder) RemoveTLSALPN(_ context.Context, host string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.certs, host)
	return nil
}

// validationCert makes the self-signed certificate of RFC 8737 §3: one
// SAN, the critical acmeIdentifier extension with SHA-256(keyAuth).
func validationCert(host, keyAuth string) (*tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	digest := sha256.Sum256([]byte(keyAuth))
	ext, err := asn1.Marshal(digest[:])
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: host},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames:        []string{host},
		ExtraExtensions: []pkix.Extension{{Id: oidACMEIdentifier, Critical: true, Value: ext}},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

// responders answers http-01 through dnsmock's responder and tls-alpn-01
// through an alpnResponder.
type responders struct {
	*dnsmock.Responder
	*alpnResponder
}

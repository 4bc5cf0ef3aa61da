package mockca

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"acmeconform/acme"
)

// alpnResponder answers tls-alpn-01 (RFC 8737) with certificates made from
// the key authorizations tests register per name.
type alpnResponder struct {
	mu   sync.Mutex
	auth map[string]string // SNI name -> key authorization
	port int
}

func startALPN(t *testing.T) *alpnResponder {
	t.Helper()
	a := &alpnResponder{auth: map[string]string{}}
	cfg := &tls.Config{NextProtos: []string{alpnACME}, GetCertificate: a.certificate}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				_ = c.(*tls.Conn).Handshake()
				c.Close()
			}(c)
		}
	}()
	a.port = ln.Addr().(*net.TCPAddr).Port
	return a
}

func (a *alpnResponder) set(name, keyAuth string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.auth[name] = keyAuth
}

func (a *alpnResponder) certificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	a.mu.Lock()
	ka := a.auth[hello.ServerName]
	a.mu.Unlock()
	sum := sha256.Sum256([]byte(ka))
	val, _ := asn1.Marshal(sum[:])
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "alpn"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames:        []string{hello.ServerName},
		ExtraExtensions: []pkix.Extension{{Id: oidACMEIdentifier, Critical: true, Value: val}}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, err
	}
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

func TestTLSALPN01(t *testing.T) {
	alpn := startALPN(t)
	e := startEnv(t, func(c *Config) {
		p := DefaultProfile()
		p.ChallengeTypes = append(p.ChallengeTypes, acme.ChallengeTLSALPN01)
		c.Profile = &p
		c.TLSALPN01Port = alpn.port
	})
	rc := newRawClient(t, e)
	rc.register()
	good := challengeOutcome(t, rc, acme.Identifier{Type: "dns", Value: "alpn.example.com"},
		acme.ChallengeTLSALPN01, func(tok, ka string) { alpn.set("alpn.example.com", ka) })
	checkOutcome(t, good, "")
	bad := challengeOutcome(t, rc, acme.Identifier{Type: "dns", Value: "alpn2.example.com"},
		acme.ChallengeTLSALPN01, func(tok, ka string) { alpn.set("alpn2.example.com", "wrong") })
	checkOutcome(t, bad, acme.ProblemIncorrectResponse)
}

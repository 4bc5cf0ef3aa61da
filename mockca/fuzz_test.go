package mockca

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"acmeconform/acme"
)

// fuzzSeeds returns valid and nearly valid JWS bodies.
func fuzzSeeds() [][]byte {
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	h := map[string]any{"alg": "ES256", "nonce": "abc", "url": "https://127.0.0.1/new-order",
		"jwk": jwkJSON(k)}
	return [][]byte{
		es256(k, h, []byte(`{"identifiers":[{"type":"dns","value":"a.example"}]}`)),
		es256(k, h, nil),
		[]byte(`{"protected":"e30","payload":"","signature":"AA"}`),
		[]byte(`{"protected":"eyJhbGciOiJub25lIn0","payload":"e30","signature":""}`),
		[]byte(`[]`), []byte(`null`), []byte(`{}`),
	}
}

// FuzzParseJWS feeds arbitrary bytes to the JWS parser: it must never
// panic, and every error must be a problem document.
func FuzzParseJWS(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		_, err := parseJWS(body)
		var p *acme.Problem
		if err != nil && !errors.As(err, &p) {
			t.Fatalf("error is not a problem: %v", err)
		}
	})
}

// FuzzFrontend sends arbitrary bodies through the whole front end to
// several endpoints: no input may produce a 5xx.
func FuzzFrontend(f *testing.F) {
	s, err := New(Config{Seed: 1})
	if err != nil {
		f.Fatal(err)
	}
	h := s.routes()
	paths := []string{pathNewAccount, pathNewOrder, pathRevoke, pathKeyChange, pathAccount + "x"}
	for _, seed := range fuzzSeeds() {
		for i := range paths {
			f.Add(uint8(i), seed)
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		path := paths[int(which)%len(paths)]
		r := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
		r.Header.Set("Content-Type", acme.MediaJOSE)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("%s: HTTP %d: %s", path, w.Code, w.Body.String())
		}
	})
}

// FuzzParseCSR feeds arbitrary DER to the CSR checks: every refusal must
// be a badCSR problem, never a panic.
func FuzzParseCSR(f *testing.F) {
	s, err := New(Config{Seed: 1})
	if err != nil {
		f.Fatal(err)
	}
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	good, _ := x509.CreateCertificateRequest(rand.Reader,
		&x509.CertificateRequest{DNSNames: []string{"a.example"}}, k)
	f.Add(good)
	f.Add([]byte{0x30, 0x03, 0x02, 0x01, 0x00})
	want := []acme.Identifier{{Type: acme.IdentifierDNS, Value: "a.example"}}
	f.Fuzz(func(t *testing.T, der []byte) {
		_, err := s.parseCSR(der, want)
		var p *acme.Problem
		if err != nil && (!errors.As(err, &p) || p.Type != acme.ProblemBadCSR) {
			t.Fatalf("CSR refusal is not badCSR: %v", err)
		}
	})
}

// FuzzCheckIdentifier checks identifier validation never panics and only
// ever accepts names it would put in a certificate.
func FuzzCheckIdentifier(f *testing.F) {
	for _, v := range []string{"a.example", "*.a.example", "xn--bcher-kva.example", "::1", "a..b"} {
		f.Add("dns", v)
	}
	f.Add("ip", "127.0.0.1")
	f.Fuzz(func(t *testing.T, typ, value string) {
		id, p := checkIdentifier(acme.Identifier{Type: typ, Value: value})
		if p != nil || id.Type != acme.IdentifierDNS {
			return
		}
		for _, c := range id.Value {
			if c > 127 || c == ' ' {
				t.Fatalf("accepted %q", id.Value)
			}
		}
	})
}

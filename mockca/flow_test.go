package mockca

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"net/http"
	"testing"
	"time"

	"acmeconform/acme"
)

// newOrder creates an order for dns names and returns its URL and object.
func (rc *rawClient) newOrder(names ...string) (string, acme.Order) {
	rc.t.Helper()
	var ids []acme.Identifier
	for _, n := range names {
		ids = append(ids, acme.Identifier{Type: acme.IdentifierDNS, Value: n})
	}
	resp := rc.post(rc.dir.NewOrder, acme.NewOrderRequest{Identifiers: ids})
	if resp.StatusCode != http.StatusCreated {
		rc.t.Fatalf("newOrder: %v", problemOf(rc.t, resp))
	}
	var o acme.Order
	loc := resp.Header.Get(acme.HeaderLocation)
	decode(rc.t, resp, &o)
	return loc, o
}

// keyAuth returns the key authorization of token for the client's key.
func (rc *rawClient) keyAuth(token string) string {
	tp, _ := thumbprint(jwkOf(rc.key.Public()))
	return token + "." + tp
}

// authorize answers every pending authorization of o with http-01 and
// waits until each is valid.
func (rc *rawClient) authorize(e *testEnv, o acme.Order) {
	rc.t.Helper()
	for _, u := range o.Authorizations {
		var az acme.Authorization
		decode(rc.t, rc.post(u, nil), &az)
		if az.Status == acme.StatusValid {
			continue
		}
		for _, c := range az.Challenges {
			if c.Type == acme.ChallengeHTTP01 {
				if e != nil {
					e.http.set(c.Token, rc.keyAuth(c.Token))
				}
				rc.post(c.URL, struct{}{}).Body.Close()
			}
		}
		rc.waitStatus(u, acme.StatusValid)
	}
}

// waitStatus polls url with POST-as-GET until its status is want.
func (rc *rawClient) waitStatus(url string, want acme.Status) {
	rc.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var v struct{ Status acme.Status }
		decode(rc.t, rc.post(url, nil), &v)
		if v.Status == want {
			return
		}
		if time.Now().After(deadline) {
			rc.t.Fatalf("%s stayed %s, want %s", url, v.Status, want)
		}
		time.Sleep(20 * time.Millisecond) // polling interval, not synchronisation
	}
}

// csrFor returns a CSR for names with a fresh P-256 key.
func csrFor(t testing.TB, names ...string) ([]byte, crypto.Signer) {
	t.Helper()
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	return csrWith(t, k, &x509.CertificateRequest{Subject: pkix.Name{CommonName: names[0]},
		DNSNames: names}), k
}

// csrWith signs tmpl with key.
func csrWith(t testing.TB, key crypto.Signer, tmpl *x509.CertificateRequest) []byte {
	t.Helper()
	der, err := x509.CreateCertificateRequest(rand.Reader, tmpl, key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// finalize posts a CSR to the order's finalize URL.
func (rc *rawClient) finalize(o acme.Order, csr []byte) *http.Response {
	rc.t.Helper()
	return rc.post(o.Finalize, acme.FinalizeRequest{CSR: base64.RawURLEncoding.EncodeToString(csr)})
}

// issue runs an order for names to a valid certificate and returns the
// order URL, the final order and the certificate key.
func (rc *rawClient) issue(e *testEnv, names ...string) (string, acme.Order, crypto.Signer) {
	rc.t.Helper()
	u, o := rc.newOrder(names...)
	rc.authorize(e, o)
	csr, key := csrFor(rc.t, names...)
	resp := rc.finalize(o, csr)
	if resp.StatusCode != http.StatusOK {
		rc.t.Fatalf("finalize: %v", problemOf(rc.t, resp))
	}
	resp.Body.Close()
	rc.waitStatus(u, acme.StatusValid)
	decode(rc.t, rc.post(u, nil), &o)
	return u, o, key
}

// leafOf downloads the order's certificate and returns the parsed leaf.
func (rc *rawClient) leafOf(o acme.Order) *x509.Certificate {
	rc.t.Helper()
	chain := rc.chain(o.Certificate)
	return chain[0]
}

// chain downloads a certificate chain URL.
func (rc *rawClient) chain(url string) []*x509.Certificate {
	rc.t.Helper()
	resp := rc.post(url, nil)
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != acme.MediaPEMChain {
		rc.t.Fatalf("certificate content type %q", ct)
	}
	return parsePEMChain(rc.t, resp)
}

// expectProblem checks resp is a problem of type typ and status.
func expectProblem(t testing.TB, resp *http.Response, status int, typ acme.ProblemType) *acme.Problem {
	t.Helper()
	p := problemOf(t, resp)
	if resp.StatusCode != status || p.Type != typ {
		t.Fatalf("got HTTP %d %s (%s), want %d %s", resp.StatusCode, p.Type.Short(), p.Detail,
			status, typ.Short())
	}
	return p
}

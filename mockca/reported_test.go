package mockca

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"acmeconform/acme"
)

// The tests in this file pin behaviours that public bug reports of ACME
// servers got wrong; each asserts the right value.

// TestErrorNonceIsUsable: an error answer to a POST carries a fresh
// Replay-Nonce (RFC 8555 §6.5) that the next request can spend, also
// after badNonce (§6.5.1).
func TestErrorNonceIsUsable(t *testing.T) {
	e := startEnv(t, nil)
	rc := newRawClient(t, e)
	rc.register()
	tests := []struct {
		name string
		do   func() *http.Response
		typ  acme.ProblemType
	}{
		{"bad identifier", func() *http.Response {
			return rc.post(rc.dir.NewOrder, acme.NewOrderRequest{Identifiers: dnsIDs("a..example")})
		}, acme.ProblemRejectedIdentifier},
		{"badNonce", func() *http.Response {
			return rc.send(rc.dir.NewOrder, withHeader(rc, rc.dir.NewOrder, "nonce", "bm9uZQ"))
		}, acme.ProblemBadNonce},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := tt.do()
			if resp.Header.Get(acme.HeaderNonce) == "" {
				t.Fatal("error without Replay-Nonce")
			}
			expectProblem(t, resp, http.StatusBadRequest, tt.typ)
			// rc.post spends the error's nonce (rawClient.lastNonce).
			resp = rc.post(rc.kid, nil)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("request with the error's nonce: HTTP %d", resp.StatusCode)
			}
		})
	}
}

// TestWrongContentTypeCreatesNothing: a valid newOrder JWS sent as
// application/json or without a Content-Type gets 415 (RFC 8555 §6.2) and
// no order is created.
func TestWrongContentTypeCreatesNothing(t *testing.T) {
	e := startEnv(t, nil)
	rc := newRawClient(t, e)
	rc.register()
	for _, ctype := range []string{"application/json", ""} {
		t.Run("content type "+ctype, func(t *testing.T) {
			body := es256(rc.key, rc.header(rc.dir.NewOrder), orderPayload)
			resp := rc.sendType(rc.dir.NewOrder, ctype, body)
			checkErrorHeaders(t, resp)
			expectProblem(t, resp, http.StatusUnsupportedMediaType, acme.ProblemMalformed)
			var a acme.Account
			decode(t, rc.post(rc.kid, nil), &a)
			var list acme.OrdersList
			decode(t, rc.post(a.Orders, nil), &list)
			if len(list.Orders) != 0 {
				t.Fatalf("orders %v after a refused newOrder", list.Orders)
			}
		})
	}
}

// TestIssuanceFailureInvalidatesOrder: when issuance fails after finalize
// was accepted, the order moves to invalid with an error (RFC 8555
// §7.1.6) instead of staying processing.
func TestIssuanceFailureInvalidatesOrder(t *testing.T) {
	e := startEnv(t, nil)
	rc := newRawClient(t, e)
	rc.register()
	u, o := rc.newOrder("fail.example.com")
	rc.authorize(e, o)
	id := u[strings.LastIndex(u, "/")+1:]
	req := &request{acctID: rc.kid[strings.LastIndex(rc.kid, "/")+1:]}
	req.http, _ = http.NewRequest(http.MethodPost, u, nil)
	req.http.SetPathValue("id", id)
	snap, err := e.ca.readyOrder(req)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.ca.markProcessing(req, snap.id); err != nil {
		t.Fatal(err)
	}
	e.ca.completeOrder(&x509.CertificateRequest{}, snap) // no key: signing fails
	var got acme.Order
	decode(t, rc.post(u, nil), &got)
	if got.Status != acme.StatusInvalid || got.Error == nil ||
		got.Error.Type != acme.ProblemServerInternal {
		t.Fatalf("order %s with error %+v, want invalid with serverInternal", got.Status, got.Error)
	}
}

// TestCSRExtensionOrder: the SAN extension is found wherever it sits in
// the CSR. A profile that issues ignores an extended key usage placed
// before it; a profile that refuses EKUs says so, not that names are
// missing (RFC 8555 §7.4: badCSR with a clear detail).
func TestCSRExtensionOrder(t *testing.T) {
	eku, _ := asn1.Marshal([]asn1.ObjectIdentifier{{1, 3, 6, 1, 5, 5, 7, 3, 1},
		{1, 3, 6, 1, 5, 5, 7, 3, 2}})
	san, _ := asn1.Marshal([]asn1.RawValue{{Class: asn1.ClassContextSpecific, Tag: 2,
		Bytes: []byte("ext.example.com")}})
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	csr := csrWith(t, key, &x509.CertificateRequest{ExtraExtensions: []pkix.Extension{
		{Id: oidExtKeyUsage, Value: eku}, {Id: asn1.ObjectIdentifier{2, 5, 29, 17}, Value: san}}})
	for _, profile := range []string{"letsencrypt", "atlas"} {
		t.Run(profile, func(t *testing.T) {
			e, _ := startPolicyEnv(t, profile, func(p *Profile) { p.EABRequired = false })
			rc := newRawClient(t, e)
			rc.register()
			_, o := rc.newOrder("ext.example.com")
			rc.authorize(e, o)
			resp := rc.finalize(o, csr)
			if profile == "letsencrypt" {
				var done acme.Order
				decode(t, resp, &done)
				if resp.StatusCode != http.StatusOK || done.Status == acme.StatusInvalid {
					t.Fatalf("finalize: HTTP %d, order %s", resp.StatusCode, done.Status)
				}
				return
			}
			p := expectProblem(t, resp, http.StatusBadRequest, acme.ProblemBadCSR)
			if d := strings.ToLower(p.Detail); !strings.Contains(d, "extended key usage") ||
				strings.Contains(d, "missing") {
				t.Fatalf("detail %q should name the extended key usage only", p.Detail)
			}
		})
	}
}

// TestCSRRefusalsLeaveOrderReady: a CSR signed with SHA-1 or holding a
// weak or odd-sized RSA key gets badCSR naming the problem (RFC 8555
// §7.4; badPublicKey is for account keys), and the order stays ready.
func TestCSRRefusalsLeaveOrderReady(t *testing.T) {
	e := startEnv(t, nil)
	rc := newRawClient(t, e)
	rc.register()
	const name = "weak.example.com"
	rsaKey := func(bits int) *rsa.PrivateKey {
		k, err := rsa.GenerateKey(rand.Reader, bits)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	tests := []struct {
		name   string
		csr    []byte
		detail string
	}{
		{"sha1WithRSAEncryption", sha1CSR(t, rsaKey(2048), []string{name}), "sha1"},
		{"RSA-1024", csrWith(t, rsaKey(1024), &x509.CertificateRequest{DNSNames: []string{name}}),
			"rsa1024"},
		{"RSA-2176", csrWith(t, rsaKey(2176), &x509.CertificateRequest{DNSNames: []string{name}}),
			"2176"},
	}
	u, o := rc.newOrder(name)
	rc.authorize(e, o)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := expectProblem(t, rc.finalize(o, tt.csr), http.StatusBadRequest, acme.ProblemBadCSR)
			if !strings.Contains(strings.ToLower(p.Detail), tt.detail) {
				t.Errorf("detail %q does not name %q", p.Detail, tt.detail)
			}
			var got acme.Order
			decode(t, rc.post(u, nil), &got)
			if got.Status != acme.StatusReady {
				t.Fatalf("order is %s after a refused CSR, want ready", got.Status)
			}
		})
	}
}

// TestCSRNamesFromCNAndSAN: the names a CSR requests are its common name
// plus its SANs (RFC 8555 §7.4), so CN=a with SAN=b fits the order [a, b].
func TestCSRNamesFromCNAndSAN(t *testing.T) {
	e := startEnv(t, nil)
	rc := newRawClient(t, e)
	rc.register()
	u, o := rc.newOrder("a.cn.example", "b.cn.example")
	rc.authorize(e, o)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	csr := csrWith(t, key, &x509.CertificateRequest{
		Subject: pkix.Name{CommonName: "a.cn.example"}, DNSNames: []string{"b.cn.example"}})
	resp := rc.finalize(o, csr)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("finalize: %v", problemOf(t, resp))
	}
	resp.Body.Close()
	rc.waitStatus(u, acme.StatusValid)
	decode(t, rc.post(u, nil), &o)
	leaf := rc.leafOf(o)
	got := slices.Sorted(slices.Values(leaf.DNSNames))
	if !slices.Equal(got, []string{"a.cn.example", "b.cn.example"}) {
		t.Fatalf("SANs %v", got)
	}
}

// TestCSRWithULabel: an order in A-labels with a CSR whose SAN holds the
// U-label form gets badCSR, not a server error (RFC 8555 §7.1.4, §7.4).
func TestCSRWithULabel(t *testing.T) {
	e := startEnv(t, nil)
	rc := newRawClient(t, e)
	rc.register()
	u, o := rc.newOrder("xn--bcher-kva.example")
	rc.authorize(e, o)
	san, _ := asn1.Marshal([]asn1.RawValue{
		{Class: asn1.ClassContextSpecific, Tag: 2, Bytes: []byte("bücher.example")}})
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	csr := csrWith(t, key, &x509.CertificateRequest{ExtraExtensions: []pkix.Extension{
		{Id: asn1.ObjectIdentifier{2, 5, 29, 17}, Value: san}}})
	expectProblem(t, rc.finalize(o, csr), http.StatusBadRequest, acme.ProblemBadCSR)
	var got acme.Order
	decode(t, rc.post(u, nil), &got)
	if got.Status != acme.StatusReady {
		t.Fatalf("order is %s after a refused CSR, want ready", got.Status)
	}
}

// TestKeyChangeInnerWithoutNonce: the inner JWS of a key change carries no
// nonce (RFC 8555 §7.3.5); the server accepts it and the account switches
// to the new key.
func TestKeyChangeInnerWithoutNonce(t *testing.T) {
	e := startEnv(t, nil)
	rc := newRawClient(t, e)
	rc.register()
	fresh, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	inner := es256(fresh, map[string]any{"alg": "ES256", "url": rc.dir.KeyChange,
		"jwk": jwkJSON(fresh)}, mustJSON(t, map[string]any{"account": rc.kid,
		"oldKey": jwkJSON(rc.key)}))
	resp := rc.send(rc.dir.KeyChange, es256(rc.key, rc.header(rc.dir.KeyChange), inner))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("keyChange: HTTP %d", resp.StatusCode)
	}
	expectProblem(t, rc.post(rc.kid, nil), http.StatusBadRequest, acme.ProblemMalformed)
	rc.key = fresh
	resp = rc.post(rc.kid, nil)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST-as-GET with the new key: HTTP %d", resp.StatusCode)
	}
}

// mustJSON encodes v.
func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

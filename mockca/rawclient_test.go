package mockca

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"acmeconform/acme"
)

// rawClient builds ACME requests by hand so tests can break any rule.
type rawClient struct {
	t    testing.TB
	http *http.Client
	dir  acme.Directory
	key  *ecdsa.PrivateKey
	kid  string
	// lastNonce is the Replay-Nonce of the last response, used once.
	lastNonce string
}

func newRawClient(t testing.TB, e *testEnv) *rawClient {
	t.Helper()
	return newRawClientFor(t, e.ca.DirectoryURL(), e.ca.TLSRootPEM())
}

// newRawClientFor returns a client of any ACME directory whose HTTPS
// certificate chains to rootPEM.
func newRawClientFor(t testing.TB, dirURL string, rootPEM []byte) *rawClient {
	t.Helper()
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(rootPEM)
	rc := &rawClient{t: t, http: &http.Client{Timeout: 10 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}}
	rc.key, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	resp, err := rc.http.Get(dirURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&rc.dir); err != nil {
		t.Fatal(err)
	}
	return rc
}

// nonce fetches a fresh nonce.
func (rc *rawClient) nonce() string {
	rc.t.Helper()
	if rc.lastNonce != "" {
		n := rc.lastNonce
		rc.lastNonce = ""
		return n
	}
	resp, err := rc.http.Head(rc.dir.NewNonce)
	if err != nil {
		rc.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.Header.Get(acme.HeaderNonce)
}

// jwk returns the public JWK of key as JSON.
func jwkJSON(key crypto.Signer) json.RawMessage {
	b, _ := jose.JSONWebKey{Key: key.Public()}.MarshalJSON()
	return b
}

// es256 signs protected and payload with key into a flattened JWS.
func es256(key *ecdsa.PrivateKey, protected map[string]any, payload []byte) []byte {
	hb, _ := json.Marshal(protected)
	ph := base64.RawURLEncoding.EncodeToString(hb)
	pl := base64.RawURLEncoding.EncodeToString(payload)
	sum := sha256.Sum256([]byte(ph + "." + pl))
	r, s, _ := ecdsa.Sign(rand.Reader, key, sum[:])
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	out, _ := json.Marshal(map[string]string{"protected": ph, "payload": pl,
		"signature": base64.RawURLEncoding.EncodeToString(sig)})
	return out
}

// header returns the usual protected header for url: kid when the client
// has an account, jwk otherwise.
func (rc *rawClient) header(url string) map[string]any {
	h := map[string]any{"alg": "ES256", "nonce": rc.nonce(), "url": url}
	if rc.kid != "" {
		h["kid"] = rc.kid
	} else {
		h["jwk"] = jwkJSON(rc.key)
	}
	return h
}

// send POSTs body with the JOSE content type.
func (rc *rawClient) send(url string, body []byte) *http.Response {
	rc.t.Helper()
	return rc.sendType(url, acme.MediaJOSE, body)
}

func (rc *rawClient) sendType(url, ctype string, body []byte) *http.Response {
	rc.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := rc.http.Do(req)
	if err != nil {
		rc.t.Fatal(err)
	}
	resp.Body = drainCloser{resp.Body}
	rc.lastNonce = resp.Header.Get(acme.HeaderNonce)
	return resp
}

// drainCloser reads the rest of a body before closing it, so the
// connection is reused as a real client's would be.
type drainCloser struct{ io.ReadCloser }

func (d drainCloser) Close() error {
	_, _ = io.Copy(io.Discard, d.ReadCloser)
	return d.ReadCloser.Close()
}

// post signs payload (nil means POST-as-GET) for url and sends it.
func (rc *rawClient) post(url string, payload any) *http.Response {
	rc.t.Helper()
	var pb []byte
	if payload != nil {
		pb, _ = json.Marshal(payload)
	}
	return rc.send(url, es256(rc.key, rc.header(url), pb))
}

// register creates the client's account and remembers its URL.
func (rc *rawClient) register() {
	rc.t.Helper()
	resp := rc.post(rc.dir.NewAccount, map[string]any{"termsOfServiceAgreed": true})
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		rc.t.Fatalf("newAccount: HTTP %d", resp.StatusCode)
	}
	rc.kid = resp.Header.Get(acme.HeaderLocation)
}

// decode reads a JSON body into v and closes it.
func decode(t testing.TB, resp *http.Response, v any) {
	t.Helper()
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
}

// problemOf reads a problem document from resp.
func problemOf(t testing.TB, resp *http.Response) *acme.Problem {
	t.Helper()
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	err := acme.ParseProblem(resp.StatusCode, resp.Header.Get("Content-Type"), b)
	p, ok := err.(*acme.Problem)
	if !ok {
		t.Fatalf("HTTP %d: not a problem document: %v (%s)", resp.StatusCode, err, b)
	}
	if p.Identifier != nil {
		// RFC 8555 §6.7.1: identifiers belong in subproblems only.
		t.Errorf("problem %s carries a top-level identifier", p.Type.Short())
	}
	return p
}

// jwkOf wraps a key as a JWK.
func jwkOf(k any) *jose.JSONWebKey { return &jose.JSONWebKey{Key: k} }

// parsePEMChain parses every CERTIFICATE block of the body.
func parsePEMChain(t testing.TB, resp *http.Response) []*x509.Certificate {
	t.Helper()
	b, _ := io.ReadAll(resp.Body)
	var out []*x509.Certificate
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			break
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		t.Fatal("no certificate in the chain")
	}
	return out
}

// sscanLink parses `<url>;rel="x"`.
func sscanLink(v string, url, rel *string) (int, error) {
	u, r, ok := strings.Cut(v, ">;rel=")
	if !ok || !strings.HasPrefix(u, "<") {
		return 0, nil
	}
	*url, *rel = u[1:], strings.Trim(r, `"`)
	return 2, nil
}

// parsePEMBytes parses every certificate of a PEM bundle.
func parsePEMBytes(t testing.TB, b []byte) []*x509.Certificate {
	t.Helper()
	return parsePEMChain(t, &http.Response{Body: io.NopCloser(bytes.NewReader(b))})
}

package flow

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"acmeconform/suites"
	"acmeconform/suites/probe"
)

func TestDecodeMACKey(t *testing.T) {
	raw := []byte("0123456789abcdef0123456789abcdef~~")
	unpadded := base64.RawURLEncoding.EncodeToString(raw)
	padded := base64.URLEncoding.EncodeToString(raw)
	tests := []struct {
		name    string
		in      string
		wantErr bool
	}{
		{"unpadded", unpadded, false},
		{"padded", padded, false},
		{"surrounding space", " " + unpadded + "\n", false},
		{"standard alphabet", base64.StdEncoding.EncodeToString(raw), true},
		{"not base64", "!!!", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeMACKey(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Errorf("DecodeMACKey(%q) = %x, want an error", tt.in, got)
				}
				return
			}
			if err != nil || !bytes.Equal(got, raw) {
				t.Errorf("DecodeMACKey(%q) = %x, %v; want %x", tt.in, got, err, raw)
			}
		})
	}
}

func TestEABBindingVerifies(t *testing.T) {
	secret := []byte("an-eab-mac-key-of-thirty-two-byt")
	eab := &suites.EAB{KID: "kid-7", HMACKey: base64.URLEncoding.EncodeToString(secret)}
	acct := probe.MustKey(jose.ES256)
	const url = "https://ca.test/new-account"
	jws, err := EABBinding(eab, jose.HS256, acct, url)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := jose.ParseSigned(string(jws.Marshal()), []jose.SignatureAlgorithm{jose.HS256})
	if err != nil {
		t.Fatal(err)
	}
	payload, err := obj.Verify(secret)
	if err != nil {
		t.Fatalf("MAC does not verify with the decoded key: %v", err)
	}
	h := obj.Signatures[0].Protected
	if h.KeyID != "kid-7" || h.ExtraHeaders["url"] != url || h.Nonce != "" {
		t.Errorf("protected header = %+v", h)
	}
	var got jose.JSONWebKey
	if err := json.Unmarshal(payload, &got); err != nil {
		t.Fatal(err)
	}
	want := acct.JWK()
	gt, _ := got.Thumbprint(crypto.SHA256)
	wt, _ := want.Thumbprint(crypto.SHA256)
	if !bytes.Equal(gt, wt) {
		t.Error("binding payload is not the account key")
	}
}

func TestRetryAfter(t *testing.T) {
	f := &Flow{cfg: Config{PollInterval: 100 * time.Millisecond, MaxRetryAfter: 2 * time.Second}}
	tests := []struct {
		name   string
		header string
		want   time.Duration
	}{
		{"absent", "", 100 * time.Millisecond},
		{"seconds", "1", time.Second},
		{"capped", "30", 2 * time.Second},
		{"zero", "0", 100 * time.Millisecond},
		{"garbage", "soon", 100 * time.Millisecond},
		{"past date", "Mon, 02 Jan 2006 15:04:05 GMT", 100 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := &probe.Response{Header: http.Header{}}
			if tt.header != "" {
				resp.Header.Set("Retry-After", tt.header)
			}
			if got := f.retryAfter(resp); got != tt.want {
				t.Errorf("retryAfter(%q) = %v, want %v", tt.header, got, tt.want)
			}
		})
	}
}

func TestParseChain(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr bool
	}{
		{"empty", "", true},
		{"key block", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", true},
		{"broken certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParseChain([]byte(tt.in)); (err != nil) != tt.wantErr {
				t.Errorf("ParseChain error = %v, want error %v", err, tt.wantErr)
			}
		})
	}
}

func TestNewCSRNamesEveryIdentifier(t *testing.T) {
	key, err := NewCertKey()
	if err != nil {
		t.Fatal(err)
	}
	der, err := NewCSR(key, "a.test", "b.test")
	if err != nil {
		t.Fatal(err)
	}
	csr, err := x509.ParseCertificateRequest(der)
	if err != nil {
		t.Fatal(err)
	}
	if len(csr.DNSNames) != 2 || csr.Subject.CommonName != "a.test" {
		t.Errorf("CSR names %v, CN %q", csr.DNSNames, csr.Subject.CommonName)
	}
}

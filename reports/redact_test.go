package reports

import (
	"encoding/base64"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestRedactShapes(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		secret string // must be gone
		keep   string // must stay
	}{
		{"PEM private key", "key:\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADAN\nBgkq\n" +
			"-----END PRIVATE KEY-----\ncert follows", "MIIEvQIBADAN", "cert follows"},
		{"PEM RSA key cut short", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKC",
			"MIIEowIBAAKC", "BEGIN RSA PRIVATE KEY"},
		{"public key stays", "-----BEGIN PUBLIC KEY-----\nMFkwEwYH\n-----END PUBLIC KEY-----",
			"", "MFkwEwYH"},
		{"JWK k member", `{"kty":"oct","k":"Zm9vYmFyYmF6"}`, "Zm9vYmFyYmF6", `"kty":"oct"`},
		{"JWK d member", `{"kty":"EC","crv":"P-256","x":"AAA","d":"c2VjcmV0ZA"}`,
			"c2VjcmV0ZA", `"x":"AAA"`},
		{"JWK quoted in a string", `"{\"kty\":\"oct\",\"k\":\"Zm9vYmFy\"}"`, "Zm9vYmFy",
			`\"kty\"`},
		{"HMAC key member", `{"hmacKey": "abc123def", "kid": "k1"}`, "abc123def", `"kid": "k1"`},
		{"MAC key member", `{"mac_key":"abc123def"}`, "abc123def", "mac_key"},
		{"Authorization header", "GET / HTTP/1.1\nauthorization: Bearer eyJhbGci\nAccept: */*",
			"eyJhbGci", "Accept: */*"},
		{"Authorization in JSON", `{"Authorization":["Basic dXNlcjpwdw=="]}`, "dXNlcjpwdw",
			"Authorization"},
		{"Authorization as Go prints it", "map[Authorization:[Bearer tok123] Accept:[x]]",
			"tok123", "Accept:[x]"},
		{"keyAuthorization stays", `{"keyAuthorization":"tok.thumb"}`, "", "tok.thumb"},
		{"flag with value", "lego --eab --kid k1 --hmac Zm9vYmFy run", "Zm9vYmFy", "run"},
		{"flag with equals", "certbot --eab-hmac-key=Zm9vYmFy -d x", "Zm9vYmFy", "-d x"},
		{"environment assignment", "LEGO_EAB_HMAC=Zm9vYmFy RFC2136_TSIG_SECRET='c2Vj'",
			"c2Vj", "LEGO_EAB_HMAC="},
		{"ini secret", "dns_rfc2136_secret = c2VjcmV0\ndns_rfc2136_name = k.", "c2VjcmV0",
			"dns_rfc2136_name = k."},
		{"plain text stays", "order is ready; finalize with the CSR", "",
			"order is ready; finalize with the CSR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Redact(tt.in)
			if tt.secret != "" && strings.Contains(got, tt.secret) {
				t.Errorf("secret %q left in %q", tt.secret, got)
			}
			if tt.secret != "" && !strings.Contains(got, Redacted) {
				t.Errorf("no %s marker in %q", Redacted, got)
			}
			if !strings.Contains(got, tt.keep) {
				t.Errorf("%q lost from %q", tt.keep, got)
			}
		})
	}
}

func TestRedactorRegisteredSecrets(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef\xfb\xff") // '-' and '_' in base64url
	raw := base64.RawURLEncoding.EncodeToString(key)
	var r Redactor
	r.Add(raw)
	r.Add("")
	r.Add("tsig-secret-value")
	tests := []struct {
		name, in, gone string
	}{
		{"as registered", "uacme -e kid-1:" + raw + " new", raw},
		{"padded", "key " + base64.URLEncoding.EncodeToString(key) + " end",
			base64.URLEncoding.EncodeToString(key)},
		{"standard alphabet", "key " + base64.StdEncoding.EncodeToString(key) + " end",
			base64.StdEncoding.EncodeToString(key)},
		{"free text", "nsupdate -y hmac-sha256:k.:tsig-secret-value", "tsig-secret-value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := r.Redact(tt.in)
			if strings.Contains(got, tt.gone) || !strings.Contains(got, Redacted) {
				t.Errorf("Redact(%q) = %q", tt.in, got)
			}
		})
	}
	if got := r.Redact("nothing here"); got != "nothing here" {
		t.Errorf("Redact changed clean text: %q", got)
	}
	var zero *Redactor
	if got := zero.Redact("Authorization: x"); got != "Authorization: "+Redacted {
		t.Errorf("nil Redactor: %q", got)
	}
}

func TestWritersDoNotChangeTheReport(t *testing.T) {
	r := fixtureReport(t)
	q := find(t, r, "eab-required", targetMock)
	before := q.Evidence[1].Value
	if !strings.Contains(before, fixtureMAC) {
		t.Fatal("the fixture evidence lost its secret; the test would prove nothing")
	}
	if err := WriteJSON(new(strings.Builder), r); err != nil {
		t.Fatal(err)
	}
	if find(t, r, "eab-required", targetMock).Evidence[1].Value != before {
		t.Error("writing redacted the caller's report in place")
	}
}

func TestClipEvidence(t *testing.T) {
	long := strings.Repeat("é", maxEvidenceBytes) // two bytes a rune
	got := clip(long)
	if len(got) > maxEvidenceBytes+64 || !utf8.ValidString(got) {
		t.Errorf("clipped to %d bytes, valid UTF-8 %v", len(got), utf8.ValidString(got))
	}
	if !strings.HasSuffix(got, "more bytes in the JSON report") {
		t.Errorf("clipped text does not say what was cut: %q", got[len(got)-40:])
	}
	if clip("short") != "short" {
		t.Error("short evidence changed")
	}
}

package probe

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	jose "github.com/go-jose/go-jose/v4"
)

// JWS is a JWS in the flattened JSON serialization that RFC 8555 §6.2
// requires: base64url protected header, payload and signature.
type JWS struct {
	Protected string `json:"protected"`
	Payload   string `json:"payload"`
	Signature string `json:"signature"`
}

// Marshal returns the JSON body of the JWS.
func (j *JWS) Marshal() []byte {
	b, _ := json.Marshal(j) // three strings cannot fail to marshal
	return b
}

// Compact returns the JWS in compact serialization (header.payload.sig).
func (j *JWS) Compact() string {
	return j.Protected + "." + j.Payload + "." + j.Signature
}

// Sign signs payload with key using go-jose. The protected header holds
// alg plus every member of header (nonce, url, kid or jwk, ...).
func Sign(key *Key, header map[string]any, payload []byte) (*JWS, error) {
	return signWith(jose.SigningKey{Algorithm: key.Alg, Key: key.Signer}, header, payload)
}

// SignMAC signs payload with an HMAC algorithm and a shared secret, as the
// inner JWS of an external account binding does (RFC 8555 §7.3.4).
func SignMAC(alg jose.SignatureAlgorithm, secret []byte, header map[string]any,
	payload []byte) (*JWS, error) {
	return signWith(jose.SigningKey{Algorithm: alg, Key: secret}, header, payload)
}

func signWith(sk jose.SigningKey, header map[string]any, payload []byte) (*JWS, error) {
	extra := make(map[jose.HeaderKey]any, len(header))
	for k, v := range header {
		extra[jose.HeaderKey(k)] = v
	}
	signer, err := jose.NewSigner(sk, &jose.SignerOptions{ExtraHeaders: extra})
	if err != nil {
		return nil, fmt.Errorf("sign: new signer: %w", err)
	}
	obj, err := signer.Sign(payload)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	var out JWS
	if err := json.Unmarshal([]byte(obj.FullSerialize()), &out); err != nil {
		return nil, fmt.Errorf("sign: reparse serialization: %w", err)
	}
	return &out, nil
}

// Unsigned builds a JWS with alg "none" and an empty signature, which
// RFC 8555 §6.2 forbids.
func Unsigned(header map[string]any, payload []byte) (*JWS, error) {
	h := make(map[string]any, len(header)+1)
	for k, v := range header {
		h[k] = v
	}
	h["alg"] = "none"
	hb, err := json.Marshal(h)
	if err != nil {
		return nil, fmt.Errorf("unsigned jws: header: %w", err)
	}
	return &JWS{Protected: b64(hb), Payload: b64(payload)}, nil
}

// signHMACConfused signs with HS256 using the DER of the account's public
// key as the MAC secret: the classic algorithm-confusion attack that a
// server must refuse (RFC 8555 §6.2: no MAC algorithms for account keys).
func signHMACConfused(key *Key, header map[string]any, payload []byte) (*JWS, error) {
	der, err := x509.MarshalPKIXPublicKey(key.Signer.Public())
	if err != nil {
		return nil, fmt.Errorf("hmac variant: public key: %w", err)
	}
	return SignMAC(jose.HS256, der, header, payload)
}

// DecodeProtected decodes the protected header of a JWS body, for
// recording and for tests.
func DecodeProtected(body []byte) (map[string]any, error) {
	var j JWS
	if err := json.Unmarshal(body, &j); err != nil {
		return nil, fmt.Errorf("decode jws: %w", err)
	}
	raw, err := base64.RawURLEncoding.DecodeString(j.Protected)
	if err != nil {
		return nil, fmt.Errorf("decode protected header: %w", err)
	}
	var h map[string]any
	if err := json.Unmarshal(raw, &h); err != nil {
		return nil, fmt.Errorf("decode protected header json: %w", err)
	}
	return h, nil
}

// errNoUsedNonce is returned for VariantNonceReused before any signed
// request consumed a nonce.
var errNoUsedNonce = errors.New("nonce-reused variant: no nonce has been used yet")

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// breakBase64 inserts characters outside the base64url alphabet (and
// padding) into s.
func breakBase64(s string) string {
	mid := len(s) / 2
	return s[:mid] + "+/=" + strings.Repeat("!", 2) + s[mid:]
}

// padBase64 re-encodes s with '=' padding; a value whose length needs
// no padding gets a lone "=" so the variant always carries one.
func padBase64(s string) string {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return s + "="
	}
	p := base64.URLEncoding.EncodeToString(raw)
	if !strings.HasSuffix(p, "=") {
		p += "="
	}
	return p
}

// flipSignature changes the signature so that it no longer verifies.
func flipSignature(sig string) string {
	raw, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || len(raw) == 0 {
		return b64([]byte("not a signature"))
	}
	raw[len(raw)/2] ^= 0xff
	return b64(raw)
}

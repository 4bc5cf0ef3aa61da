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

// twoSignatures returns the general JSON serialization of first plus a
// second signature by a fresh key of the same algorithm.
func twoSignatures(key *Key, header map[string]any, payload []byte, first *JWS) ([]byte, error) {
	other, err := NewKey(key.Alg)
	if err != nil {
		return nil, err
	}
	second, err := Sign(other, header, payload)
	if err != nil {
		return nil, err
	}
	type sig struct {
		Protected string `json:"protected"`
		Signature string `json:"signature"`
	}
	return json.Marshal(map[string]any{"payload": first.Payload, "signatures": []sig{
		{first.Protected, first.Signature}, {second.Protected, second.Signature}}})
}

// withUnprotected signs without kid and puts kid into the unprotected
// "header" member instead.
func withUnprotected(key *Key, header map[string]any, payload []byte) ([]byte, error) {
	prot := make(map[string]any, len(header))
	for k, v := range header {
		prot[k] = v
	}
	kid := prot["kid"]
	delete(prot, "kid")
	jws, err := Sign(key, prot, payload)
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]any{"protected": jws.Protected, "payload": jws.Payload,
		"signature": jws.Signature, "header": map[string]any{"kid": kid}})
}

// unencoded signs with the RFC 7797 option b64=false: the payload travels
// as plain text and the signature covers it unencoded.
func unencoded(key *Key, header map[string]any, payload []byte) ([]byte, error) {
	h := make(map[string]any, len(header)+2)
	for k, v := range header {
		h[k] = v
	}
	h["b64"], h["crit"] = false, []string{"b64"}
	jws, err := Sign(key, h, payload)
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]string{"protected": jws.Protected,
		"payload": string(payload), "signature": jws.Signature})
}

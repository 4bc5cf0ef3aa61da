package probe

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"

	jose "github.com/go-jose/go-jose/v4"
)

// Key is an account (or certificate) key pair together with the JWS
// algorithm it signs with (RFC 8555 §6.2).
type Key struct {
	// Signer holds the private key.
	Signer crypto.Signer
	// Alg is the JWS algorithm used with the key, e.g. ES256.
	Alg jose.SignatureAlgorithm
}

// NewKey generates a key for one of ES256, ES384, RS256 or EdDSA.
func NewKey(alg jose.SignatureAlgorithm) (*Key, error) {
	var (
		s   crypto.Signer
		err error
	)
	switch alg {
	case jose.ES256:
		s, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case jose.ES384:
		s, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case jose.RS256:
		s, err = rsa.GenerateKey(rand.Reader, 2048)
	case jose.EdDSA:
		_, s, err = ed25519.GenerateKey(rand.Reader)
	default:
		return nil, fmt.Errorf("new key: unsupported algorithm %q", alg)
	}
	if err != nil {
		return nil, fmt.Errorf("new key %s: %w", alg, err)
	}
	return &Key{Signer: s, Alg: alg}, nil
}

// MustKey is NewKey for tests and specs: it panics on failure, which only
// happens when the system random source is broken.
func MustKey(alg jose.SignatureAlgorithm) *Key {
	k, err := NewKey(alg)
	if err != nil {
		panic(err)
	}
	return k
}

// JWK returns the public key as a JSON Web Key.
func (k *Key) JWK() jose.JSONWebKey {
	return jose.JSONWebKey{Key: k.Signer.Public(), Algorithm: string(k.Alg)}
}

// Thumbprint returns the base64url SHA-256 JWK thumbprint (RFC 7638), the
// account part of a key authorization (RFC 8555 §8.1).
func (k *Key) Thumbprint() (string, error) {
	jwk := k.JWK()
	tp, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return "", fmt.Errorf("jwk thumbprint: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(tp), nil
}

// KeyAuthorization returns token "." thumbprint (RFC 8555 §8.1).
func (k *Key) KeyAuthorization(token string) (string, error) {
	tp, err := k.Thumbprint()
	if err != nil {
		return "", err
	}
	return token + "." + tp, nil
}

// DNS01Value returns the TXT record value for a dns-01 challenge: the
// base64url SHA-256 digest of the key authorization (RFC 8555 §8.4).
func DNS01Value(keyAuth string) string {
	sum := sha256.Sum256([]byte(keyAuth))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

package mockca

import (
	"crypto"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"time"
)

// crypto256 is the hash of JWK thumbprints (RFC 7638, RFC 8555 §8.1).
const crypto256 = crypto.SHA256

// newID returns a random, URL-safe object id.
func newID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// newToken returns a challenge token with 128 bits of entropy (RFC 8555
// §8.1, §11.3).
func newToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// decodePayload decodes a JSON payload into v, answering malformed on error.
func decodePayload(payload []byte, v any) error {
	if err := json.Unmarshal(payload, v); err != nil {
		return malformed("payload is not the expected JSON object: %v", err)
	}
	return nil
}

// timePtr returns a pointer to a UTC copy of t, or nil for the zero time.
func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

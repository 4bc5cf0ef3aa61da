package mockca

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// Errors of the credential store. EAB refusals wrap one of the four key
// errors, so the problem detail says which of them applies.
var (
	ErrUnknownCredential = errors.New("no such API credential")
	ErrBadSecret         = errors.New("the API credential's secret does not match")
	ErrMACKeyUnknown     = errors.New("the MAC key id is unknown")
	ErrMACKeyExpired     = errors.New("the MAC key has expired")
	ErrMACKeyUsedUp      = errors.New("the MAC key has been used for all its account bindings")
	ErrMACKeySuperseded  = errors.New("the MAC key was replaced by a newer MAC key of its credential")
)

// credential is a customer's API credential. Its secret is kept only as a
// salted SHA-256 verifier: it can be checked, never read back.
type credential struct {
	id, label string
	salt      []byte
	verifier  [sha256.Size]byte
	created   time.Time
	current   string   // kid of the newest MAC key
	accounts  []string // account ids bound through this credential
}

// macKey is an HMAC key for external account binding (RFC 8555 §7.3.4).
type macKey struct {
	kid, credID     string
	key             []byte
	issued, expires time.Time
	max, used       int
	superseded      bool
}

// credentialStore holds credentials and MAC keys; its own mutex guards it
// and it never takes the object store's lock.
type credentialStore struct {
	mu    sync.Mutex
	creds map[string]*credential
	keys  map[string]*macKey
}

func newCredentialStore() *credentialStore {
	return &credentialStore{creds: map[string]*credential{}, keys: map[string]*macKey{}}
}

// randomB64 returns n random bytes as unpadded base64url.
func randomB64(n int) (string, []byte, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), b, nil
}

func secretVerifier(salt []byte, secret string) [sha256.Size]byte {
	return sha256.Sum256(append(append([]byte(nil), salt...), secret...))
}

// create makes a credential and returns it with its secret.
func (cs *credentialStore) create(label string, now time.Time) (*credential, string, error) {
	id, _, err := randomB64(9)
	if err != nil {
		return nil, "", err
	}
	secret, _, err := randomB64(32)
	if err != nil {
		return nil, "", err
	}
	_, salt, err := randomB64(16)
	if err != nil {
		return nil, "", err
	}
	c := &credential{id: "cred-" + id, label: label, salt: salt, created: now,
		verifier: secretVerifier(salt, secret)}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	cs.creds[c.id] = c
	return c, secret, nil
}

// issueKey checks the credential's secret and issues a MAC key, which
// disables the previous one at once.
func (cs *credentialStore) issueKey(credID, secret string, now time.Time, life time.Duration,
	max int) (*macKey, error) {
	kid, _, err := randomB64(12)
	if err != nil {
		return nil, err
	}
	_, key, err := randomB64(32)
	if err != nil {
		return nil, err
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	c := cs.creds[credID]
	if c == nil {
		return nil, fmt.Errorf("%w: %q", ErrUnknownCredential, credID)
	}
	v := secretVerifier(c.salt, secret)
	if subtle.ConstantTimeCompare(v[:], c.verifier[:]) != 1 {
		return nil, ErrBadSecret
	}
	if old := cs.keys[c.current]; old != nil {
		old.superseded = true
	}
	k := &macKey{kid: "kid-" + kid, credID: c.id, key: key, issued: now,
		expires: now.Add(life), max: max}
	cs.keys[k.kid] = k
	c.current = k.kid
	return k, nil
}

// usable returns why key k cannot bind an account at now, or nil.
func (k *macKey) usable(now time.Time) error {
	switch {
	case k.superseded:
		return ErrMACKeySuperseded
	case now.After(k.expires):
		return fmt.Errorf("%w (it was valid until %s)", ErrMACKeyExpired,
			k.expires.Format(time.RFC3339))
	case k.used >= k.max:
		return fmt.Errorf("%w (%d of %d)", ErrMACKeyUsedUp, k.used, k.max)
	}
	return nil
}

// lookup returns the MAC key bytes of kid if it may bind an account now.
// known is false when the kid is not one of this store's.
func (cs *credentialStore) lookup(kid string, now time.Time) (key []byte, known bool, err error) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	k := cs.keys[kid]
	if k == nil {
		return nil, false, ErrMACKeyUnknown
	}
	if err := k.usable(now); err != nil {
		return nil, true, err
	}
	return k.key, true, nil
}

// bind counts one use of kid for the new account acctID and returns the
// credential it belongs to. The check and the count happen under one lock
// so concurrent binders never exceed the key's limit. known is false for a
// kid that is not this store's (a static key), which is not counted.
func (cs *credentialStore) bind(kid, acctID string, now time.Time) (credID string, known bool,
	err error) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	k := cs.keys[kid]
	if k == nil {
		return "", false, nil
	}
	if err := k.usable(now); err != nil {
		return "", true, err
	}
	k.used++
	c := cs.creds[k.credID]
	c.accounts = append(c.accounts, acctID)
	return c.id, true, nil
}

// card renders the credential's card. Caller holds mu.
func (cs *credentialStore) card(c *credential, now time.Time) CredentialCard {
	out := CredentialCard{ID: c.id, Label: c.label, Created: c.created, Accounts: len(c.accounts)}
	if k := cs.keys[c.current]; k != nil {
		status := "active"
		if err := k.usable(now); err != nil {
			status = keyStatus(err)
		}
		out.MACKey = &MACKeyCard{KID: k.kid, Issued: k.issued, Expires: k.expires,
			Bindings: k.used, RemainingUses: max(k.max-k.used, 0), Status: status}
		if status == "expired" {
			out.MACKey.RemainingUses = 0
		}
	}
	return out
}

// keyStatus names a key error for the card.
func keyStatus(err error) string {
	switch {
	case errors.Is(err, ErrMACKeyExpired):
		return "expired"
	case errors.Is(err, ErrMACKeyUsedUp):
		return "used up"
	case errors.Is(err, ErrMACKeySuperseded):
		return "superseded"
	}
	return "unknown"
}

// cards returns every credential's card, oldest first.
func (cs *credentialStore) cards(now time.Time) []CredentialCard {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	out := make([]CredentialCard, 0, len(cs.creds))
	for _, c := range cs.creds {
		out = append(out, cs.card(c, now))
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.Before(out[j].Created)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// DecodeMACKey decodes an EAB HMAC key given as base64url with or without
// '=' padding (RFC 7515 §2 omits it; some CAs and users add it).
func DecodeMACKey(s string) ([]byte, error) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(strings.TrimSpace(s), "="))
	if err != nil {
		return nil, fmt.Errorf("MAC key is not base64url: %w", err)
	}
	return b, nil
}

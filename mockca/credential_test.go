package mockca

import (
	"encoding/base64"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// newPolicyServer builds (without starting) a CA with the atlas profile on
// a fixed clock.
func newPolicyServer(t *testing.T) (*Server, *FixedClock) {
	t.Helper()
	p, err := LoadProfile("atlas")
	if err != nil {
		t.Fatal(err)
	}
	clock := NewFixedClock(policyStart)
	s, err := New(Config{Profile: p, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	return s, clock
}

func TestMACKeyLifetime(t *testing.T) {
	s, clock := newPolicyServer(t)
	mk, err := s.NewEABKey("lifetime")
	if err != nil {
		t.Fatal(err)
	}
	if !mk.Expires.Equal(policyStart.Add(30 * day)) {
		t.Fatalf("expires %s, want 30 days after issue", mk.Expires)
	}
	clock.Advance(30 * day)
	if _, err := s.eab(mk.KID, ""); err != nil {
		t.Fatalf("at exactly 30 days: %v", err)
	}
	clock.Advance(time.Second)
	if _, err := s.eab(mk.KID, ""); !errors.Is(err, ErrMACKeyExpired) {
		t.Fatalf("at 30 days and 1 s: %v, want expired", err)
	}
	card, _ := s.CredentialCard(mk.CredentialID)
	if card.MACKey.Status != "expired" || card.MACKey.RemainingUses != 0 {
		t.Errorf("card %+v", card.MACKey)
	}
}

func TestMACKeyBindingLimit(t *testing.T) {
	s, _ := newPolicyServer(t)
	mk, _ := s.NewEABKey("limit")
	for i := range 1000 {
		if _, err := s.bindCredential(mk.KID, fmt.Sprint("acct-", i)); err != nil {
			t.Fatalf("binding %d: %v", i+1, err)
		}
	}
	if _, err := s.bindCredential(mk.KID, "acct-1001"); err == nil {
		t.Fatal("the 1001st binding was accepted")
	}
	if _, err := s.eab(mk.KID, ""); !errors.Is(err, ErrMACKeyUsedUp) {
		t.Fatalf("lookup after 1000 bindings: %v", err)
	}
	card, _ := s.CredentialCard(mk.CredentialID)
	if card.MACKey.Bindings != 1000 || card.MACKey.RemainingUses != 0 ||
		card.MACKey.Status != "used up" || card.Accounts != 1000 {
		t.Errorf("card %+v %+v", card, card.MACKey)
	}
}

func TestMACKeyConcurrentBinders(t *testing.T) {
	s, _ := newPolicyServer(t)
	mk, _ := s.NewEABKey("concurrent")
	var mu sync.Mutex
	ok := 0
	var wg sync.WaitGroup
	for g := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 30 {
				if _, err := s.bindCredential(mk.KID, fmt.Sprint(g, "-", i)); err == nil {
					mu.Lock()
					ok++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if ok != 1000 {
		t.Fatalf("%d of 1500 concurrent bindings succeeded, want exactly 1000", ok)
	}
}

func TestNewMACKeyDisablesPrevious(t *testing.T) {
	s, _ := newPolicyServer(t)
	c, err := s.NewCredential("rotate")
	if err != nil {
		t.Fatal(err)
	}
	first, err := s.IssueMACKey(c.ID, c.Secret)
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.IssueMACKey(c.ID, c.Secret)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.eab(first.KID, ""); !errors.Is(err, ErrMACKeySuperseded) {
		t.Errorf("first key after a second was issued: %v", err)
	}
	if _, err := s.eab(second.KID, ""); err != nil {
		t.Errorf("second key: %v", err)
	}
	card, _ := s.CredentialCard(c.ID)
	if card.MACKey.KID != second.KID || card.MACKey.Status != "active" ||
		card.MACKey.RemainingUses != 1000 {
		t.Errorf("card %+v", card.MACKey)
	}
}

func TestCredentialSecret(t *testing.T) {
	s, _ := newPolicyServer(t)
	c, _ := s.NewCredential("secret")
	tests := []struct {
		name     string
		id, secr string
		want     error
	}{
		{"wrong secret", c.ID, c.Secret + "x", ErrBadSecret},
		{"empty secret", c.ID, "", ErrBadSecret},
		{"unknown credential", "cred-none", c.Secret, ErrUnknownCredential},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.IssueMACKey(tt.id, tt.secr); !errors.Is(err, tt.want) {
				t.Errorf("IssueMACKey: %v, want %v", err, tt.want)
			}
		})
	}
	for _, card := range s.Credentials() {
		if card.ID == c.ID && card.MACKey != nil {
			t.Errorf("a refused request issued a key: %+v", card.MACKey)
		}
	}
}

func TestMACKeyEncodings(t *testing.T) {
	s, _ := newPolicyServer(t)
	mk, _ := s.NewEABKey("encodings")
	if len(mk.HMACKey) != 43 || mk.HMACKeyPadded != mk.HMACKey+"=" {
		t.Fatalf("hmacKey %q, padded %q", mk.HMACKey, mk.HMACKeyPadded)
	}
	a, err1 := DecodeMACKey(mk.HMACKey)
	b, err2 := DecodeMACKey(mk.HMACKeyPadded)
	stored, _ := s.eab(mk.KID, "")
	if err1 != nil || err2 != nil || string(a) != string(b) || string(a) != string(stored) {
		t.Fatalf("padded and unpadded differ: %v %v", err1, err2)
	}
	if _, err := DecodeMACKey("not base64!"); err == nil {
		t.Error("garbage decoded")
	}
	if _, err := DecodeMACKey(base64.StdEncoding.EncodeToString([]byte{0xfb, 0xff})); err == nil {
		t.Error("standard-alphabet key decoded as base64url")
	}
}

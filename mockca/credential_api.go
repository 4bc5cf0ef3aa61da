package mockca

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"acmeconform/acme"
)

// Credential is a customer's API credential. Secret is set only in the
// answer that creates it: the CA keeps a verifier, never the secret.
type Credential struct {
	ID      string    `json:"id"`
	Label   string    `json:"label,omitempty"`
	Secret  string    `json:"secret,omitempty"`
	Created time.Time `json:"created"`
}

// MACKey is an external account binding key (RFC 8555 §7.3.4) as shown
// once at issue: the key id and the HMAC key as base64url, unpadded and
// padded (clients must accept both and get the same bytes).
type MACKey struct {
	KID           string    `json:"kid"`
	HMACKey       string    `json:"hmacKey"`
	HMACKeyPadded string    `json:"hmacKeyPadded"`
	CredentialID  string    `json:"credentialId"`
	Issued        time.Time `json:"issued"`
	Expires       time.Time `json:"expires"`
	MaxBindings   int       `json:"maxBindings"`
}

// CredentialCard is what a customer can read back about a credential:
// never its secret or MAC key, only their state.
type CredentialCard struct {
	ID       string      `json:"id"`
	Label    string      `json:"label,omitempty"`
	Created  time.Time   `json:"created"`
	Accounts int         `json:"accounts"`
	MACKey   *MACKeyCard `json:"macKey,omitempty"`
}

// MACKeyCard is the state of a credential's newest MAC key.
type MACKeyCard struct {
	KID           string    `json:"kid"`
	Issued        time.Time `json:"issued"`
	Expires       time.Time `json:"expires"`
	Bindings      int       `json:"bindings"`
	RemainingUses int       `json:"remainingUses"`
	// Status is "active", "expired", "used up" or "superseded".
	Status string `json:"status"`
}

// NewCredential creates an API credential; the returned Secret is the only
// copy.
func (s *Server) NewCredential(label string) (Credential, error) {
	c, secret, err := s.policy.creds.create(label, s.clock.Now())
	if err != nil {
		return Credential{}, fmt.Errorf("new credential: %w", err)
	}
	return Credential{ID: c.id, Label: label, Secret: secret, Created: c.created}, nil
}

// IssueMACKey issues a MAC key for the credential, authenticated by its
// secret. The key is valid for the profile's MAC key lifetime (30 days)
// by the CA clock and for its binding limit (1000); the credential's
// previous key stops working at once.
func (s *Server) IssueMACKey(credentialID, secret string) (MACKey, error) {
	k, err := s.policy.creds.issueKey(credentialID, secret, s.clock.Now(),
		s.profile.macKeyLifetime(), s.profile.macKeyMaxBindings())
	if err != nil {
		return MACKey{}, fmt.Errorf("issue MAC key: %w", err)
	}
	return MACKey{KID: k.kid, HMACKey: base64.RawURLEncoding.EncodeToString(k.key),
		HMACKeyPadded: base64.URLEncoding.EncodeToString(k.key), CredentialID: k.credID,
		Issued: k.issued, Expires: k.expires, MaxBindings: k.max}, nil
}

// NewEABKey creates a credential labelled label and issues its first MAC
// key: one call for harnesses that need a fresh key.
func (s *Server) NewEABKey(label string) (MACKey, error) {
	c, err := s.NewCredential(label)
	if err != nil {
		return MACKey{}, err
	}
	return s.IssueMACKey(c.ID, c.Secret)
}

// CredentialCard returns the card of credential id.
func (s *Server) CredentialCard(id string) (CredentialCard, error) {
	cs := s.policy.creds
	cs.mu.Lock()
	defer cs.mu.Unlock()
	c := cs.creds[id]
	if c == nil {
		return CredentialCard{}, fmt.Errorf("%w: %q", ErrUnknownCredential, id)
	}
	return cs.card(c, s.clock.Now()), nil
}

// Credentials returns the card of every credential, oldest first.
func (s *Server) Credentials() []CredentialCard {
	return s.policy.creds.cards(s.clock.Now())
}

// eabLookup finds the MAC key of kid: the credential store's keys first,
// then the configured lookup (static keys). Refusals say why (RFC 8555
// §7.3.4: the server answers unauthorized).
func (s *Server) eabLookup(static EABKeyLookup) EABKeyLookup {
	return func(kid, acctURL string) ([]byte, error) {
		key, known, err := s.policy.creds.lookup(kid, s.clock.Now())
		if known || static == nil {
			return key, err
		}
		return static(kid, acctURL)
	}
}

// bindCredential counts the binding of a new account through kid and
// returns the customer the account belongs to. Caller holds the store
// lock, so the account is created exactly when the use is counted.
func (s *Server) bindCredential(kid, acctID string) (string, error) {
	if kid == "" {
		return "", nil
	}
	cred, known, err := s.policy.creds.bind(kid, acctID, s.clock.Now())
	if err != nil {
		return "", acme.NewProblem(acme.ProblemUnauthorized,
			"external account key %q refused: %v", kid, err)
	}
	if !known {
		return "", nil
	}
	s.misUncount(kid)
	return cred, nil
}

// credentialRoutes adds the credential endpoints to the management API.
func (s *Server) credentialRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /credentials", s.mgmtNewCredential)
	mux.HandleFunc("GET /credentials", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.Credentials())
	})
	mux.HandleFunc("GET /credentials/{id}", func(w http.ResponseWriter, r *http.Request) {
		card, err := s.CredentialCard(r.PathValue("id"))
		if err != nil {
			mgmtError(w, http.StatusNotFound, err.Error())
			return
		}
		writeJSON(w, http.StatusOK, card)
	})
	mux.HandleFunc("POST /credentials/{id}/mac-key", s.mgmtIssueMACKey)
}

// credentialRequest is the body of the credential endpoints.
type credentialRequest struct {
	Label  string `json:"label"`
	Secret string `json:"secret"`
}

// readCredentialRequest decodes an optional JSON body.
func readCredentialRequest(w http.ResponseWriter, r *http.Request) (credentialRequest, bool) {
	var b credentialRequest
	err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&b)
	if err != nil && !errors.Is(err, io.EOF) {
		mgmtError(w, http.StatusBadRequest, "body: "+err.Error())
		return b, false
	}
	return b, true
}

func (s *Server) mgmtNewCredential(w http.ResponseWriter, r *http.Request) {
	b, ok := readCredentialRequest(w, r)
	if !ok {
		return
	}
	c, err := s.NewCredential(b.Label)
	if err != nil {
		mgmtError(w, http.StatusInternalServerError, "could not create a credential")
		return
	}
	writeJSON(w, http.StatusCreated, c)
}

func (s *Server) mgmtIssueMACKey(w http.ResponseWriter, r *http.Request) {
	b, ok := readCredentialRequest(w, r)
	if !ok {
		return
	}
	k, err := s.IssueMACKey(r.PathValue("id"), b.Secret)
	switch {
	case errors.Is(err, ErrUnknownCredential):
		mgmtError(w, http.StatusNotFound, err.Error())
	case errors.Is(err, ErrBadSecret):
		mgmtError(w, http.StatusForbidden, err.Error())
	case err != nil:
		mgmtError(w, http.StatusInternalServerError, "could not issue a MAC key")
	default:
		writeJSON(w, http.StatusCreated, k)
	}
}

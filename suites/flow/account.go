package flow

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	jose "github.com/go-jose/go-jose/v4"

	"acmeconform/acme"
	"acmeconform/suites"
	"acmeconform/suites/probe"
)

// Account is an ACME account the harness holds.
type Account struct {
	// Key is the account key.
	Key *probe.Key
	// URL is the account URL, used as kid (RFC 8555 §6.2).
	URL string
	// Object is the account object the server returned.
	Object acme.Account
}

// AccountOptions tunes CreateAccount. The zero value makes an ES256 key,
// agrees to the terms and uses the target's EAB credentials if any.
type AccountOptions struct {
	// Key is the account key; nil generates an ES256 key.
	Key *probe.Key
	// Contact lists contact URLs.
	Contact []string
	// EAB overrides the target's credentials.
	EAB *suites.EAB
	// NoEAB sends no binding even when the target has credentials.
	NoEAB bool
	// OnlyReturnExisting asks for a lookup only (RFC 8555 §7.3.1).
	OnlyReturnExisting bool
	// RefuseTerms leaves termsOfServiceAgreed out (RFC 8555 §7.3).
	RefuseTerms bool
}

// NewAccount creates an account with default options and fails unless the
// server answers 201 or 200 with a Location.
func (f *Flow) NewAccount(ctx context.Context) (*Account, error) {
	acct, resp, err := f.CreateAccount(ctx, AccountOptions{})
	if err != nil {
		return nil, err
	}
	if err := resp.Err(); err != nil {
		return nil, fmt.Errorf("new account: %w", err)
	}
	if acct.URL == "" {
		return nil, fmt.Errorf("new account: HTTP %d without Location", resp.Status)
	}
	return acct, nil
}

// CreateAccount sends one newAccount request (RFC 8555 §7.3) and returns
// what it got, including error responses, for specs to judge.
func (f *Flow) CreateAccount(ctx context.Context, o AccountOptions) (*Account,
	*probe.Response, error) {
	dir, err := f.p.Directory(ctx)
	if err != nil {
		return nil, nil, err
	}
	key := o.Key
	if key == nil {
		if key, err = probe.NewKey(jose.ES256); err != nil {
			return nil, nil, err
		}
	}
	req := map[string]any{}
	if !o.RefuseTerms {
		req["termsOfServiceAgreed"] = true
	}
	if len(o.Contact) > 0 {
		req["contact"] = o.Contact
	}
	if o.OnlyReturnExisting {
		req["onlyReturnExisting"] = true
	}
	eab := o.EAB
	if eab == nil && !o.NoEAB {
		eab = f.t.EAB
	}
	if eab != nil && !o.OnlyReturnExisting {
		f.p.AddSecret(eab.HMACKey)
		bind, err := EABBinding(eab, jose.HS256, key, dir.NewAccount)
		if err != nil {
			return nil, nil, err
		}
		req["externalAccountBinding"] = bind
	}
	resp, err := f.postJSON(ctx, dir.NewAccount, key, "", req)
	if err != nil {
		return nil, nil, fmt.Errorf("new account: %w", err)
	}
	acct := &Account{Key: key, URL: resp.Location()}
	if resp.Status == http.StatusOK || resp.Status == http.StatusCreated {
		_ = resp.Decode(&acct.Object) // specs check the object themselves
	}
	return acct, resp, nil
}

// EABBinding builds the externalAccountBinding member of a newAccount
// payload (RFC 8555 §7.3.4): a JWS over the account's public JWK, MACed
// with the CA-issued key, carrying kid and url and no nonce.
func EABBinding(eab *suites.EAB, alg jose.SignatureAlgorithm, acctKey *probe.Key,
	url string) (*probe.JWS, error) {
	secret, err := DecodeMACKey(eab.HMACKey)
	if err != nil {
		return nil, err
	}
	jwk := acctKey.JWK()
	payload, err := json.Marshal(&jwk)
	if err != nil {
		return nil, fmt.Errorf("eab: encode account key: %w", err)
	}
	hdr := map[string]any{"kid": eab.KID, "url": url}
	jws, err := probe.SignMAC(alg, secret, hdr, payload)
	if err != nil {
		return nil, fmt.Errorf("eab: %w", err)
	}
	return jws, nil
}

// DecodeMACKey decodes an EAB MAC key given as base64url with or without
// padding (RFC 7515 §2): both forms give the same bytes.
func DecodeMACKey(s string) ([]byte, error) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(strings.TrimSpace(s), "="))
	if err != nil {
		return nil, fmt.Errorf("eab: MAC key is not base64url: %w", err)
	}
	return b, nil
}

// FetchAccount reads the account with POST-as-GET (RFC 8555 §7.3).
func (f *Flow) FetchAccount(ctx context.Context, acct *Account) (*acme.Account,
	*probe.Response, error) {
	resp, err := f.post(ctx, acct.Request(acct.URL, nil))
	if err != nil {
		return nil, nil, fmt.Errorf("fetch account: %w", err)
	}
	if err := resp.Err(); err != nil {
		return nil, resp, fmt.Errorf("fetch account: %w", err)
	}
	var a acme.Account
	if err := resp.Decode(&a); err != nil {
		return nil, resp, fmt.Errorf("fetch account: %w", err)
	}
	return &a, resp, nil
}

// Request returns a well-formed signed request to url by the account
// (kid form); nil payload means POST-as-GET.
func (a *Account) Request(url string, payload []byte) probe.Request {
	return probe.Request{URL: url, Payload: payload, Key: a.Key, KID: a.URL}
}

package flow

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"

	"acmeconform/acme"
	"acmeconform/suites/probe"
)

// Issued is a certificate the flow obtained.
type Issued struct {
	Order *Order
	// Key is the certificate's private key.
	Key crypto.Signer
	// Chain is the downloaded chain, leaf first.
	Chain []*x509.Certificate
	// PEM is the chain as downloaded.
	PEM []byte
}

// NewCSR returns a DER CSR for names (all in the SAN extension, the first
// also as the common name) signed by key with SHA-256.
func NewCSR(key crypto.Signer, names ...string) ([]byte, error) {
	tmpl := &x509.CertificateRequest{DNSNames: names}
	if len(names) > 0 {
		tmpl.Subject = pkix.Name{CommonName: names[0]}
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, tmpl, key)
	if err != nil {
		return nil, fmt.Errorf("create csr: %w", err)
	}
	return der, nil
}

// NewCertKey returns a fresh P-256 certificate key.
func NewCertKey() (crypto.Signer, error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("certificate key: %w", err)
	}
	return k, nil
}

// SendFinalize posts the CSR to the order's finalize URL (RFC 8555 §7.4)
// and returns the raw response.
func (f *Flow) SendFinalize(ctx context.Context, acct *Account, o *Order,
	csr []byte) (*probe.Response, error) {
	req := acme.FinalizeRequest{CSR: base64.RawURLEncoding.EncodeToString(csr)}
	resp, err := f.postJSON(ctx, o.Finalize, acct.Key, acct.URL, req)
	if err != nil {
		return nil, fmt.Errorf("finalize: %w", err)
	}
	return resp, nil
}

// Finalize posts the CSR and waits until the order is valid. An order
// still processing when PollTimeout runs out is a PreconditionError for
// ReqOrderValid: the specs that needed a certificate are inconclusive, and
// the spec of that requirement fails.
func (f *Flow) Finalize(ctx context.Context, acct *Account, o *Order,
	csr []byte) (*Order, error) {
	resp, err := f.SendFinalize(ctx, acct, o, csr)
	if err != nil {
		return nil, err
	}
	if err := resp.Err(); err != nil {
		return nil, fmt.Errorf("finalize: %w", err)
	}
	done, err := f.waitOrder(ctx, acct, o.URL, acme.StatusValid)
	if err != nil && done.Status == acme.StatusProcessing &&
		errors.Is(err, context.DeadlineExceeded) {
		return nil, &PreconditionError{Requirement: ReqOrderValid,
			Err: fmt.Errorf("order %s still processing %s after finalize: %w", o.URL,
				f.cfg.PollTimeout, err)}
	}
	if err != nil {
		return nil, err
	}
	if done.Status != acme.StatusValid {
		return done, fmt.Errorf("finalize: order ended %s", done.Status)
	}
	return done, nil
}

// Download fetches a certificate chain with POST-as-GET (RFC 8555 §7.4.2).
func (f *Flow) Download(ctx context.Context, acct *Account,
	url string) ([]*x509.Certificate, []byte, error) {
	resp, err := f.post(ctx, probe.Request{URL: url, Key: acct.Key, KID: acct.URL,
		Accept: acme.MediaPEMChain})
	if err != nil {
		return nil, nil, fmt.Errorf("download: %w", err)
	}
	if err := resp.Err(); err != nil {
		return nil, nil, fmt.Errorf("download: %w", err)
	}
	chain, err := ParseChain(resp.Body)
	if err != nil {
		return nil, resp.Body, fmt.Errorf("download: %w", err)
	}
	return chain, resp.Body, nil
}

// ParseChain decodes a PEM chain and refuses anything but CERTIFICATE
// blocks (RFC 8555 §7.4.2, RFC 7468).
func ParseChain(b []byte) ([]*x509.Certificate, error) {
	var chain []*x509.Certificate
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			break
		}
		if blk.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("pem chain: unexpected block %q", blk.Type)
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			return nil, fmt.Errorf("pem chain: %w", err)
		}
		chain = append(chain, c)
	}
	if len(chain) == 0 {
		return nil, errors.New("pem chain: no certificate")
	}
	return chain, nil
}

// Issue runs the whole issuance for names: order, authorizations,
// finalize with a fresh key, download.
func (f *Flow) Issue(ctx context.Context, acct *Account, names ...string) (*Issued, error) {
	o, err := f.ReadyOrder(ctx, acct, names...)
	if err != nil {
		return nil, err
	}
	key, err := NewCertKey()
	if err != nil {
		return nil, err
	}
	csr, err := NewCSR(key, names...)
	if err != nil {
		return nil, err
	}
	if o, err = f.Finalize(ctx, acct, o, csr); err != nil {
		return nil, err
	}
	chain, raw, err := f.Download(ctx, acct, o.Certificate)
	if err != nil {
		return nil, err
	}
	return &Issued{Order: o, Key: key, Chain: chain, PEM: raw}, nil
}

// SendRevoke sends revokeCert (RFC 8555 §7.6) signed by the account, or by
// certKey (jwk form) when it is not nil, and returns the raw response.
func (f *Flow) SendRevoke(ctx context.Context, acct *Account, certKey *probe.Key,
	cert *x509.Certificate, reason *int) (*probe.Response, error) {
	dir, err := f.p.Directory(ctx)
	if err != nil {
		return nil, err
	}
	req := acme.RevokeRequest{
		Certificate: base64.RawURLEncoding.EncodeToString(cert.Raw), Reason: reason,
	}
	var resp *probe.Response
	if certKey != nil {
		resp, err = f.postJSON(ctx, dir.RevokeCert, certKey, "", req)
	} else {
		resp, err = f.postJSON(ctx, dir.RevokeCert, acct.Key, acct.URL, req)
	}
	if err != nil {
		return nil, fmt.Errorf("revoke: %w", err)
	}
	return resp, nil
}

// Revoke revokes cert with the account key and fails on any error.
func (f *Flow) Revoke(ctx context.Context, acct *Account, cert *x509.Certificate,
	reason *int) error {
	resp, err := f.SendRevoke(ctx, acct, nil, cert, reason)
	if err != nil {
		return err
	}
	if err := resp.Err(); err != nil {
		return fmt.Errorf("revoke: %w", err)
	}
	return nil
}

package bench

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"fmt"

	"golang.org/x/crypto/acme"
)

// errNoHTTP01 reports an authorization that offers no http-01 challenge.
var errNoHTTP01 = errors.New("no http-01 challenge offered")

// issue runs one full issuance for name: new order, each authorization
// answered by http-01, finalize, download (RFC 8555 §7.4, §8.3).
func (w *worker) issue(ctx context.Context, name string) error {
	o, err := w.plain.AuthorizeOrder(ctx, acme.DomainIDs(name))
	if err != nil {
		return fmt.Errorf("new order: %w", err)
	}
	return w.finish(ctx, o, name)
}

// finish authorizes, finalizes and downloads the certificate of order o.
func (w *worker) finish(ctx context.Context, o *acme.Order, name string) error {
	for _, u := range o.AuthzURLs {
		if err := w.authorize(ctx, u); err != nil {
			return err
		}
	}
	csr, err := x509.CreateCertificateRequest(rand.Reader,
		&x509.CertificateRequest{DNSNames: []string{name}}, w.certKey)
	if err != nil {
		return fmt.Errorf("make CSR: %w", err)
	}
	chain, _, err := w.poll.CreateCertFromOrder(ctx, o, csr, true)
	if err != nil {
		return fmt.Errorf("finalize: %w", err)
	}
	if len(chain) == 0 {
		return errors.New("download: empty chain")
	}
	leaf, err := x509.ParseCertificate(chain[0])
	if err != nil {
		return fmt.Errorf("download: %w", err)
	}
	if err := leaf.VerifyHostname(name); err != nil {
		return fmt.Errorf("download: %w", err)
	}
	return nil
}

// authorize answers the http-01 challenge of one authorization and waits
// until it is valid.
func (w *worker) authorize(ctx context.Context, url string) error {
	a, err := w.plain.GetAuthorization(ctx, url)
	if err != nil {
		return fmt.Errorf("get authorization: %w", err)
	}
	if a.Status == acme.StatusValid {
		return nil
	}
	var ch *acme.Challenge
	for _, c := range a.Challenges {
		if c.Type == "http-01" {
			ch = c
		}
	}
	if ch == nil {
		return errNoHTTP01
	}
	keyAuth, err := w.plain.HTTP01ChallengeResponse(ch.Token)
	if err != nil {
		return fmt.Errorf("key authorization: %w", err)
	}
	if err := w.resp.AddToken(ctx, ch.Token, keyAuth); err != nil {
		return fmt.Errorf("publish token: %w", err)
	}
	defer w.resp.RemoveToken(context.WithoutCancel(ctx), ch.Token)
	if _, err := w.plain.Accept(ctx, ch); err != nil {
		return fmt.Errorf("accept challenge: %w", err)
	}
	if _, err := w.poll.WaitAuthorization(ctx, url); err != nil {
		return fmt.Errorf("wait for authorization: %w", err)
	}
	return nil
}

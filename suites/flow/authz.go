package flow

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"acmeconform/acme"
	"acmeconform/suites/probe"
)

// Authorize answers every pending authorization of the order and waits for
// each to become valid (RFC 8555 §7.5).
func (f *Flow) Authorize(ctx context.Context, acct *Account, o *Order) error {
	for _, url := range o.Authorizations {
		if err := f.Solve(ctx, acct, url); err != nil {
			return err
		}
	}
	return nil
}

// PickChallenge returns the challenge of authz the harness answers:
// http-01 when the target has an http-01 responder, else dns-01 when it
// has DNS control. It returns ErrNoSolver when neither fits.
func (f *Flow) PickChallenge(a *acme.Authorization) (*acme.Challenge, error) {
	var types []string
	if f.t.HTTP01 != nil && !a.Wildcard {
		types = append(types, acme.ChallengeHTTP01)
	}
	if f.t.DNS != nil {
		types = append(types, acme.ChallengeDNS01)
	}
	for _, typ := range types {
		for i := range a.Challenges {
			if a.Challenges[i].Type == typ {
				return &a.Challenges[i], nil
			}
		}
	}
	return nil, fmt.Errorf("authz for %s: %w", a.Identifier.Value, ErrNoSolver)
}

// Solve answers one authorization unless it is already valid, then waits
// until it is valid. The published record is removed afterwards.
func (f *Flow) Solve(ctx context.Context, acct *Account, authzURL string) error {
	a, err := f.FetchAuthz(ctx, acct, authzURL)
	if err != nil {
		return err
	}
	if a.Status == acme.StatusValid {
		return nil
	}
	ch, err := f.PickChallenge(a)
	if err != nil && f.t.IsValidated(orderName(a)) {
		return fmt.Errorf("authz %s for %s is %s: %w", authzURL, orderName(a), a.Status,
			ErrNotReused)
	}
	if err != nil {
		return err
	}
	undo, err := f.Publish(ctx, acct, a, ch)
	if err != nil {
		return err
	}
	defer undo()
	if err := f.Respond(ctx, acct, ch.URL); err != nil {
		return err
	}
	a, err = f.WaitAuthz(ctx, acct, authzURL)
	if err != nil {
		return err
	}
	if a.Status != acme.StatusValid {
		return fmt.Errorf("authz %s ended %s: %w", authzURL, a.Status, challengeError(a))
	}
	return nil
}

// orderName is the name an order lists for a: "*.name" for a wildcard.
func orderName(a *acme.Authorization) string {
	if a.Wildcard {
		return "*." + a.Identifier.Value
	}
	return a.Identifier.Value
}

// Publish puts the key authorization for ch where the CA will look
// (RFC 8555 §8.3, §8.4) and returns a function that removes it.
func (f *Flow) Publish(ctx context.Context, acct *Account, a *acme.Authorization,
	ch *acme.Challenge) (func(), error) {
	keyAuth, err := acct.Key.KeyAuthorization(ch.Token)
	if err != nil {
		return nil, err
	}
	switch ch.Type {
	case acme.ChallengeHTTP01:
		if err := f.t.HTTP01.AddToken(ctx, ch.Token, keyAuth); err != nil {
			return nil, fmt.Errorf("publish http-01 token: %w", err)
		}
		return func() { _ = f.t.HTTP01.RemoveToken(context.Background(), ch.Token) }, nil
	case acme.ChallengeDNS01:
		fqdn := "_acme-challenge." + strings.TrimPrefix(a.Identifier.Value, "*.") + "."
		if err := f.t.DNS.AddTXT(ctx, fqdn, probe.DNS01Value(keyAuth)); err != nil {
			return nil, fmt.Errorf("publish dns-01 record: %w", err)
		}
		return func() { _ = f.t.DNS.ClearTXT(context.Background(), fqdn) }, nil
	}
	return nil, fmt.Errorf("publish %s: %w", ch.Type, ErrNoSolver)
}

// Respond tells the server a challenge is ready (POST {} to its URL,
// RFC 8555 §7.5.1).
func (f *Flow) Respond(ctx context.Context, acct *Account, chURL string) error {
	resp, err := f.post(ctx, acct.Request(chURL, []byte("{}")))
	if err != nil {
		return fmt.Errorf("respond to challenge: %w", err)
	}
	if err := resp.Err(); err != nil {
		return fmt.Errorf("respond to challenge: %w", err)
	}
	return nil
}

// WaitAuthz polls an authorization until it leaves pending.
func (f *Flow) WaitAuthz(ctx context.Context, acct *Account,
	url string) (*acme.Authorization, error) {
	var a acme.Authorization
	err := f.poll(ctx, acct, url, &a, func() bool { return a.Status != acme.StatusPending })
	if err != nil {
		return nil, fmt.Errorf("wait authz: %w", err)
	}
	return &a, nil
}

// WaitChallenge polls a challenge until it is valid or invalid or carries
// an error, for at most within. A server may keep a failed challenge
// pending while it retries, but it reports the error in the challenge
// (RFC 8555 §7.5.1, §8), so the error ends the wait as well.
func (f *Flow) WaitChallenge(ctx context.Context, acct *Account, url string,
	within time.Duration) (*acme.Challenge, error) {
	ctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	var c acme.Challenge
	err := f.poll(ctx, acct, url, &c, func() bool {
		return c.Status == acme.StatusValid || c.Status == acme.StatusInvalid || c.Error != nil
	})
	if err != nil {
		return nil, fmt.Errorf("wait challenge: %w", err)
	}
	return &c, nil
}

// SettleAuthz polls an authorization until it leaves pending for at most
// within, then returns it as it is: after its challenge has finished, an
// authorization that stays pending is the server's answer, not a reason
// to wait longer.
func (f *Flow) SettleAuthz(ctx context.Context, acct *Account, url string,
	within time.Duration) (*acme.Authorization, error) {
	wctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	a, err := f.WaitAuthz(wctx, acct, url)
	if err != nil && wctx.Err() != nil && ctx.Err() == nil {
		return f.FetchAuthz(ctx, acct, url)
	}
	return a, err
}

// challengeError returns the error of the first failed challenge, or a
// plain error when the server gave none.
func challengeError(a *acme.Authorization) error {
	for _, c := range a.Challenges {
		if c.Error != nil {
			return c.Error
		}
	}
	return errors.New("no challenge error given")
}

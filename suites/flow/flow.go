// Package flow is the high-level ACME client the server specs use for the
// steps they do not test themselves: creating accounts (with external
// account binding when the target needs it), getting orders to valid
// authorizations through the harness's http-01 or dns-01 responders,
// finalizing, downloading and revoking. It sends everything through a
// probe.Client, so every exchange is recorded as evidence.
package flow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"acmeconform/acme"
	"acmeconform/suites"
	"acmeconform/suites/probe"
)

// ErrNoSolver is returned when an authorization offers no challenge the
// target lets the harness answer (no http-01 or dns-01 control, or neither
// type offered). Specs skip on it.
var ErrNoSolver = errors.New("no challenge the harness can answer")

// ErrNotReused is returned when the authorization of a name listed in
// Target.ValidatedNames is not valid and no challenge reaches the harness:
// the server did not reuse the validation for this account (RFC 8555
// §7.1.4 lets it; the run's premise is that it does).
var ErrNotReused = errors.New("validation of a name listed as validated was not reused")

// Defaults for the zero values of Config.
const (
	DefaultPollInterval  = 200 * time.Millisecond
	DefaultPollTimeout   = 30 * time.Second
	DefaultMaxRetryAfter = 2 * time.Second
)

// Config configures a Flow.
type Config struct {
	// Target is the server under test and the harness's controls.
	Target *suites.Target
	// Probe sends every request; it must point at Target.DirectoryURL.
	Probe *probe.Client
	// PollInterval is the wait between polls when the server gives no
	// Retry-After.
	PollInterval time.Duration
	// PollTimeout bounds each wait for a status change.
	PollTimeout time.Duration
	// MaxRetryAfter caps how long a Retry-After makes the flow wait.
	MaxRetryAfter time.Duration
	// QuickPolls is how many polls follow each other at PollInterval
	// before the server's Retry-After is honoured; servers that finish
	// at once are then not waited for.
	QuickPolls int
	// Logger receives progress lines; nil discards.
	Logger *slog.Logger
}

// Flow runs multi-step ACME operations against one target.
type Flow struct {
	cfg Config
	t   *suites.Target
	p   *probe.Client
	log *slog.Logger
}

// New returns a Flow.
func New(cfg Config) (*Flow, error) {
	if cfg.Target == nil || cfg.Probe == nil {
		return nil, errors.New("flow: Target and Probe are required")
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	if cfg.PollTimeout <= 0 {
		cfg.PollTimeout = DefaultPollTimeout
	}
	if cfg.MaxRetryAfter <= 0 {
		cfg.MaxRetryAfter = DefaultMaxRetryAfter
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Target.EAB != nil {
		cfg.Probe.AddSecret(cfg.Target.EAB.HMACKey)
	}
	return &Flow{cfg: cfg, t: cfg.Target, p: cfg.Probe, log: log}, nil
}

// Probe returns the probe client the flow sends through.
func (f *Flow) Probe() *probe.Client { return f.p }

// Directory returns the target's directory.
func (f *Flow) Directory(ctx context.Context) (*acme.Directory, error) {
	return f.p.Directory(ctx)
}

// maxNonceRetries bounds how often one flow request is repeated after
// badNonce answers.
const maxNonceRetries = 2

// post sends req and repeats it with the nonce of the error response when
// the server answers badNonce, as RFC 8555 §6.5 asks clients to. Specs
// that test nonces use the probe directly and see every badNonce.
func (f *Flow) post(ctx context.Context, req probe.Request) (*probe.Response, error) {
	for i := 0; ; i++ {
		resp, err := f.p.Post(ctx, req)
		if err != nil || i == maxNonceRetries || resp.ProblemType() != acme.ProblemBadNonce ||
			resp.Nonce() == "" {
			return resp, err
		}
		req.Nonce = resp.Nonce()
	}
}

// postJSON signs v as the payload of a request to url and sends it with
// post.
func (f *Flow) postJSON(ctx context.Context, url string, key *probe.Key, kid string,
	v any) (*probe.Response, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("post %s: encode payload: %w", url, err)
	}
	return f.post(ctx, probe.Request{URL: url, Payload: b, Key: key, KID: kid})
}

// CanValidate reports whether the harness can answer any challenge type
// for the target, and if not, why.
func (f *Flow) CanValidate() (bool, string) {
	if f.t.HTTP01 == nil && f.t.DNS == nil {
		return false, "no challenge type reaches the harness " +
			"(the target has no http-01 responder and no DNS control)"
	}
	return true, ""
}

// poll fetches url with POST-as-GET into v until done(v) holds, waiting
// PollInterval (or the server's Retry-After, capped) between fetches.
func (f *Flow) poll(ctx context.Context, acct *Account, url string, v any,
	done func() bool) error {
	ctx, cancel := context.WithTimeout(ctx, f.cfg.PollTimeout)
	defer cancel()
	for attempt := 0; ; attempt++ {
		resp, err := f.post(ctx, acct.Request(url, nil))
		if err != nil {
			return fmt.Errorf("poll %s: %w", url, err)
		}
		if err := resp.Err(); err != nil {
			return fmt.Errorf("poll %s: %w", url, err)
		}
		if err := resp.Decode(v); err != nil {
			return fmt.Errorf("poll %s: %w", url, err)
		}
		if done() {
			return nil
		}
		wait := f.cfg.PollInterval
		if attempt >= f.cfg.QuickPolls {
			wait = f.retryAfter(resp)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("poll %s: %w", url, ctx.Err())
		case <-time.After(wait):
		}
	}
}

// retryAfter returns the wait a response asks for (delta-seconds or an
// HTTP date, RFC 8555 §8.2), capped by MaxRetryAfter and at least
// PollInterval when absent.
func (f *Flow) retryAfter(resp *probe.Response) time.Duration {
	v := resp.Header.Get("Retry-After")
	if v == "" {
		return f.cfg.PollInterval
	}
	var d time.Duration
	if secs, err := strconv.Atoi(v); err == nil {
		d = time.Duration(secs) * time.Second
	} else if t, err := time.Parse(time.RFC1123, v); err == nil {
		d = time.Until(t)
	}
	return min(max(d, f.cfg.PollInterval), f.cfg.MaxRetryAfter)
}

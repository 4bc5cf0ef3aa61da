// Package uacme drives the uacme ACME client (checked against Debian's
// 1.7.4).
package uacme

import (
	"context"
	"fmt"
	"strings"

	"acmeconform/clients"
)

// Name is the client's short name.
const Name = "uacme"

// Driver runs uacme through a clients.Runner.
type Driver struct {
	cfg clients.Config
}

// New returns a uacme driver; cfg.Binary is the uacme executable.
func New(cfg clients.Config) *Driver {
	return &Driver{cfg: cfg.Normalize()}
}

// Name returns "uacme".
func (d *Driver) Name() string { return Name }

// Mode names the Runner's backend.
func (d *Driver) Mode() clients.Mode { return d.cfg.Runner.Mode() }

// Capabilities lists what uacme 1.7 can do. Its hook program answers
// both challenge types: http-01 by writing files the Runner serves,
// dns-01 through the DNS management API. Its --alternate option picks a
// chain by position or certificate fingerprint, not by root name, so it
// does not count as PreferredChain.
func (d *Driver) Capabilities() clients.Capabilities {
	return clients.Capabilities{
		EAB:       true,
		HTTP01:    true,
		MultiName: true,
		DNS01:     []clients.DNSMethod{clients.DNSHook},
		Wildcard:  true,
		Revoke:    true,
		CSR:       true,
		Keys: []clients.KeyType{
			clients.KeyECDSAP256, clients.KeyECDSAP384,
			clients.KeyRSA2048, clients.KeyRSA3072,
		},
	}
}

// Version runs "uacme --version".
func (d *Driver) Version(ctx context.Context) (string, error) {
	res, err := d.cfg.Runner.Run(ctx, clients.Command{Argv: []string{d.cfg.Binary, "--version"}})
	if err != nil {
		return "", fmt.Errorf("uacme version: %w", err)
	}
	// "uacme: version 1.7.4"; uacme exits 2 after printing it.
	for _, line := range strings.Split(string(res.Output), "\n") {
		if v, ok := strings.CutPrefix(line, "uacme: version "); ok {
			return strings.TrimSpace(v), nil
		}
	}
	return "", fmt.Errorf("uacme version: exit %d, unexpected output %q",
		res.ExitCode, clients.Head(res.Output, 200))
}

// Register runs "uacme new".
func (d *Driver) Register(ctx context.Context, req clients.Request) (clients.Outcome, error) {
	return d.run(ctx, req, "new")
}

// Obtain runs "uacme issue" for req.Domains or req.CSR, registering the
// account first when it has none (uacme only issues for an existing
// account).
func (d *Driver) Obtain(ctx context.Context, req clients.Request) (clients.Outcome, error) {
	reg, err := d.ensureAccount(ctx, req)
	if err != nil || !reg.OK() {
		return reg, err
	}
	out, err := d.run(ctx, req, "issue")
	out.Account = reg.Account
	return out, err
}

// Renew runs "uacme --force issue"; valid authorizations are reused.
func (d *Driver) Renew(ctx context.Context, req clients.Request) (clients.Outcome, error) {
	return d.run(ctx, req, "issue", "--force")
}

// Revoke runs "uacme revoke" with req.Reason, signed with the account key.
func (d *Driver) Revoke(ctx context.Context, req clients.Request) (clients.Outcome, error) {
	return d.run(ctx, req, "revoke")
}

// ensureAccount runs "uacme new" unless the account key exists.
func (d *Driver) ensureAccount(ctx context.Context, req clients.Request) (clients.Outcome, error) {
	res, err := d.cfg.Runner.Run(ctx, clients.Command{
		Dir: req.Dir, Collect: []string{layout(req).accountKey},
		Argv: []string{"/bin/true"},
	})
	if err != nil {
		return clients.Outcome{}, fmt.Errorf("uacme: look for account key: %w", err)
	}
	if len(res.Files) > 0 {
		return clients.Outcome{}, nil
	}
	return d.run(ctx, req, "new")
}

func (d *Driver) run(ctx context.Context, req clients.Request,
	sub ...string) (clients.Outcome, error) {
	cmd, err := d.command(req, sub...)
	if err != nil {
		return clients.Outcome{}, err
	}
	res, err := d.cfg.Runner.Run(ctx, cmd)
	out := clients.Outcome{Argv: cmd.Argv, ExitCode: res.ExitCode, Output: string(res.Output)}
	if err != nil {
		return out, fmt.Errorf("uacme %s: %w", sub[0], err)
	}

	l := layout(req)
	out.Chain = res.Files[l.chain]
	out.Key = res.Files[l.key]
	out.Account = accountURL(out.Output)
	return out, nil
}

// Package lego drives the lego ACME client (v4 command line, checked
// against v4.35.2).
package lego

import (
	"context"
	"fmt"
	"strings"

	"acmeconform/clients"
)

// Name is the client's short name.
const Name = "lego"

// Driver runs lego through a clients.Runner.
type Driver struct {
	cfg clients.Config
}

// New returns a lego driver; cfg.Binary is the lego executable.
func New(cfg clients.Config) *Driver {
	return &Driver{cfg: cfg.Normalize()}
}

// Name returns "lego".
func (d *Driver) Name() string { return Name }

// Mode names the Runner's backend.
func (d *Driver) Mode() clients.Mode { return d.cfg.Runner.Mode() }

// Capabilities lists what lego v4 can do. It registers only as part of
// its first order (the v4 command line has no register-only command).
func (d *Driver) Capabilities() clients.Capabilities {
	return clients.Capabilities{
		EAB:       true,
		HTTP01:    true,
		MultiName: true,
		DNS01:     d.dnsMethods(),
		Wildcard:  true,
		ARI:       true,
		Profiles:  true,
		Revoke:    true,
		CSR:       true,
		// --preferred-chain: the issuer CN of the chain's topmost certificate.
		PreferredChain: true,
		Keys: []clients.KeyType{
			clients.KeyECDSAP256, clients.KeyECDSAP384,
			clients.KeyRSA2048, clients.KeyRSA3072,
		},
	}
}

// dnsMethods lists how lego publishes dns-01 records: the exec hook is a
// shell script, so a runner without a shell leaves RFC 2136 alone.
func (d *Driver) dnsMethods() []clients.DNSMethod {
	if !clients.HasShell(d.cfg.Runner) {
		return []clients.DNSMethod{clients.DNSRFC2136}
	}
	return []clients.DNSMethod{clients.DNSHook, clients.DNSRFC2136}
}

// Version runs "lego --version" and returns the version it prints.
func (d *Driver) Version(ctx context.Context) (string, error) {
	res, err := d.cfg.Runner.Run(ctx, clients.Command{Argv: []string{d.cfg.Binary, "--version"}})
	if err != nil {
		return "", fmt.Errorf("lego version: %w", err)
	}
	// "lego version v4.35.2+dev-release linux/amd64"
	f := strings.Fields(string(res.Output))
	if res.ExitCode != 0 || len(f) < 3 || f[1] != "version" {
		return "", fmt.Errorf("lego version: exit %d, unexpected output %q",
			res.ExitCode, clients.Head(res.Output, 200))
	}
	return f[2], nil
}

// Register creates the account by obtaining a certificate for
// req.Domains, the only way lego v4 registers.
func (d *Driver) Register(ctx context.Context, req clients.Request) (clients.Outcome, error) {
	return d.Obtain(ctx, req)
}

// Obtain runs "lego run".
func (d *Driver) Obtain(ctx context.Context, req clients.Request) (clients.Outcome, error) {
	return d.run(ctx, req, "run")
}

// Renew runs "lego renew": forced regardless of the remaining lifetime,
// or, with req.ARI, when the CA's renewal window has opened (a one-day
// threshold keeps the lifetime rule from triggering on its own).
func (d *Driver) Renew(ctx context.Context, req clients.Request) (clients.Outcome, error) {
	if req.ARI {
		return d.run(ctx, req, "renew", "--days", "1", "--no-random-sleep")
	}
	return d.run(ctx, req, "renew", "--days", "100000", "--no-random-sleep", "--ari-disable")
}

// Revoke runs "lego revoke" with req.Reason, signed with the account key.
func (d *Driver) Revoke(ctx context.Context, req clients.Request) (clients.Outcome, error) {
	return d.run(ctx, req, "revoke", "--reason", fmt.Sprint(req.Reason))
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
		return out, fmt.Errorf("lego %s: %w", sub[0], err)
	}

	files := paths(req)
	out.Chain = res.Files[files.chain]
	out.Key = res.Files[files.key]
	out.Account = accountURL(res.Files[files.account])
	return out, nil
}

// Package certbot drives the certbot ACME client (checked against
// Debian's 2.1.0).
package certbot

import (
	"context"
	"fmt"
	"strings"

	"acmeconform/clients"
)

// Name is the client's short name.
const Name = "certbot"

// Driver runs certbot through a clients.Runner.
type Driver struct {
	cfg clients.Config
}

// New returns a certbot driver; cfg.Binary is the certbot executable.
func New(cfg clients.Config) *Driver {
	return &Driver{cfg: cfg.Normalize()}
}

// Name returns "certbot".
func (d *Driver) Name() string { return Name }

// Mode names the Runner's backend.
func (d *Driver) Mode() clients.Mode { return d.cfg.Runner.Mode() }

// Capabilities lists what certbot 2.1 can do: dns-01 through its manual
// plugin's hooks or the dns-rfc2136 plugin (Debian package
// python3-certbot-dns-rfc2136); no ARI and no profiles before later
// releases.
func (d *Driver) Capabilities() clients.Capabilities {
	return clients.Capabilities{
		EAB:       true,
		HTTP01:    true,
		MultiName: true,
		DNS01:     []clients.DNSMethod{clients.DNSHook, clients.DNSRFC2136},
		Wildcard:  true,
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

// Version runs "certbot --version".
func (d *Driver) Version(ctx context.Context) (string, error) {
	res, err := d.cfg.Runner.Run(ctx, clients.Command{Argv: []string{d.cfg.Binary, "--version"}})
	if err != nil {
		return "", fmt.Errorf("certbot version: %w", err)
	}
	// "certbot 2.1.0"
	f := strings.Fields(string(res.Output))
	if res.ExitCode != 0 || len(f) < 2 || f[0] != "certbot" {
		return "", fmt.Errorf("certbot version: exit %d, unexpected output %q",
			res.ExitCode, clients.Head(res.Output, 200))
	}
	return f[1], nil
}

// Register runs "certbot register".
func (d *Driver) Register(ctx context.Context, req clients.Request) (clients.Outcome, error) {
	return d.run(ctx, req, "register")
}

// Obtain runs "certbot certonly" for req.Domains (or req.CSR).
func (d *Driver) Obtain(ctx context.Context, req clients.Request) (clients.Outcome, error) {
	return d.run(ctx, req, "certonly")
}

// Renew runs "certbot renew --force-renewal" for the certificate of
// req.Domains; the validation settings come from certbot's renewal file.
func (d *Driver) Renew(ctx context.Context, req clients.Request) (clients.Outcome, error) {
	return d.run(ctx, req, "renew", "--force-renewal")
}

// Revoke runs "certbot revoke" with the account key, keeping the files.
func (d *Driver) Revoke(ctx context.Context, req clients.Request) (clients.Outcome, error) {
	reason, ok := reasons[req.Reason]
	if !ok {
		return clients.Outcome{}, fmt.Errorf("certbot: revocation reason %d: %w",
			req.Reason, clients.ErrUnsupported)
	}
	return d.run(ctx, req, "revoke", "--reason", reason, "--no-delete-after-revoke")
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
		return out, fmt.Errorf("certbot %s: %w", sub[0], err)
	}

	l := layout(req)
	out.Chain = res.Files[l.chain]
	out.Key = res.Files[l.key]
	out.Account = accountURL(res.Files)
	return out, nil
}

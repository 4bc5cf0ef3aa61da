// Package dehydrated drives the dehydrated ACME client (checked against
// Debian's 0.7.0).
package dehydrated

import (
	"context"
	"fmt"
	"strings"

	"acmeconform/clients"
)

// Name is the client's short name.
const Name = "dehydrated"

// Driver runs dehydrated through a clients.Runner.
type Driver struct {
	cfg clients.Config
}

// New returns a dehydrated driver; cfg.Binary is the dehydrated script.
func New(cfg clients.Config) *Driver {
	return &Driver{cfg: cfg.Normalize()}
}

// Name returns "dehydrated".
func (d *Driver) Name() string { return Name }

// Mode names the Runner's backend.
func (d *Driver) Mode() clients.Mode { return d.cfg.Runner.Mode() }

// Capabilities lists what dehydrated 0.7 can do. It answers http-01 by
// writing files for a web server (the Runner serves them) and dns-01
// through its hook; it revokes without a reason code.
func (d *Driver) Capabilities() clients.Capabilities {
	return clients.Capabilities{
		EAB:       true,
		HTTP01:    true,
		MultiName: true,
		DNS01:     []clients.DNSMethod{clients.DNSHook},
		Wildcard:  true,
		Revoke:    true,
		CSR:       true,
		// PREFERRED_CHAIN: the issuer CN of the chain's last certificate.
		PreferredChain: true,
		Keys: []clients.KeyType{
			clients.KeyECDSAP256, clients.KeyECDSAP384,
			clients.KeyRSA2048, clients.KeyRSA3072,
		},
	}
}

// Version runs "dehydrated --version".
func (d *Driver) Version(ctx context.Context) (string, error) {
	res, err := d.cfg.Runner.Run(ctx, clients.Command{
		Argv: []string{d.cfg.Binary, "--version"},
	})
	if err != nil {
		return "", fmt.Errorf("dehydrated version: %w", err)
	}
	// "Dehydrated version: 0.7.0"
	for _, line := range strings.Split(string(res.Output), "\n") {
		if v, ok := strings.CutPrefix(line, "Dehydrated version: "); ok && res.ExitCode == 0 {
			return strings.TrimSpace(v), nil
		}
	}
	return "", fmt.Errorf("dehydrated version: exit %d, unexpected output %q",
		res.ExitCode, clients.Head(res.Output, 200))
}

// Register runs "dehydrated --register".
func (d *Driver) Register(ctx context.Context, req clients.Request) (clients.Outcome, error) {
	return d.run(ctx, req, "--register")
}

// Obtain runs "dehydrated --cron" for req.Domains, or "--signcsr".
func (d *Driver) Obtain(ctx context.Context, req clients.Request) (clients.Outcome, error) {
	if len(req.CSR) > 0 {
		return d.run(ctx, req, "--signcsr")
	}
	return d.run(ctx, req, "--cron")
}

// Renew runs "dehydrated --cron --force"; valid authorizations are reused.
func (d *Driver) Renew(ctx context.Context, req clients.Request) (clients.Outcome, error) {
	return d.run(ctx, req, "--cron", "--force")
}

// Revoke runs "dehydrated --revoke", which sends no reason code.
func (d *Driver) Revoke(ctx context.Context, req clients.Request) (clients.Outcome, error) {
	if req.Reason != 0 {
		return clients.Outcome{}, fmt.Errorf("dehydrated: revocation reason %d: %w",
			req.Reason, clients.ErrUnsupported)
	}
	return d.run(ctx, req, "--revoke")
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
		return out, fmt.Errorf("dehydrated %s: %w", sub[0], err)
	}

	l := layout(req)
	out.Chain = res.Files[l.chain]
	if sub[0] == "--signcsr" {
		out.Chain = clients.PEMBlocks(res.Output, "CERTIFICATE")
	}
	out.Key = res.Files[l.key]
	out.Account = accountURL(res.Files)
	return out, nil
}

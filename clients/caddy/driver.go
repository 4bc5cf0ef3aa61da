// Package caddy drives the Caddy web server's ACME issuer (Caddy 2,
// checked against v2.11.9): "caddy start" with a generated Caddyfile
// obtains the certificate, the driver waits for it in Caddy's storage
// and stops Caddy through its admin endpoint.
//
// dns-01 needs a DNS provider module built into Caddy: the driver
// configures "dns rfc2136", which the Caddy built from acmeconform's tools
// module carries (tools/caddydns); a stock Caddy refuses such a Caddyfile.
package caddy

import (
	"context"
	"fmt"
	"strings"
	"time"

	"acmeconform/clients"
)

// Name is the client's short name.
const Name = "caddy"

// adminAddr is where Caddy's admin endpoint listens: on localhost only,
// two ports above the http-01 port (HTTPS takes the one in between), so
// that Caddys of runs side by side, each with its own http-01 port, do not
// share an admin endpoint (a second "caddy start" on one address takes the
// first Caddy over).
func adminAddr(req clients.Request) string {
	return fmt.Sprintf("localhost:%d", req.Target.HTTP01Port+2)
}

// waitFor bounds how long the driver waits for Caddy to obtain a
// certificate, and pollEvery how often it looks.
const (
	waitFor   = 2 * time.Minute
	pollEvery = time.Second
)

// propagationTimeout bounds how long Caddy waits to see its dns-01 record
// in DNS, in Caddyfile syntax; shorter than waitFor, so that a record that
// never shows is reported by Caddy rather than by the driver's timeout.
const propagationTimeout = "60s"

// Driver runs Caddy through a clients.Runner.
type Driver struct {
	cfg clients.Config
}

// New returns a Caddy driver; cfg.Binary is the caddy executable.
func New(cfg clients.Config) *Driver {
	return &Driver{cfg: cfg.Normalize()}
}

// Name returns "caddy".
func (d *Driver) Name() string { return Name }

// Mode names the Runner's backend.
func (d *Driver) Mode() clients.Mode { return d.cfg.Runner.Mode() }

// Capabilities lists what Caddy's ACME issuer does: http-01 on a given
// port, dns-01 through RFC 2136 updates signed with TSIG (the rfc2136
// provider module), wildcard names, EAB, ECDSA and RSA keys, and a
// preferred chain (preferred_chains root_common_name). Caddy has no
// revocation command, and it manages one certificate per name, so it
// never orders several names in one certificate (no MultiName).
func (d *Driver) Capabilities() clients.Capabilities {
	return clients.Capabilities{
		EAB: true, HTTP01: true, PreferredChain: true, Wildcard: true,
		DNS01: []clients.DNSMethod{clients.DNSRFC2136},
		Keys:  []clients.KeyType{clients.KeyECDSAP256, clients.KeyECDSAP384, clients.KeyRSA2048},
	}
}

// Version runs "caddy version" and returns the version it prints first.
func (d *Driver) Version(ctx context.Context) (string, error) {
	res, err := d.cfg.Runner.Run(ctx, clients.Command{Argv: []string{d.cfg.Binary, "version"}})
	if err != nil {
		return "", fmt.Errorf("caddy version: %w", err)
	}
	// "v2.11.9" or "v2.11.9 h1:...", maybe after JSON log lines
	for line := range strings.Lines(string(res.Output)) {
		if f := strings.Fields(line); res.ExitCode == 0 && len(f) > 0 &&
			strings.HasPrefix(f[0], "v2.") {
			return f[0], nil
		}
	}
	return "", fmt.Errorf("caddy version: exit %d, unexpected output %q",
		res.ExitCode, clients.Head(res.Output, 200))
}

// Register obtains a certificate, the only way Caddy creates an account.
func (d *Driver) Register(ctx context.Context, req clients.Request) (clients.Outcome, error) {
	return d.Obtain(ctx, req)
}

// Revoke is not offered by Caddy's command line.
func (d *Driver) Revoke(ctx context.Context, req clients.Request) (clients.Outcome, error) {
	return clients.Outcome{}, fmt.Errorf("caddy revoke: %w", clients.ErrUnsupported)
}

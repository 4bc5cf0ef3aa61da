package caddy

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"acmeconform/clients"
)

// Obtain starts Caddy with a Caddyfile for req.Domains, waits until the
// certificate is in its storage or the log shows the issuer failed, and
// stops Caddy. The Outcome's Output is Caddy's log.
func (d *Driver) Obtain(ctx context.Context, req clients.Request) (clients.Outcome, error) {
	if req.Target.DirectoryURL == "" || req.Dir == "" {
		return clients.Outcome{}, fmt.Errorf("caddy: directory URL and state dir are required")
	}
	if err := d.Capabilities().Check(req.Need()); err != nil {
		return clients.Outcome{}, fmt.Errorf("%s obtain: %w", Name, err)
	}
	l := paths(req)
	conf, err := caddyfile(req, clients.ListenHost(d.cfg.Runner), l)
	if err != nil {
		return clients.Outcome{}, err
	}
	start := clients.Command{
		Argv: []string{d.cfg.Binary, "start", "--config", l.caddyfile, "--adapter", "caddyfile"},
		Dir:  req.Dir, Files: []clients.File{{Path: l.caddyfile, Data: []byte(conf)}},
	}
	res, err := d.cfg.Runner.Run(ctx, start)
	out := clients.Outcome{Argv: start.Argv, ExitCode: res.ExitCode, Output: string(res.Output)}
	if err != nil {
		return out, fmt.Errorf("caddy start: %w", err)
	}
	if res.ExitCode != 0 {
		return out, nil
	}
	defer d.stop(ctx, req)
	return d.wait(ctx, req, l, out)
}

// wait polls Caddy's storage and log until the certificate is there, the
// issuer gave up, Caddy died or waitFor passed.
func (d *Driver) wait(ctx context.Context, req clients.Request, l layout,
	out clients.Outcome) (clients.Outcome, error) {
	look := clients.Command{Argv: []string{d.cfg.Binary, "version"}, Dir: req.Dir,
		Collect: []string{l.chain, l.key, l.log, l.accounts}}
	deadline := time.Now().Add(waitFor)
	started := out.Output
	for {
		res, err := d.cfg.Runner.Run(ctx, look)
		if err != nil {
			return out, fmt.Errorf("caddy: look for the certificate: %w", err)
		}
		var logText []byte
		for path, b := range res.Files {
			switch {
			case strings.HasSuffix(path, ".crt"):
				out.Chain = b
			case strings.HasSuffix(path, ".key"):
				out.Key = b
			case path == l.log:
				logText = b
			case filepath.Ext(path) == ".json":
				out.Account = accountURL(b)
			}
		}
		out.Output = started + string(logText)
		switch {
		case len(out.Chain) > 0:
			out.ExitCode = 0
			return out, nil
		case logText == nil:
			out.ExitCode, out.Output = 1, out.Output+"caddy wrote no log: it is not running\n"
			return out, nil
		case strings.Contains(string(logText), issuerFailed) || time.Now().After(deadline):
			out.ExitCode = 1
			return out, nil
		}
		select {
		case <-ctx.Done():
			return out, fmt.Errorf("caddy: wait for the certificate: %w", ctx.Err())
		case <-time.After(pollEvery):
		}
	}
}

// issuerFailed is what Caddy logs when the CA refused to issue.
const issuerFailed = "could not get certificate from issuer"

// stop asks Caddy to exit through its admin endpoint.
func (d *Driver) stop(ctx context.Context, req clients.Request) {
	cmd := clients.Command{Dir: req.Dir, Argv: []string{d.cfg.Binary, "stop", "--address",
		fmt.Sprintf("localhost:%d", adminPort)}}
	if res, err := d.cfg.Runner.Run(context.WithoutCancel(ctx), cmd); err != nil ||
		res.ExitCode != 0 {
		d.cfg.Logger.Warn("caddy stop failed", "err", err, "exit", res.ExitCode)
	}
}

// accountURL returns the account URL from Caddy's stored account.
func accountURL(b []byte) string {
	var acct struct {
		Location string `json:"location"`
	}
	if json.Unmarshal(b, &acct) != nil {
		return ""
	}
	return acct.Location
}

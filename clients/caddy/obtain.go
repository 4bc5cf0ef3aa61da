package caddy

import (
	"bytes"
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
	return d.obtain(ctx, req, false)
}

// Renew starts Caddy on the scenario's storage with a renewal window
// covering nearly the whole lifetime, so that Caddy renews the stored
// certificate at once with its stored account, and waits for a new one.
func (d *Driver) Renew(ctx context.Context, req clients.Request) (clients.Outcome, error) {
	return d.obtain(ctx, req, true)
}

func (d *Driver) obtain(ctx context.Context, req clients.Request,
	renew bool) (clients.Outcome, error) {
	if req.Target.DirectoryURL == "" || req.Dir == "" {
		return clients.Outcome{}, fmt.Errorf("caddy: directory URL and state dir are required")
	}
	if err := d.Capabilities().Check(req.Need()); err != nil {
		return clients.Outcome{}, fmt.Errorf("%s obtain: %w", Name, err)
	}
	l := paths(req, renew)
	conf, err := caddyfile(req, clients.ListenHost(d.cfg.Runner), l, renew)
	if err != nil {
		return clients.Outcome{}, err
	}
	var prev []byte
	if renew {
		old, err := d.look(ctx, req, l)
		if err != nil {
			return clients.Outcome{}, err
		}
		prev = old.Chain
	}
	start := d.start(req, l)
	start.Files = []clients.File{{Path: l.caddyfile, Data: []byte(conf)}}
	res, err := d.cfg.Runner.Run(ctx, start)
	out := clients.Outcome{Argv: start.Argv, ExitCode: res.ExitCode,
		Output: string(res.Output) + string(res.Files[l.startOut])}
	if err != nil {
		return out, fmt.Errorf("caddy start: %w", err)
	}
	if res.ExitCode != 0 {
		// The background process's reason (a port in use, a refused
		// configuration) is in its log, not in "caddy start"'s output.
		out.Output += lastLines(string(res.Files[l.log]), startLogLines)
		return out, nil
	}
	defer d.stop(ctx, req)
	return d.wait(ctx, req, l, out, prev)
}

// start returns the "caddy start" command. Caddy's background process
// inherits the command's output; where there is a shell, that output goes
// to a file instead, so that a runner waiting for the output to end is
// not kept waiting by Caddy.
func (d *Driver) start(req clients.Request, l layout) clients.Command {
	argv := []string{d.cfg.Binary, "start", "--config", l.caddyfile, "--adapter", "caddyfile"}
	if !clients.HasShell(d.cfg.Runner) {
		return clients.Command{Argv: argv, Dir: req.Dir, Collect: []string{l.log}}
	}
	const script = `out="$1"; shift; exec "$@" >"$out" 2>&1 </dev/null`
	return clients.Command{Dir: req.Dir, Collect: []string{l.startOut, l.log},
		Argv: append([]string{"/bin/sh", "-c", script, "sh", l.startOut}, argv...)}
}

// stored is what Caddy's storage and log hold at one moment.
type stored struct {
	Chain, Key, Log []byte
	Account         string
}

// look reads Caddy's storage and log.
func (d *Driver) look(ctx context.Context, req clients.Request, l layout) (stored, error) {
	res, err := d.cfg.Runner.Run(ctx, clients.Command{
		Argv: []string{d.cfg.Binary, "version"}, Dir: req.Dir,
		Collect: []string{l.chain, l.key, l.log, l.accounts}})
	if err != nil {
		return stored{}, fmt.Errorf("caddy: look for the certificate: %w", err)
	}
	var st stored
	for path, b := range res.Files {
		switch {
		case strings.HasSuffix(path, ".crt"):
			st.Chain = b
		case strings.HasSuffix(path, ".key"):
			st.Key = b
		case path == l.log:
			st.Log = b
		case filepath.Ext(path) == ".json":
			st.Account = accountURL(b)
		}
	}
	return st, nil
}

// wait polls Caddy's storage and log until a certificate other than prev
// is there, the issuer gave up, Caddy died or waitFor passed.
func (d *Driver) wait(ctx context.Context, req clients.Request, l layout,
	out clients.Outcome, prev []byte) (clients.Outcome, error) {
	deadline := time.Now().Add(waitFor)
	started := out.Output
	for {
		st, err := d.look(ctx, req, l)
		if err != nil {
			return out, err
		}
		logText := st.Log
		out.Chain, out.Key, out.Account = st.Chain, st.Key, st.Account
		out.Output = started + string(logText)
		switch {
		case len(out.Chain) > 0 && !bytes.Equal(out.Chain, prev):
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

// startLogLines is how much of Caddy's log a failed start reports.
const startLogLines = 20

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.SplitAfter(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "")
}

// stop asks Caddy to exit through its admin endpoint.
func (d *Driver) stop(ctx context.Context, req clients.Request) {
	cmd := clients.Command{Dir: req.Dir,
		Argv: []string{d.cfg.Binary, "stop", "--address", adminAddr(req)}}
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

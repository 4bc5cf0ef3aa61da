package manifest

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"acmeconform/clients"
)

// Driver runs the client a Manifest describes through a clients.Runner,
// usually a ContainerRunner on a container of the manifest's image.
type Driver struct {
	m   *Manifest
	cfg clients.Config
}

// New returns the driver of m; cfg.Binary is not used (the commands name
// their program).
func New(m *Manifest, cfg clients.Config) *Driver {
	return &Driver{m: m, cfg: cfg.Normalize()}
}

// Name returns the manifest's client name.
func (d *Driver) Name() string { return d.m.Name }

// Mode names the Runner's backend.
func (d *Driver) Mode() clients.Mode { return d.cfg.Runner.Mode() }

// Capabilities: a manifest gives a command per scenario, so what a
// scenario needs is there when its command is (CanRun says which are);
// only EAB, which every scenario needs when the CA requires it, and
// ordering several names in one certificate are declared (EAB also
// follows from the commands naming {eab_kid}), and choosing a chain
// follows from the commands naming {preferred_chain}.
func (d *Driver) Capabilities() clients.Capabilities {
	return clients.Capabilities{
		EAB: d.m.EAB, MultiName: d.m.MultiName, HTTP01: true,
		DNS01:    []clients.DNSMethod{clients.DNSHook, clients.DNSRFC2136},
		Wildcard: true, ARI: true, Profiles: true, Revoke: true, CSR: true,
		PreferredChain: d.m.PreferredChain,
		Keys: []clients.KeyType{clients.KeyECDSAP256, clients.KeyECDSAP384,
			clients.KeyRSA2048, clients.KeyRSA3072},
	}
}

// CanRun returns nil when the manifest gives a command for scenario.
func (d *Driver) CanRun(scenario string) error {
	if d.m.commands(scenario) == nil {
		return fmt.Errorf("manifest gives no command for %s", scenario)
	}
	return nil
}

// Version returns the manifest's version, or runs its version command
// and finds the version in the output.
func (d *Driver) Version(ctx context.Context) (string, error) {
	if d.m.Version != "" {
		return d.m.Version, nil
	}
	res, err := d.cfg.Runner.Run(ctx, clients.Command{Argv: d.m.VersionCommand})
	if err != nil {
		return "", fmt.Errorf("%s version: %w", d.m.Name, err)
	}
	m := d.m.VersionPattern.FindSubmatch(res.Output)
	if res.ExitCode != 0 || m == nil {
		return "", fmt.Errorf("%s version: exit %d, no version in %q", d.m.Name,
			res.ExitCode, clients.Head(res.Output, 200))
	}
	return string(m[len(m)-1]), nil
}

// Register runs the scenario's register command.
func (d *Driver) Register(ctx context.Context, req clients.Request) (clients.Outcome, error) {
	return d.run(ctx, req, clients.OpRegister)
}

// Obtain runs the scenario's obtain command.
func (d *Driver) Obtain(ctx context.Context, req clients.Request) (clients.Outcome, error) {
	return d.run(ctx, req, clients.OpObtain)
}

// Renew runs the scenario's renew command.
func (d *Driver) Renew(ctx context.Context, req clients.Request) (clients.Outcome, error) {
	return d.run(ctx, req, clients.OpRenew)
}

// Revoke runs the scenario's revoke command.
func (d *Driver) Revoke(ctx context.Context, req clients.Request) (clients.Outcome, error) {
	return d.run(ctx, req, clients.OpRevoke)
}

func (d *Driver) run(ctx context.Context, req clients.Request,
	op clients.Op) (clients.Outcome, error) {
	cmd, v, err := d.command(req, op)
	if err != nil {
		return clients.Outcome{}, err
	}
	res, err := d.cfg.Runner.Run(ctx, cmd)
	out := clients.Outcome{Argv: cmd.Argv, ExitCode: res.ExitCode, Output: string(res.Output)}
	if err != nil {
		return out, fmt.Errorf("%s %s: %w", d.m.Name, op, err)
	}
	o := d.m.Outputs
	out.Chain = append(read(v, res, o.Cert), read(v, res, o.Chain)...)
	if o.Cert == Stdout {
		out.Chain = clients.PEMBlocks(res.Output, "CERTIFICATE")
	}
	out.Key = read(v, res, o.Key)
	out.Account = accountURL(read(v, res, o.Account), o.AccountPattern, req.Target.DirectoryURL)
	return out, nil
}

// command builds the command of op in req's scenario.
func (d *Driver) command(req clients.Request, op clients.Op) (clients.Command, values, error) {
	argv, ok := d.m.Command(req.Scenario, op)
	if !ok {
		return clients.Command{}, values{}, fmt.Errorf("%s %s: manifest gives no command "+
			"for %s of scenario %q: %w", d.m.Name, op, op, req.Scenario, clients.ErrUnsupported)
	}
	bundle := d.m.TrustPath
	if bundle == "" {
		bundle = req.Target.CACertFile
	}
	v := valuesFor(d.m, req, bundle, clients.ListenHost(d.cfg.Runner))
	args, err := v.expandArgv(argv)
	if err != nil {
		return clients.Command{}, v, fmt.Errorf("%s %s (%s, scenario %s): %w", d.m.Name, op,
			d.m.File, req.Scenario, err)
	}
	if len(args) == 0 || args[0] == "" {
		return clients.Command{}, v, fmt.Errorf("%s %s (%s, scenario %s): no program to run",
			d.m.Name, op, d.m.File, req.Scenario)
	}
	cmd := clients.Command{Argv: args, Dir: req.Dir, Env: d.environ(v)}
	if d.m.TrustPath != "" {
		pem, err := os.ReadFile(req.Target.CACertFile)
		if err != nil {
			return clients.Command{}, v, fmt.Errorf("%s %s: trust root: %w", d.m.Name, op, err)
		}
		cmd.Files = append(cmd.Files, clients.File{Path: d.m.TrustPath, Data: pem, Perm: 0o644})
	}
	if d.m.SystemTrust {
		cmd.SystemTrust = bundle
	}
	if len(req.CSR) > 0 {
		cmd.Files = append(cmd.Files, clients.File{Path: csrPath(req), Data: req.CSR})
	}
	for _, o := range []string{d.m.Outputs.Cert, d.m.Outputs.Chain, d.m.Outputs.Key,
		d.m.Outputs.Account} {
		if p, ok := outputPath(v, o); ok {
			cmd.Collect = append(cmd.Collect, p)
		}
	}
	return cmd, v, nil
}

// environ expands the manifest's variables; one whose placeholder has no
// value in this scenario is left out.
func (d *Driver) environ(v values) []string {
	var env []string
	for _, k := range slices.Sorted(maps.Keys(d.m.Env)) {
		if s, err := v.expand(d.m.Env[k]); err == nil {
			env = append(env, k+"="+s[0])
		}
	}
	return env
}

// csrPath is where a CSR the scenario supplies is written.
func csrPath(req clients.Request) string { return filepath.Join(req.Dir, "request.csr") }

// outputPath expands an output path; "" and stdout are no file.
func outputPath(v values, tmpl string) (string, bool) {
	if tmpl == "" || tmpl == Stdout {
		return "", false
	}
	s, err := v.expand(tmpl)
	if err != nil {
		return "", false
	}
	return s[0], true
}

// read returns the contents of an output: the command's output for
// stdout, else the collected file (the first, by name, a glob matched).
func read(v values, res clients.Result, tmpl string) []byte {
	if tmpl == Stdout {
		return res.Output
	}
	p, ok := outputPath(v, tmpl)
	if !ok {
		return nil
	}
	if b, ok := res.Files[p]; ok {
		return b
	}
	for _, name := range slices.Sorted(maps.Keys(res.Files)) {
		if ok, _ := path.Match(p, name); ok {
			return res.Files[name]
		}
	}
	return nil
}

// urlRE finds URLs in a client's files and output.
var urlRE = regexp.MustCompile(`https?://[^\s"'<>\\]+`)

// accountURL finds the account URL (RFC 8555 §7.3) in b: pattern's
// group, or the first URL on the directory's host other than the
// directory itself.
func accountURL(b []byte, pattern *regexp.Regexp, directory string) string {
	if pattern != nil {
		m := pattern.FindSubmatch(b)
		if m == nil {
			return ""
		}
		return string(m[len(m)-1])
	}
	dir, err := url.Parse(directory)
	if err != nil {
		return ""
	}
	for _, s := range urlRE.FindAllString(string(b), -1) {
		s = strings.TrimRight(s, ".,;)")
		if u, err := url.Parse(s); err == nil && u.Host == dir.Host && s != directory {
			return s
		}
	}
	return ""
}

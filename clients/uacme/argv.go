package uacme

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"acmeconform/clients"
)

// keyFlags maps key types to uacme's --type and --bits.
var keyFlags = map[clients.KeyType][]string{
	clients.KeyECDSAP256: {"--type", "EC", "--bits", "256"},
	clients.KeyECDSAP384: {"--type", "EC", "--bits", "384"},
	clients.KeyRSA2048:   {"--type", "RSA", "--bits", "2048"},
	clients.KeyRSA3072:   {"--type", "RSA", "--bits", "3072"},
}

// command builds the uacme command line: options, then the command
// ("new", "issue" or "revoke") and its arguments. uacme 1.7.4 trusts only
// the system CA bundle, so the Runner shows it the CA's certificate there.
func (d *Driver) command(req clients.Request, sub ...string) (clients.Command, error) {
	if req.Target.DirectoryURL == "" || req.Dir == "" {
		return clients.Command{}, fmt.Errorf("uacme %s: directory URL and state dir are required",
			sub[0])
	}
	if err := d.Capabilities().Check(req.Need()); err != nil {
		return clients.Command{}, fmt.Errorf("%s %s: %w", Name, sub[0], err)
	}
	l := layout(req)
	cmd := clients.Command{
		Dir: req.Dir, SystemTrust: req.Target.CACertFile,
		Collect: []string{l.chain, l.key},
		Dirs:    []string{l.conf},
	}
	argv := []string{d.cfg.Binary, "--verbose", "--yes", "--confdir", l.conf,
		"--acme-url", req.Target.DirectoryURL}
	if req.EAB != nil {
		argv = append(argv, "--eab", req.EAB.KID+":"+req.EAB.HMACKey)
	}
	if req.Key != "" {
		kf, ok := keyFlags[req.Key]
		if !ok {
			return cmd, fmt.Errorf("uacme: key type %s: %w", req.Key, clients.ErrUnsupported)
		}
		argv = append(argv, kf...)
	}
	if err := addHook(req, l, &cmd); err != nil {
		return cmd, err
	}
	argv = append(argv, "--hook", l.hook)
	argv = append(argv, sub[1:]...)

	switch sub[0] {
	case "new":
		argv = append(argv, "new")
		if req.Email != "" {
			argv = append(argv, req.Email)
		}
	case "issue":
		argv = append(argv, issueArgs(req, l, &cmd)...)
	case "revoke":
		argv = append(argv, "--reason", fmt.Sprint(req.Reason), "revoke", l.chain)
	}
	cmd.Argv = argv
	return cmd, nil
}

// issueArgs returns "issue" with the names, or with a CSR file.
func issueArgs(req clients.Request, l paths, cmd *clients.Command) []string {
	if len(req.CSR) > 0 {
		cmd.Files = append(cmd.Files, clients.File{Path: l.csr, Data: req.CSR})
		return []string{"issue", l.csr}
	}
	return append([]string{"issue"}, req.Domains...)
}

// addHook writes the hook program. uacme calls it as
// "begin|done|failed TYPE IDENT TOKEN AUTH"; a non-zero exit from
// "begin" declines that challenge type, so the hook accepts only the one
// the request asks for.
func addHook(req clients.Request, l paths, cmd *clients.Command) error {
	var begin, end string
	switch req.Challenge {
	case clients.ChallengeHTTP01:
		cmd.Webroot, cmd.WebrootPort = l.webroot, req.Target.HTTP01Port
		dir := clients.ShellQuote(filepath.Join(l.webroot, ".well-known", "acme-challenge"))
		begin = "mkdir -p " + dir + ` && printf '%s' "$5" > ` + dir + `/"$4"`
		end = "rm -f " + dir + `/"$4"`
	case clients.ChallengeDNS01:
		begin = `set_txt "_acme-challenge.${3#\*.}" "$5"`
		end = `clear_txt "_acme-challenge.${3#\*.}"`
	default:
		return fmt.Errorf("uacme: challenge %q: %w", req.Challenge, clients.ErrUnsupported)
	}
	funcs := ""
	if req.Target.DNSAPIURL != "" {
		var err error
		if funcs, err = clients.DNSHookFuncs(req.Target.DNSAPIURL); err != nil {
			return fmt.Errorf("uacme: %w", err)
		}
	}
	script := "#!/bin/sh\nset -e\n" + funcs + "\n" +
		`[ "$2" = ` + clients.ShellQuote(string(req.Challenge)) + " ] || exit 1\n" +
		"case \"$1\" in\nbegin) " + begin + " ;;\ndone|failed) " + end + " ;;\nesac\n"
	cmd.Files = append(cmd.Files, clients.File{Path: l.hook, Perm: 0o700, Data: []byte(script)})
	return nil
}

// paths is uacme's storage layout for one scenario.
type paths struct {
	conf, accountKey, chain, key, hook, webroot, csr string
}

// layout places the config directory under req.Dir; uacme keeps the
// certificate of the primary name at CONFDIR/NAME/cert.pem and its key at
// CONFDIR/private/NAME/key.pem.
func layout(req clients.Request) paths {
	conf := filepath.Join(req.Dir, "conf")
	name := "unknown"
	if len(req.Domains) > 0 {
		// uacme files a wildcard's certificate under its base name.
		name = strings.TrimPrefix(req.Domains[0], "*.")
	}
	return paths{
		conf: conf, accountKey: filepath.Join(conf, "private", "key.pem"),
		chain: filepath.Join(conf, name, "cert.pem"),
		key:   filepath.Join(conf, "private", name, "key.pem"),
		hook:  filepath.Join(req.Dir, "hook.sh"), webroot: filepath.Join(req.Dir, "webroot"),
		csr: filepath.Join(req.Dir, "request.csr"),
	}
}

// accountLine finds the account URL in uacme's verbose output.
var accountLine = regexp.MustCompile(`(?i)account (?:created at|location:|already exists at) (\S+)`)

func accountURL(output string) string {
	m := accountLine.FindStringSubmatch(output)
	if m == nil {
		return ""
	}
	return m[1]
}

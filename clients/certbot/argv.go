package certbot

import (
	"encoding/json"
	"fmt"
	"net"
	"path/filepath"
	"strings"

	"acmeconform/clients"
)

// reasons maps RFC 5280 §5.3.1 reason codes to certbot's --reason names.
var reasons = map[int]string{
	0: "unspecified", 1: "keycompromise", 3: "affiliationchanged",
	4: "superseded", 5: "cessationofoperation",
}

// keyFlags maps key types to certbot's key options.
var keyFlags = map[clients.KeyType][]string{
	clients.KeyECDSAP256: {"--key-type", "ecdsa", "--elliptic-curve", "secp256r1"},
	clients.KeyECDSAP384: {"--key-type", "ecdsa", "--elliptic-curve", "secp384r1"},
	clients.KeyRSA2048:   {"--key-type", "rsa", "--rsa-key-size", "2048"},
	clients.KeyRSA3072:   {"--key-type", "rsa", "--rsa-key-size", "3072"},
}

// command builds the certbot command line for subcommand sub[0].
func (d *Driver) command(req clients.Request, sub ...string) (clients.Command, error) {
	if req.Target.DirectoryURL == "" || req.Dir == "" {
		return clients.Command{}, fmt.Errorf("certbot %s: directory URL and state dir are required",
			sub[0])
	}
	if err := d.Capabilities().Check(req.Need()); err != nil {
		return clients.Command{}, fmt.Errorf("%s %s: %w", Name, sub[0], err)
	}
	l := layout(req)
	cmd := clients.Command{
		Dir:     req.Dir,
		Env:     []string{"REQUESTS_CA_BUNDLE=" + req.Target.CACertFile},
		Collect: append([]string{l.chain, l.key}, l.accounts...),
	}
	argv := append([]string{d.cfg.Binary}, sub...)
	argv = append(argv, "--non-interactive", "--agree-tos",
		"--server", req.Target.DirectoryURL,
		"--config-dir", l.config, "--work-dir", filepath.Join(req.Dir, "work"),
		"--logs-dir", filepath.Join(req.Dir, "logs"))
	if req.Email != "" {
		argv = append(argv, "--email", req.Email)
	} else {
		argv = append(argv, "--register-unsafely-without-email")
	}
	if req.EAB != nil {
		// One word per option: argparse takes a separate value that starts
		// with "-" (a base64url MAC key may) for an option of its own.
		argv = append(argv, "--eab-kid="+req.EAB.KID, "--eab-hmac-key="+req.EAB.HMACKey)
	}
	if req.PreferredChain != "" && sub[0] != "revoke" {
		argv = append(argv, "--preferred-chain", req.PreferredChain)
	}

	switch sub[0] {
	case "certonly":
		return d.certonly(req, cmd, argv)
	case "renew":
		argv = append(argv, "--cert-name", l.name, "--no-random-sleep-on-renew")
	case "revoke":
		argv = append(argv, "--cert-name", l.name)
	}
	cmd.Argv = argv
	return cmd, nil
}

// certonly adds the names (or CSR), the key type and the solver.
func (d *Driver) certonly(req clients.Request, cmd clients.Command,
	argv []string) (clients.Command, error) {
	l := layout(req)
	if len(req.CSR) > 0 {
		csr := filepath.Join(req.Dir, "request.csr")
		cmd.Files = append(cmd.Files, clients.File{Path: csr, Data: req.CSR})
		argv = append(argv, "--csr", csr, "--fullchain-path", l.chain,
			"--cert-path", filepath.Join(req.Dir, "csr-cert.pem"),
			"--chain-path", filepath.Join(req.Dir, "csr-chain.pem"))
	} else {
		argv = append(argv, "--cert-name", l.name)
		for _, name := range req.Domains {
			argv = append(argv, "--domain", name)
		}
	}
	if req.Key != "" {
		kf, ok := keyFlags[req.Key]
		if !ok {
			return cmd, fmt.Errorf("certbot: key type %s: %w", req.Key, clients.ErrUnsupported)
		}
		argv = append(argv, kf...)
	}
	solver, err := d.solver(req, &cmd)
	if err != nil {
		return cmd, err
	}
	cmd.Argv = append(argv, solver...)
	return cmd, nil
}

// solver returns the challenge options: the standalone server for
// http-01, the manual plugin with hooks calling the DNS API for dns-01.
func (d *Driver) solver(req clients.Request, cmd *clients.Command) ([]string, error) {
	switch req.Challenge {
	case clients.ChallengeHTTP01:
		return []string{"--standalone", "--preferred-challenges", "http",
			"--http-01-address", clients.ListenHost(d.cfg.Runner),
			"--http-01-port", fmt.Sprint(req.Target.HTTP01Port)}, nil
	case clients.ChallengeDNS01:
		if req.DNS == clients.DNSRFC2136 {
			return rfc2136(req, cmd)
		}
		funcs, err := clients.DNSHookFuncs(req.Target.DNSAPIURL)
		if err != nil {
			return nil, fmt.Errorf("certbot: %w", err)
		}
		auth := filepath.Join(req.Dir, "dns-auth.sh")
		clean := filepath.Join(req.Dir, "dns-cleanup.sh")
		head := "#!/bin/sh\nset -e\n" + funcs
		cmd.Files = append(cmd.Files,
			clients.File{Path: auth, Perm: 0o700, Data: []byte(head +
				`set_txt "_acme-challenge.$CERTBOT_DOMAIN" "$CERTBOT_VALIDATION"` + "\n")},
			clients.File{Path: clean, Perm: 0o700, Data: []byte(head +
				`clear_txt "_acme-challenge.$CERTBOT_DOMAIN"` + "\n")})
		return []string{"--manual", "--preferred-challenges", "dns",
			"--manual-auth-hook", auth, "--manual-cleanup-hook", clean}, nil
	}
	return nil, fmt.Errorf("certbot: challenge %q: %w", req.Challenge, clients.ErrUnsupported)
}

// rfc2136 returns the options of the dns-rfc2136 plugin and writes its
// credentials file. The plugin wants the server as an IP address.
func rfc2136(req clients.Request, cmd *clients.Command) ([]string, error) {
	k := req.Target.TSIG
	if k == nil {
		return nil, fmt.Errorf("certbot: dns-01 through RFC 2136 needs a TSIG key")
	}
	host, port, err := net.SplitHostPort(req.Target.DNSAddr)
	if err != nil || net.ParseIP(host) == nil {
		return nil, fmt.Errorf("certbot: DNS server %q is not IP:port", req.Target.DNSAddr)
	}
	ini := filepath.Join(req.Dir, "rfc2136.ini")
	cmd.Files = append(cmd.Files, clients.File{Path: ini, Data: []byte(fmt.Sprintf(
		"dns_rfc2136_server = %s\ndns_rfc2136_port = %s\ndns_rfc2136_name = %s.\n"+
			"dns_rfc2136_secret = %s\ndns_rfc2136_algorithm = %s\n",
		host, port, strings.TrimSuffix(k.Name, "."), k.Secret,
		strings.ToUpper(strings.TrimSuffix(k.Algorithm, "."))))})
	return []string{"--authenticator", "dns-rfc2136", "--dns-rfc2136-credentials", ini,
		"--dns-rfc2136-propagation-seconds", "1"}, nil
}

// paths is where certbot keeps what the driver reads back.
type paths struct {
	name, config, chain, key string
	accounts                 []string // glob patterns of regr.json
}

// layout returns certbot's storage layout for req: the lineage is named
// after the primary name ("*" written as "_"), a CSR's chain goes where
// the driver asked, and accounts sit under the server's host and path.
func layout(req clients.Request) paths {
	config := filepath.Join(req.Dir, "config")
	name := "unknown"
	if len(req.Domains) > 0 {
		name = strings.ReplaceAll(req.Domains[0], "*", "_")
	}
	p := paths{name: name, config: config,
		chain: filepath.Join(config, "live", name, "fullchain.pem"),
		key:   filepath.Join(config, "live", name, "privkey.pem"),
	}
	if len(req.CSR) > 0 {
		p.chain, p.key = filepath.Join(req.Dir, "csr-fullchain.pem"), ""
	}
	glob := filepath.Join(config, "accounts", "*")
	for range 4 {
		glob = filepath.Join(glob, "*")
		p.accounts = append(p.accounts, filepath.Join(glob, "regr.json"))
	}
	return p
}

// accountURL returns the account URL from the regr.json among files.
func accountURL(files map[string][]byte) string {
	for path, b := range files {
		if filepath.Base(path) != "regr.json" {
			continue
		}
		var regr struct {
			URI string `json:"uri"`
		}
		if json.Unmarshal(b, &regr) == nil && regr.URI != "" {
			return regr.URI
		}
	}
	return ""
}

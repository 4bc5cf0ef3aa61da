package lego

import (
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"acmeconform/clients"
)

// keyTypes maps key types to lego's --key-type values.
var keyTypes = map[clients.KeyType]string{
	clients.KeyECDSAP256: "ec256",
	clients.KeyECDSAP384: "ec384",
	clients.KeyRSA2048:   "rsa2048",
	clients.KeyRSA3072:   "rsa3072",
}

// command builds the lego command line: global options first, then the
// subcommand and its options (the v4 layout).
func (d *Driver) command(req clients.Request, sub ...string) (clients.Command, error) {
	if req.Target.DirectoryURL == "" || req.Dir == "" {
		return clients.Command{}, fmt.Errorf("lego %s: directory URL and state dir are required",
			sub[0])
	}
	if err := d.Capabilities().Check(req.Need()); err != nil {
		return clients.Command{}, fmt.Errorf("%s %s: %w", Name, sub[0], err)
	}
	cmd := clients.Command{
		Dir:     req.Dir,
		Env:     []string{"LEGO_CA_CERTIFICATES=" + req.Target.CACertFile},
		Collect: paths(req).list(),
	}
	argv := []string{d.cfg.Binary,
		"--server", req.Target.DirectoryURL, "--accept-tos",
		"--path", filepath.Join(req.Dir, ".lego"),
	}
	if req.Email != "" {
		argv = append(argv, "--email", req.Email)
	}
	if req.EAB != nil {
		hmac := strings.TrimRight(req.EAB.HMACKey, "=")
		argv = append(argv, "--eab", "--kid", req.EAB.KID, "--hmac", hmac)
	}
	if req.Key != "" {
		kt, ok := keyTypes[req.Key]
		if !ok {
			return clients.Command{}, fmt.Errorf("lego: key type %s: %w", req.Key,
				clients.ErrUnsupported)
		}
		argv = append(argv, "--key-type", kt)
	}
	argv = appendNames(argv, req, &cmd)

	solver, err := d.solver(req, &cmd)
	if err != nil {
		return clients.Command{}, err
	}
	cmd.Argv = append(append(argv, solver...), sub...)
	if sub[0] == "run" || sub[0] == "renew" {
		if req.Profile != "" {
			cmd.Argv = append(cmd.Argv, "--profile", req.Profile)
		}
		if req.PreferredChain != "" {
			cmd.Argv = append(cmd.Argv, "--preferred-chain", req.PreferredChain)
		}
	}
	return cmd, nil
}

// appendNames adds the names to certify, or the CSR that carries them.
func appendNames(argv []string, req clients.Request, cmd *clients.Command) []string {
	if len(req.CSR) > 0 {
		path := filepath.Join(req.Dir, "request.csr")
		cmd.Files = append(cmd.Files, clients.File{Path: path, Data: req.CSR})
		return append(argv, "--csr", path)
	}
	for _, name := range req.Domains {
		argv = append(argv, "--domains", name)
	}
	return argv
}

// solver returns the challenge options. dns-01 goes through lego's exec
// provider and a hook script that calls the DNS management API;
// propagation is checked against the CA's own resolver only.
func (d *Driver) solver(req clients.Request, cmd *clients.Command) ([]string, error) {
	switch req.Challenge {
	case clients.ChallengeHTTP01:
		port := fmt.Sprintf("%s:%d", clients.ListenHost(d.cfg.Runner), req.Target.HTTP01Port)
		return []string{"--http", "--http.port", port}, nil
	case clients.ChallengeDNS01:
		// Without a shell for the hook (a FROM-scratch image), RFC 2136 it is.
		if req.DNS == clients.DNSRFC2136 || !clients.HasShell(d.cfg.Runner) {
			return rfc2136(req, cmd)
		}
		funcs, err := clients.DNSHookFuncs(req.Target.DNSAPIURL)
		if err != nil {
			return nil, fmt.Errorf("lego: %w", err)
		}
		hook := filepath.Join(req.Dir, "dns-hook.sh")
		cmd.Files = append(cmd.Files, clients.File{
			Path: hook, Data: []byte("#!/bin/sh\nset -e\n" + funcs + execDispatch), Perm: 0o700,
		})
		cmd.Env = append(cmd.Env, "EXEC_PATH="+hook,
			"EXEC_PROPAGATION_TIMEOUT=60", "EXEC_POLLING_INTERVAL=1",
			"EXEC_SEQUENCE_INTERVAL=1")
		return []string{"--dns", "exec", "--dns.resolvers", req.Target.DNSAddr,
			"--dns.propagation-disable-ans"}, nil
	}
	return nil, fmt.Errorf("lego: challenge %q: %w", req.Challenge, clients.ErrUnsupported)
}

// rfc2136 returns the options of lego's rfc2136 provider, which sends
// TSIG-signed dynamic updates to the DNS server.
func rfc2136(req clients.Request, cmd *clients.Command) ([]string, error) {
	k := req.Target.TSIG
	if k == nil {
		return nil, fmt.Errorf("lego: dns-01 through RFC 2136 needs a TSIG key")
	}
	cmd.Env = append(cmd.Env, "RFC2136_NAMESERVER="+req.Target.DNSAddr,
		"RFC2136_TSIG_KEY="+strings.TrimSuffix(k.Name, ".")+".",
		"RFC2136_TSIG_SECRET="+k.Secret,
		"RFC2136_TSIG_ALGORITHM="+strings.TrimSuffix(k.Algorithm, ".")+".",
		"RFC2136_PROPAGATION_TIMEOUT=60", "RFC2136_POLLING_INTERVAL=1",
		"RFC2136_SEQUENCE_INTERVAL=1")
	return []string{"--dns", "rfc2136", "--dns.resolvers", req.Target.DNSAddr,
		"--dns.propagation-disable-ans"}, nil
}

// execDispatch follows the exec provider's calling convention:
// "present|cleanup FQDN VALUE".
const execDispatch = `
case "$1" in
present) set_txt "$2" "$3" ;;
cleanup) clear_txt "$2" ;;
*) echo "dns hook: unknown action $1" >&2; exit 2 ;;
esac
`

// files are where lego keeps what the driver reads back.
type files struct{ chain, key, account string }

func (f files) list() []string { return []string{f.chain, f.key, f.account} }

// paths returns lego's storage layout for req: certificates under the
// primary name with "*" written as "_", the account under the server's
// host (":" written as "_") and the e-mail address.
func paths(req clients.Request) files {
	root := filepath.Join(req.Dir, ".lego")
	primary := "unknown"
	if len(req.Domains) > 0 {
		primary = strings.ReplaceAll(req.Domains[0], "*", "_")
	}
	host := "unknown"
	if u, err := url.Parse(req.Target.DirectoryURL); err == nil {
		host = strings.ReplaceAll(u.Host, ":", "_")
	}
	certs := filepath.Join(root, "certificates")
	return files{
		chain:   filepath.Join(certs, primary+".crt"),
		key:     filepath.Join(certs, primary+".key"),
		account: filepath.Join(root, "accounts", host, req.Email, "account.json"),
	}
}

// accountURL returns the account URL recorded in lego's account.json.
func accountURL(b []byte) string {
	var acct struct {
		Registration struct {
			URI string `json:"uri"`
		} `json:"registration"`
	}
	if json.Unmarshal(b, &acct) != nil {
		return ""
	}
	return acct.Registration.URI
}

package dehydrated

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"acmeconform/clients"
)

// keyAlgos maps key types to dehydrated's KEY_ALGO and KEYSIZE.
var keyAlgos = map[clients.KeyType][2]string{
	clients.KeyECDSAP256: {"prime256v1", ""},
	clients.KeyECDSAP384: {"secp384r1", ""},
	clients.KeyRSA2048:   {"rsa", "2048"},
	clients.KeyRSA3072:   {"rsa", "3072"},
}

// command builds the dehydrated command line and its config file.
func (d *Driver) command(req clients.Request, sub ...string) (clients.Command, error) {
	if req.Target.DirectoryURL == "" || req.Dir == "" {
		return clients.Command{}, fmt.Errorf("dehydrated %s: directory URL and state dir "+
			"are required", sub[0])
	}
	if err := d.Capabilities().Check(req.Need()); err != nil {
		return clients.Command{}, fmt.Errorf("%s %s: %w", Name, sub[0], err)
	}
	l := layout(req)
	conf, err := config(req, l)
	if err != nil {
		return clients.Command{}, err
	}
	cmd := clients.Command{
		Dir:     req.Dir,
		Dirs:    []string{l.base, filepath.Join(l.webroot, ".well-known", "acme-challenge")},
		Files:   []clients.File{{Path: l.config, Data: []byte(conf)}},
		Collect: []string{l.chain, l.key, l.accounts},
	}
	if err := addSolver(req, l, &cmd); err != nil {
		return clients.Command{}, err
	}

	argv := []string{d.cfg.Binary, sub[0]}
	switch sub[0] {
	case "--signcsr":
		cmd.Files = append(cmd.Files, clients.File{Path: l.csr, Data: req.CSR})
		argv = append(argv, l.csr, "--full-chain")
	case "--revoke":
		argv = append(argv, l.cert)
	case "--cron":
		argv = append(argv, sub[1:]...)
		for _, name := range req.Domains {
			argv = append(argv, "--domain", name)
		}
		argv = append(argv, "--alias", l.alias)
	}
	cmd.Argv = append(argv, "--config", l.config, "--accept-terms")
	return cmd, nil
}

// config returns dehydrated's config file, a shell fragment it sources.
func config(req clients.Request, l paths) (string, error) {
	q := clients.ShellQuote
	lines := []string{
		"CA=" + q(req.Target.DirectoryURL),
		"BASEDIR=" + q(l.base),
		"WELLKNOWN=" + q(filepath.Join(l.webroot, ".well-known", "acme-challenge")),
		"CURL_OPTS=" + q("--cacert "+req.Target.CACertFile),
		"CHALLENGETYPE=" + q(string(req.Challenge)),
	}
	if req.Email != "" {
		lines = append(lines, "CONTACT_EMAIL="+q(req.Email))
	}
	if req.EAB != nil {
		lines = append(lines, "EAB_KID="+q(req.EAB.KID), "EAB_HMAC_KEY="+q(req.EAB.HMACKey))
	}
	if req.PreferredChain != "" {
		lines = append(lines, "PREFERRED_CHAIN="+q(req.PreferredChain))
	}
	if req.Key != "" {
		algo, ok := keyAlgos[req.Key]
		if !ok {
			return "", fmt.Errorf("dehydrated: key type %s: %w", req.Key, clients.ErrUnsupported)
		}
		lines = append(lines, "KEY_ALGO="+algo[0])
		if algo[1] != "" {
			lines = append(lines, "KEYSIZE="+algo[1])
		}
	}
	return strings.Join(lines, "\n") + "\n", nil
}

// addSolver serves the webroot for http-01, or installs the hook that
// publishes dns-01 records through the DNS management API.
func addSolver(req clients.Request, l paths, cmd *clients.Command) error {
	switch req.Challenge {
	case clients.ChallengeHTTP01:
		cmd.Webroot, cmd.WebrootPort = l.webroot, req.Target.HTTP01Port
		return nil
	case clients.ChallengeDNS01:
		funcs, err := clients.DNSHookFuncs(req.Target.DNSAPIURL)
		if err != nil {
			return fmt.Errorf("dehydrated: %w", err)
		}
		cmd.Files = append(cmd.Files, clients.File{Path: l.hook, Perm: 0o700,
			Data: []byte("#!/bin/sh\nset -e\n" + funcs + hookDispatch)})
		cmd.Files[0].Data = append(cmd.Files[0].Data, "HOOK="+clients.ShellQuote(l.hook)+"\n"...)
		return nil
	}
	return fmt.Errorf("dehydrated: challenge %q: %w", req.Challenge, clients.ErrUnsupported)
}

// hookDispatch follows dehydrated's hook convention: "deploy_challenge
// DOMAIN TOKEN VALUE" and "clean_challenge ..."; other events are ignored.
const hookDispatch = `
case "$1" in
deploy_challenge) set_txt "_acme-challenge.$2" "$4" ;;
clean_challenge) clear_txt "_acme-challenge.$2" ;;
esac
`

// paths is dehydrated's storage layout for one scenario.
type paths struct {
	base, config, webroot, hook, csr string
	alias, cert, chain, key          string
	accounts                         string // glob of account_id.json
}

// layout places everything under req.Dir; the certificate directory is
// named by --alias after the primary name ("*" written as "_").
func layout(req clients.Request) paths {
	alias := "unknown"
	if len(req.Domains) > 0 {
		alias = strings.ReplaceAll(req.Domains[0], "*", "_")
	}
	base := filepath.Join(req.Dir, "state")
	certs := filepath.Join(base, "certs", alias)
	return paths{
		base: base, config: filepath.Join(req.Dir, "config.sh"),
		webroot: filepath.Join(req.Dir, "webroot"), hook: filepath.Join(req.Dir, "hook.sh"),
		csr: filepath.Join(req.Dir, "request.csr"), alias: alias,
		cert: filepath.Join(certs, "cert.pem"), chain: filepath.Join(certs, "fullchain.pem"),
		key:      filepath.Join(certs, "privkey.pem"),
		accounts: filepath.Join(base, "accounts", "*", "account_id.json"),
	}
}

// accountURL returns the account URL dehydrated stored, if any.
func accountURL(files map[string][]byte) string {
	for path, b := range files {
		if filepath.Base(path) != "account_id.json" {
			continue
		}
		var id struct {
			URL string `json:"url"`
		}
		if json.Unmarshal(b, &id) == nil && id.URL != "" {
			return id.URL
		}
	}
	return ""
}

package caddy

import (
	"fmt"
	"path/filepath"
	"strings"

	"acmeconform/clients"
)

// keyTypes maps key types to the Caddyfile's key_type values.
var keyTypes = map[clients.KeyType]string{
	clients.KeyECDSAP256: "p256",
	clients.KeyECDSAP384: "p384",
	clients.KeyRSA2048:   "rsa2048",
}

// layout is where one scenario's Caddy keeps its files: the Caddyfile,
// the JSON log the driver reads the outcome from, and the storage root
// (accounts under acme/, certificates under certificates/ISSUER/NAME/).
type layout struct{ caddyfile, log, startOut, storage, chain, key, accounts string }

// The log of a renewal is kept apart from the first order's.
func paths(req clients.Request, renew bool) layout {
	name := "unknown"
	if len(req.Domains) > 0 {
		// Caddy's storage names a wildcard's files "wildcard_.NAME".
		name = strings.Replace(req.Domains[0], "*", "wildcard_", 1)
	}
	storage := filepath.Join(req.Dir, "data")
	certs := filepath.Join(storage, "certificates", "*", name)
	return layout{
		caddyfile: filepath.Join(req.Dir, "Caddyfile"),
		log:       filepath.Join(req.Dir, logName[renew]),
		startOut:  filepath.Join(req.Dir, "caddy-start.out"),
		storage:   storage,
		chain:     filepath.Join(certs, name+".crt"),
		key:       filepath.Join(certs, name+".key"),
		accounts:  filepath.Join(storage, "acme", "*", "users", "*", "*.json"),
	}
}

var logName = map[bool]string{false: "caddy.log", true: "caddy-renew.log"}

// caddyfile writes the configuration that makes Caddy obtain a
// certificate for req.Domains from the CA through its ACME issuer, serving
// HTTP on HTTP01Port and HTTPS on the next port. For a renewal, the window
// covers nearly the whole lifetime, so that the stored certificate is
// renewed at start.
func caddyfile(req clients.Request, listen string, l layout, renew bool) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "{\n\tadmin %s\n", adminAddr(req))
	fmt.Fprintf(&b, "\tstorage file_system %s\n", quote(l.storage))
	fmt.Fprintf(&b, "\thttp_port %d\n\thttps_port %d\n", req.Target.HTTP01Port,
		req.Target.HTTP01Port+1)
	fmt.Fprintf(&b, "\tdefault_bind %s\n\tauto_https disable_redirects\n", listen)
	fmt.Fprintf(&b, "\tskip_install_trust\n\tpersist_config off\n")
	fmt.Fprintf(&b, "\tlog {\n\t\toutput file %s\n\t\tformat json\n\t}\n}\n\n", quote(l.log))

	fmt.Fprintf(&b, "%s {\n\ttls {\n", strings.Join(req.Domains, ", "))
	if req.Key != "" {
		kt, ok := keyTypes[req.Key]
		if !ok {
			return "", fmt.Errorf("caddy: key type %s: %w", req.Key, clients.ErrUnsupported)
		}
		fmt.Fprintf(&b, "\t\tkey_type %s\n", kt)
	}
	if renew {
		b.WriteString("\t\trenewal_window_ratio 0.99999999\n")
	}
	if err := issuer(&b, req); err != nil {
		return "", err
	}
	b.WriteString("\t}\n\trespond \"acmeconform\"\n}\n")
	return b.String(), nil
}

// issuer writes the ACME issuer block: the CA, its account options and
// the one challenge type the request names, the others switched off.
func issuer(b *strings.Builder, req clients.Request) error {
	fmt.Fprintf(b, "\t\tissuer acme {\n\t\t\tdir %s\n", quote(req.Target.DirectoryURL))
	if req.Target.CACertFile != "" {
		fmt.Fprintf(b, "\t\t\ttrusted_roots %s\n", quote(req.Target.CACertFile))
	}
	if req.Email != "" {
		fmt.Fprintf(b, "\t\t\temail %s\n", quote(req.Email))
	}
	if req.EAB != nil {
		fmt.Fprintf(b, "\t\t\teab %s %s\n", quote(req.EAB.KID),
			quote(strings.TrimRight(req.EAB.HMACKey, "=")))
	}
	if req.Challenge == clients.ChallengeDNS01 {
		if err := dnsChallenge(b, req.Target); err != nil {
			return err
		}
		b.WriteString("\t\t\tdisable_http_challenge\n")
	}
	if req.PreferredChain != "" {
		fmt.Fprintf(b, "\t\t\tpreferred_chains {\n\t\t\t\troot_common_name %s\n\t\t\t}\n",
			quote(req.PreferredChain))
	}
	b.WriteString("\t\t\tdisable_tlsalpn_challenge\n\t\t}\n")
	return nil
}

// dnsChallenge writes the dns-01 options: records are published through
// the rfc2136 provider built into acmeconform's Caddy (tools/caddydns)
// with TSIG-signed updates to the run's DNS server. That server is also
// the only resolver: Caddy looks up the zone and checks propagation there
// alone, and without it would ask the system's resolvers or public ones.
func dnsChallenge(b *strings.Builder, t clients.Target) error {
	k := t.TSIG
	if k == nil || t.DNSAddr == "" {
		return fmt.Errorf("caddy: dns-01 needs a DNS server that takes TSIG-signed "+
			"updates (RFC 2136): %w", clients.ErrUnsupported)
	}
	fmt.Fprintf(b, "\t\t\tdns rfc2136 {\n\t\t\t\tserver %s\n", quote(t.DNSAddr))
	fmt.Fprintf(b, "\t\t\t\tkey_name %s\n\t\t\t\tkey_alg %s\n\t\t\t\tkey %s\n\t\t\t}\n",
		quote(k.Name), quote(k.Algorithm), quote(k.Secret))
	fmt.Fprintf(b, "\t\t\tresolvers %s\n\t\t\tpropagation_timeout %s\n",
		quote(t.DNSAddr), propagationTimeout)
	return nil
}

// quote writes a Caddyfile token in double quotes.
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

package caddydns

import (
	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/caddyconfig/caddyfile"
	"github.com/caddyserver/certmagic"
)

// ModuleID is the provider's name in Caddy's module namespace.
const ModuleID = "dns.providers.rfc2136"

func init() {
	caddy.RegisterModule(Module{})
}

// Module is the Caddy module wrapping Provider. In a Caddyfile:
//
//	dns rfc2136 {
//		server   10.0.0.1:53
//		key_name acme-update.
//		key_alg  hmac-sha256
//		key      c2VjcmV0...
//	}
//
// Every field may hold placeholders such as {env.TSIG_KEY}.
type Module struct {
	Provider
}

// CaddyModule returns the module's information.
func (Module) CaddyModule() caddy.ModuleInfo {
	return caddy.ModuleInfo{ID: ModuleID, New: func() caddy.Module { return new(Module) }}
}

// Provision replaces placeholders in the fields and validates them, so a
// bad configuration fails when Caddy loads it, not at the first order.
func (m *Module) Provision(caddy.Context) error {
	repl := caddy.NewReplacer()
	for _, f := range []*string{&m.Server, &m.KeyName, &m.KeyAlg, &m.Key} {
		*f = repl.ReplaceAll(*f, "")
	}
	return m.Validate()
}

// UnmarshalCaddyfile reads the block after "dns rfc2136"; the provider
// takes no arguments on the directive's line.
func (m *Module) UnmarshalCaddyfile(d *caddyfile.Dispenser) error {
	d.Next() // the provider's name
	if d.NextArg() {
		return d.ArgErr()
	}
	for d.NextBlock(0) {
		var field *string
		switch d.Val() {
		case "server":
			field = &m.Server
		case "key_name":
			field = &m.KeyName
		case "key_alg":
			field = &m.KeyAlg
		case "key":
			field = &m.Key
		default:
			return d.Errf("rfc2136: unknown option %q", d.Val())
		}
		if *field != "" {
			return d.Errf("rfc2136: %s given twice", d.Val())
		}
		if !d.AllArgs(field) {
			return d.ArgErr()
		}
	}
	return nil
}

// Interface guards: what Caddy and its ACME issuer need of the module.
var (
	_ caddy.Provisioner     = (*Module)(nil)
	_ caddyfile.Unmarshaler = (*Module)(nil)
	_ certmagic.DNSProvider = (*Module)(nil)
)

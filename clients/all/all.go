// Package all builds the driver of every supported client at once, for
// runners that do not pick clients one by one.
package all

import (
	"acmeconform/clients"
	"acmeconform/clients/caddy"
	"acmeconform/clients/certbot"
	"acmeconform/clients/dehydrated"
	"acmeconform/clients/lego"
	"acmeconform/clients/uacme"
)

// Binaries are the client executables as the Runner sees them; an empty
// path leaves that client out.
type Binaries struct {
	Lego       string
	Certbot    string
	Dehydrated string
	Uacme      string
	Caddy      string
}

// DebianBinaries are where Debian's packages install certbot, dehydrated
// and uacme; lego is left for the caller (it is built from its module).
func DebianBinaries() Binaries {
	return Binaries{
		Certbot: "/usr/bin/certbot", Dehydrated: "/usr/bin/dehydrated", Uacme: "/usr/bin/uacme",
	}
}

// Drivers returns a driver for every client with a binary, all run by
// base's Runner and Logger, in the order of clients.Names.
func Drivers(b Binaries, base clients.Config) []clients.Driver {
	with := func(bin string) clients.Config {
		cfg := base
		cfg.Binary = bin
		return cfg
	}
	var out []clients.Driver
	if b.Lego != "" {
		out = append(out, lego.New(with(b.Lego)))
	}
	if b.Certbot != "" {
		out = append(out, certbot.New(with(b.Certbot)))
	}
	if b.Dehydrated != "" {
		out = append(out, dehydrated.New(with(b.Dehydrated)))
	}
	if b.Uacme != "" {
		out = append(out, uacme.New(with(b.Uacme)))
	}
	if b.Caddy != "" {
		out = append(out, caddy.New(with(b.Caddy)))
	}
	return out
}

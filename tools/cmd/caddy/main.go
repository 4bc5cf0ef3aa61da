// Command caddy is Caddy with its standard modules and the RFC 2136 DNS
// provider of acmeconform/tools/caddydns, so that it can answer dns-01
// challenges with TSIG-signed dynamic updates.
package main

import (
	caddycmd "github.com/caddyserver/caddy/v2/cmd"

	_ "acmeconform/tools/caddydns"
	_ "github.com/caddyserver/caddy/v2/modules/standard"
)

func main() {
	caddycmd.Main()
}

package runner

import (
	"context"

	"github.com/miekg/dns"

	"acmeconform/dnsmock"
)

// dnsControl is the mock DNS server as the server suite drives it: TXT
// records for dns-01 and CAA records (RFC 8659) for the CAA specs, which
// skip on a target whose DNS control cannot publish CAA.
type dnsControl struct{ *dnsmock.Server }

// AddCAA adds one CAA record at host; flag 128 marks it critical.
func (d dnsControl) AddCAA(_ context.Context, host string, flag uint8, tag, value string) error {
	return d.Server.AddCAA(host, flag, tag, value)
}

// ClearCAA removes every CAA record at host.
func (d dnsControl) ClearCAA(_ context.Context, host string) error {
	return d.Server.Clear(host, dns.TypeCAA)
}

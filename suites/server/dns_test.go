package server_test

import (
	"context"
	"fmt"

	"acmeconform/dnsmock"
	"acmeconform/internal/ports"
	"acmeconform/suites"
)

// testDNS is the mock DNS server and http-01 responder the local targets
// validate against: every name resolves to 127.0.0.1.
type testDNS struct {
	srv      *dnsmock.Server
	httpPort int
	alpn     *alpnResponder
	alpnPort int
}

// responders returns the http-01 and tls-alpn-01 control of the targets.
func (d *testDNS) responders() responders { return responders{d.srv.HTTP01(), d.alpn} }

// Close stops the DNS server and the responders.
func (d *testDNS) Close() error {
	_ = d.alpn.ln.Close()
	return d.srv.Close()
}

func startDNS() (*testDNS, error) {
	ps, err := ports.Free(2)
	if err != nil {
		return nil, err
	}
	alpn, err := startALPN(ps[1])
	if err != nil {
		return nil, err
	}
	srv, err := dnsmock.New(dnsmock.Config{
		DefaultIPv4: "127.0.0.1",
		HTTP01Addr:  fmt.Sprintf("127.0.0.1:%d", ps[0]),
	})
	if err != nil {
		return nil, err
	}
	if err := srv.Start(); err != nil {
		return nil, err
	}
	return &testDNS{srv: srv, httpPort: ps[0], alpn: alpn, alpnPort: ps[1]}, nil
}

// dnsControl gives the suite TXT and CAA control over the mock DNS.
type dnsControl struct{ srv *dnsmock.Server }

func (d dnsControl) AddTXT(ctx context.Context, fqdn, value string) error {
	return d.srv.AddTXT(ctx, fqdn, value)
}

func (d dnsControl) ClearTXT(ctx context.Context, fqdn string) error {
	return d.srv.ClearTXT(ctx, fqdn)
}

// AddCAA adds one CAA record at host.
func (d dnsControl) AddCAA(_ context.Context, host string, flag uint8, tag, value string) error {
	return d.srv.AddCAA(host, flag, tag, value)
}

// ClearCAA removes every CAA record at host.
func (d dnsControl) ClearCAA(_ context.Context, host string) error {
	return d.srv.Clear(host, 257)
}

var _ suites.DNSControl = dnsControl{}

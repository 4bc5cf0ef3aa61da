package dnsmock_test

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/miekg/dns"

	"acmeconform/dnsmock"
)

// Start a server on a free loopback port, publish a dns-01 record set and
// read it back with a DNS client.
func Example() {
	s, err := dnsmock.New(dnsmock.Config{DefaultIPv4: "127.0.0.1"})
	if err != nil {
		panic(err)
	}
	if err := s.Start(); err != nil {
		panic(err)
	}
	defer s.Close()

	ctx := context.Background()
	_ = s.AddTXT(ctx, "_acme-challenge.example.test", "base-name-digest")
	_ = s.AddTXT(ctx, "_acme-challenge.example.test", "wildcard-digest")

	q := new(dns.Msg).SetQuestion("_acme-challenge.example.test.", dns.TypeTXT)
	r, err := dns.Exchange(q, s.Addr())
	if err != nil {
		panic(err)
	}
	fmt.Println(dns.RcodeToString[r.Rcode], len(r.Answer), "values")
	// Output: NOERROR 2 values
}

// Apex records are synthesised, so tools that climb to the zone cut find
// one; a name with nothing stored gets NXDOMAIN with the zone's SOA.
func ExampleServer_zones() {
	s, _ := dnsmock.New(dnsmock.Config{Zones: []string{"example.test"}})
	_ = s.Start()
	defer s.Close()
	_ = s.SetA("www.example.test", netip.MustParseAddr("192.0.2.1"))

	for _, name := range []string{"example.test.", "www.example.test.", "nope.example.test."} {
		r, _ := dns.Exchange(new(dns.Msg).SetQuestion(name, dns.TypeSOA), s.Addr())
		soa := r.Ns
		if len(r.Answer) > 0 {
			soa = r.Answer
		}
		fmt.Println(name, dns.RcodeToString[r.Rcode], len(r.Answer), "answer,",
			soa[0].Header().Name)
	}
	// Output:
	// example.test. NOERROR 1 answer, example.test.
	// www.example.test. NOERROR 0 answer, example.test.
	// nope.example.test. NXDOMAIN 0 answer, example.test.
}

// Faults make one name misbehave; the query history shows what was asked.
func ExampleServer_SetFault() {
	s, _ := dnsmock.New(dnsmock.Config{})
	_ = s.Start()
	defer s.Close()

	_ = s.SetFault("flaky.example.test", dnsmock.Fault{Kind: dnsmock.FaultServfail})
	r, _ := dns.Exchange(new(dns.Msg).SetQuestion("flaky.example.test.", dns.TypeTXT), s.Addr())
	fmt.Println(dns.RcodeToString[r.Rcode])

	for _, ev := range s.History("flaky.example.test", dns.TypeTXT) {
		fmt.Println(ev.Type, ev.Proto, ev.Rcode, ev.Fault)
	}
	// Output:
	// SERVFAIL
	// TXT udp SERVFAIL servfail
}

// The HTTP client speaks the management API, here to publish a record and
// to serve an http-01 token from the responder beside the server.
func ExampleClient() {
	s, _ := dnsmock.New(dnsmock.Config{HTTP01Addr: "127.0.0.1:0"})
	_ = s.Start()
	defer s.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c := dnsmock.NewClient(s.APIURL(), nil)
	if err := c.AddTXT(ctx, "_acme-challenge.example.test", "digest"); err != nil {
		panic(err)
	}
	if err := c.AddCAA(ctx, "example.test", 0, "issue",
		"ca.example; validationmethods=dns-01"); err != nil {
		panic(err)
	}
	rrs, _ := s.Records("example.test")
	fmt.Println(rrs[0].(*dns.CAA).Value)
	// Output: ca.example; validationmethods=dns-01
}

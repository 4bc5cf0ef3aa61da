package mockca

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/miekg/dns"

	"acmeconform/acme"
)

// maxCNAMEs bounds the CNAME chain followed for one lookup.
const maxCNAMEs = 8

// udpFirstTry and udpSecondTry bound the two tries of a UDP query; 2 s
// together, the DNS client's usual timeout.
const (
	udpFirstTry  = 700 * time.Millisecond
	udpSecondTry = 2*time.Second - udpFirstTry
)

// isTimeout reports whether err is a network timeout.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// query sends one question to the configured DNS server over UDP, on a
// kept socket (resolve_conns.go), asking once more when no answer comes
// and over TCP when the answer is truncated.
func (s *Server) query(ctx context.Context, name string, qtype uint16) (*dns.Msg, *acme.Problem) {
	if s.cfg.DNSServer == "" {
		return nil, acme.NewProblem(acme.ProblemDNS, "no DNS server is configured")
	}
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	m.RecursionDesired = true
	r, err := s.dnsConns.exchange(ctx, &dns.Client{Net: "udp", Timeout: udpFirstTry}, m,
		s.cfg.DNSServer)
	if isTimeout(err) && ctx.Err() == nil {
		// A datagram lost (a busy server's receive buffer overflowed) is
		// asked again, as resolvers do; both tries together take no longer
		// than the one try before, so a dead server still fails in 2 s.
		r, err = s.dnsConns.exchange(ctx, &dns.Client{Net: "udp", Timeout: udpSecondTry}, m,
			s.cfg.DNSServer)
	}
	if err == nil && r.Truncated {
		c := &dns.Client{Net: "tcp"}
		r, _, err = c.ExchangeContext(ctx, m, s.cfg.DNSServer)
	}
	if err != nil {
		return nil, acme.NewProblem(acme.ProblemDNS, "DNS query %s %s: %v",
			dns.TypeToString[qtype], name, err)
	}
	if r.Rcode != dns.RcodeSuccess && r.Rcode != dns.RcodeNameError && !lenientCAA(qtype, r) {
		return nil, acme.NewProblem(acme.ProblemDNS, "DNS query %s %s: %s",
			dns.TypeToString[qtype], name, dns.RcodeToString[r.Rcode])
	}
	return r, nil
}

// lookupRR returns the records of type qtype at name, following CNAMEs.
func (s *Server) lookupRR(ctx context.Context, name string, qtype uint16) ([]dns.RR, *acme.Problem) {
	cur := dns.Fqdn(name)
	for range maxCNAMEs {
		r, p := s.query(ctx, cur, qtype)
		if p != nil {
			return nil, p
		}
		var out []dns.RR
		next := ""
		for _, rr := range r.Answer {
			h := rr.Header()
			switch {
			case h.Rrtype == qtype:
				out = append(out, rr)
			case h.Rrtype == dns.TypeCNAME && strings.EqualFold(h.Name, cur):
				next = rr.(*dns.CNAME).Target
			}
		}
		if len(out) > 0 || next == "" {
			return out, nil
		}
		cur = next
	}
	return nil, acme.NewProblem(acme.ProblemDNS, "CNAME chain at %s is too long", name)
}

// resolveHost returns the addresses of host: the literal for an IP address,
// otherwise its A and then AAAA records.
func (s *Server) resolveHost(ctx context.Context, host string) ([]netip.Addr, *acme.Problem) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a}, nil
	}
	var out []netip.Addr
	for _, t := range []uint16{dns.TypeA, dns.TypeAAAA} {
		rrs, p := s.lookupRR(ctx, host, t)
		if p != nil {
			return nil, p
		}
		for _, rr := range rrs {
			switch v := rr.(type) {
			case *dns.A:
				a, _ := netip.AddrFromSlice(v.A.To4())
				out = append(out, a)
			case *dns.AAAA:
				a, _ := netip.AddrFromSlice(v.AAAA)
				out = append(out, a)
			}
		}
	}
	if len(out) == 0 {
		return nil, acme.NewProblem(acme.ProblemDNS, "no A or AAAA records for %s", host)
	}
	return out, nil
}

// lenientCAA treats a server that does not implement or refuses CAA
// queries as publishing no CAA records, so test DNS servers without CAA
// support do not block issuance.
func lenientCAA(qtype uint16, r *dns.Msg) bool {
	return qtype == dns.TypeCAA && (r.Rcode == dns.RcodeNotImplemented || r.Rcode == dns.RcodeRefused)
}

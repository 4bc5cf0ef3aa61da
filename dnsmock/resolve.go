package dnsmock

import (
	"net"
	"strings"

	"github.com/miekg/dns"
)

// result is the content of an answer before it becomes a message.
type result struct {
	rcode  int
	answer []dns.RR
	ns     []dns.RR
}

// resolve answers qname/qtype from the store, following CNAME chains inside
// the served zones (RFC 1034 §4.3.2 step 3.a). The rcode reflects the last
// name of the chain (RFC 6604 §2).
func (st *store) resolve(qname string, qtype uint16, ttl uint32) result {
	st.mu.RLock()
	defer st.mu.RUnlock()

	owner := dns.Fqdn(qname)
	var chain []dns.RR
	for range maxCNAMEChain {
		name := strings.ToLower(owner)
		if qtype != dns.TypeCNAME && qtype != dns.TypeANY {
			if cn := st.rrset(name, dns.TypeCNAME); len(cn) > 0 {
				chain = append(chain, renamed(cn[0], owner))
				owner = cn[0].(*dns.CNAME).Target
				continue
			}
		}
		if rrs := st.lookup(name, qtype, ttl); len(rrs) > 0 {
			for _, rr := range rrs {
				chain = append(chain, renamed(rr, owner))
			}
			return result{rcode: dns.RcodeSuccess, answer: chain}
		}
		rcode := dns.RcodeSuccess
		if !st.exists(name) {
			rcode = dns.RcodeNameError
		}
		soa := st.soa(st.apexOf(name), ttl)
		return result{rcode: rcode, answer: chain, ns: []dns.RR{soa}}
	}
	// A chain longer than maxCNAMEChain is treated as a loop.
	return result{rcode: dns.RcodeServerFailure}
}

// lookup returns the records of type t at name, stored or synthesised.
func (st *store) lookup(name string, t uint16, ttl uint32) []dns.RR {
	apex := st.apexOf(name) == name
	switch t {
	case dns.TypeANY:
		return st.lookupAny(name, apex, ttl)
	case dns.TypeSOA:
		if apex {
			return []dns.RR{st.soa(name, ttl)}
		}
		return nil
	case dns.TypeNS:
		if rrs := st.rrset(name, t); len(rrs) > 0 || !apex {
			return rrs
		}
		return []dns.RR{st.apexNS(name, ttl)}
	case dns.TypeA, dns.TypeAAAA:
		if rrs := st.rrset(name, t); len(rrs) > 0 {
			return rrs
		}
		return st.synthAddr(name, t, ttl)
	}
	return st.rrset(name, t)
}

// lookupAny answers qtype ANY with everything stored at name, plus the
// apex records (RFC 8482 would allow less; tools expect the full set).
func (st *store) lookupAny(name string, apex bool, ttl uint32) []dns.RR {
	var out []dns.RR
	if apex {
		out = append(out, st.soa(name, ttl))
		if len(st.rrset(name, dns.TypeNS)) == 0 {
			out = append(out, st.apexNS(name, ttl))
		}
	}
	for _, rrs := range st.names[name] {
		out = append(out, rrs...)
	}
	return out
}

// synthAddr gives the name server host of an apex the listener's address,
// and other names the configured default address.
func (st *store) synthAddr(name string, t uint16, ttl uint32) []dns.RR {
	addr := st.defaultV4
	if t == dns.TypeAAAA {
		addr = st.defaultV6
	}
	if isNSHost(name, st) && st.selfIP.Is4() == (t == dns.TypeA) {
		addr = st.selfIP
	}
	if !addr.IsValid() || st.rrset(name, dns.TypeCNAME) != nil {
		return nil
	}
	hdr := dns.RR_Header{Name: name, Rrtype: t, Class: dns.ClassINET, Ttl: ttl}
	if t == dns.TypeA {
		return []dns.RR{&dns.A{Hdr: hdr, A: net.IP(addr.AsSlice())}}
	}
	return []dns.RR{&dns.AAAA{Hdr: hdr, AAAA: net.IP(addr.AsSlice())}}
}

func isNSHost(name string, st *store) bool {
	if !strings.HasPrefix(name, apexNSLabel+".") {
		return false
	}
	rest := parent(name)
	return st.apexOf(rest) == rest
}

// soa synthesises the SOA of apex. MINIMUM carries the negative-caching
// TTL (RFC 2308 §4), equal to the default record TTL.
func (st *store) soa(apex string, ttl uint32) dns.RR {
	return &dns.SOA{
		Hdr:     dns.RR_Header{Name: apex, Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: ttl},
		Ns:      dns.Fqdn(apexNSLabel + "." + strings.TrimPrefix(apex, ".")),
		Mbox:    dns.Fqdn("hostmaster." + strings.TrimPrefix(apex, ".")),
		Serial:  st.serial,
		Refresh: 3600,
		Retry:   600,
		Expire:  86400,
		Minttl:  ttl,
	}
}

func (st *store) apexNS(apex string, ttl uint32) dns.RR {
	return &dns.NS{
		Hdr: dns.RR_Header{Name: apex, Rrtype: dns.TypeNS, Class: dns.ClassINET, Ttl: ttl},
		Ns:  dns.Fqdn(apexNSLabel + "." + strings.TrimPrefix(apex, ".")),
	}
}

// renamed copies rr with the owner name spelled as the question asked it.
func renamed(rr dns.RR, owner string) dns.RR {
	c := dns.Copy(rr)
	c.Header().Name = owner
	return c
}

package dnsmock

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"

	"github.com/miekg/dns"
)

// maxCharString is the longest character-string in TXT RDATA (RFC 1035
// §3.3); longer values are split across several strings of one record.
const maxCharString = 255

// AddTXT adds value to the TXT record set at fqdn; values accumulate, so a
// wildcard order and its base name can publish two values at one name.
func (s *Server) AddTXT(_ context.Context, fqdn, value string) error {
	hdr, err := s.header(fqdn, dns.TypeTXT)
	if err != nil {
		return fmt.Errorf("add TXT: %w", err)
	}
	return s.add(&dns.TXT{Hdr: hdr, Txt: splitTXT(value)})
}

// ClearTXT removes every TXT value at fqdn.
func (s *Server) ClearTXT(_ context.Context, fqdn string) error {
	return s.Clear(fqdn, dns.TypeTXT)
}

// AddA adds addresses to the A record set at name.
func (s *Server) AddA(name string, ips ...netip.Addr) error {
	return s.addAddrs(name, dns.TypeA, false, ips)
}

// SetA replaces the A record set at name; no addresses clears it.
func (s *Server) SetA(name string, ips ...netip.Addr) error {
	return s.addAddrs(name, dns.TypeA, true, ips)
}

// AddAAAA adds addresses to the AAAA record set at name.
func (s *Server) AddAAAA(name string, ips ...netip.Addr) error {
	return s.addAddrs(name, dns.TypeAAAA, false, ips)
}

// SetAAAA replaces the AAAA record set at name; no addresses clears it.
func (s *Server) SetAAAA(name string, ips ...netip.Addr) error {
	return s.addAddrs(name, dns.TypeAAAA, true, ips)
}

// AddCAA adds one CAA record (RFC 8659 §4.1). flag 128 marks the property
// critical. value is stored as given, so RFC 8657 parameters travel in it:
// "ca.example; accounturi=https://ca.example/acct/1; validationmethods=dns-01".
func (s *Server) AddCAA(name string, flag uint8, tag, value string) error {
	hdr, err := s.header(name, dns.TypeCAA)
	if err != nil {
		return fmt.Errorf("add CAA: %w", err)
	}
	if tag == "" {
		return fmt.Errorf("add CAA: %w: empty tag", ErrBadRecord)
	}
	return s.add(&dns.CAA{Hdr: hdr, Flag: flag, Tag: tag, Value: value})
}

// SetCNAME makes name an alias of target, replacing any previous CNAME.
// While it is set, questions for other types at name follow it.
func (s *Server) SetCNAME(name, target string) error {
	hdr, err := s.header(name, dns.TypeCNAME)
	if err != nil {
		return fmt.Errorf("set CNAME: %w", err)
	}
	t, err := canonical(target)
	if err != nil {
		return fmt.Errorf("set CNAME target: %w", err)
	}
	return s.add(&dns.CNAME{Hdr: hdr, Target: t})
}

// AddRR adds a record written in zone-file form, e.g.
// "www.example.com. 60 IN MX 10 mail.example.com.". A missing TTL means
// Config.TTL. SOA records cannot be stored: apexes synthesise their own.
func (s *Server) AddRR(text string) error {
	rr, err := dns.NewRR(text)
	if err != nil {
		return fmt.Errorf("add record: %w: %w", ErrBadRecord, err)
	}
	if rr == nil {
		return fmt.Errorf("add record: %w: empty", ErrBadRecord)
	}
	if !hasTTL(text) {
		rr.Header().Ttl = s.cfg.TTL
	}
	return s.AddRecord(rr)
}

// AddRecord adds rr as given (its TTL included) to the set of its type.
func (s *Server) AddRecord(rr dns.RR) error {
	name, err := canonical(rr.Header().Name)
	if err != nil {
		return fmt.Errorf("add record: %w", err)
	}
	if !storable(rr.Header().Rrtype) || rr.Header().Class != dns.ClassINET {
		return fmt.Errorf("add record: %w: type %s class %s cannot be stored", ErrBadRecord,
			dns.TypeToString[rr.Header().Rrtype], dns.ClassToString[rr.Header().Class])
	}
	c := dns.Copy(rr)
	c.Header().Name = name
	return s.add(c)
}

// Clear removes the records of type rrtype at name; dns.TypeANY removes all.
func (s *Server) Clear(name string, rrtype uint16) error {
	n, err := canonical(name)
	if err != nil {
		return fmt.Errorf("clear records: %w", err)
	}
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	s.st.remove(n, rrtype, nil)
	return nil
}

// SetTTL changes the TTL of every record of type rrtype at name.
func (s *Server) SetTTL(name string, rrtype uint16, ttl uint32) error {
	n, err := canonical(name)
	if err != nil {
		return fmt.Errorf("set TTL: %w", err)
	}
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	for _, rr := range s.st.rrset(n, rrtype) {
		rr.Header().Ttl = ttl
	}
	s.st.serial++
	return nil
}

// Records returns copies of every record stored at name.
func (s *Server) Records(name string) ([]dns.RR, error) {
	n, err := canonical(name)
	if err != nil {
		return nil, fmt.Errorf("list records: %w", err)
	}
	s.st.mu.RLock()
	defer s.st.mu.RUnlock()
	var out []dns.RR
	for _, rrs := range s.st.names[n] {
		for _, rr := range rrs {
			out = append(out, dns.Copy(rr))
		}
	}
	return out, nil
}

// SetDefaultIPv4 changes Config.DefaultIPv4; the zero Addr removes it.
func (s *Server) SetDefaultIPv4(a netip.Addr) error {
	if a.IsValid() && !a.Unmap().Is4() {
		return fmt.Errorf("set default IPv4: %w: %s", ErrBadRecord, a)
	}
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	s.st.defaultV4 = a.Unmap()
	return nil
}

// SetDefaultIPv6 changes Config.DefaultIPv6; the zero Addr removes it.
func (s *Server) SetDefaultIPv6(a netip.Addr) error {
	if a.IsValid() && !a.Is6() {
		return fmt.Errorf("set default IPv6: %w: %s", ErrBadRecord, a)
	}
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	s.st.defaultV6 = a
	return nil
}

func (s *Server) addAddrs(name string, t uint16, replace bool, ips []netip.Addr) error {
	hdr, err := s.header(name, t)
	if err != nil {
		return fmt.Errorf("set %s: %w", dns.TypeToString[t], err)
	}
	rrs := make([]dns.RR, 0, len(ips))
	for _, ip := range ips {
		ip = ip.Unmap()
		if !ip.IsValid() || ip.Is4() != (t == dns.TypeA) {
			return fmt.Errorf("set %s: %w: address %s", dns.TypeToString[t], ErrBadRecord, ip)
		}
		if t == dns.TypeA {
			rrs = append(rrs, &dns.A{Hdr: hdr, A: net.IP(ip.AsSlice())})
		} else {
			rrs = append(rrs, &dns.AAAA{Hdr: hdr, AAAA: net.IP(ip.AsSlice())})
		}
	}
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	if replace {
		s.st.remove(hdr.Name, t, nil)
	}
	for _, rr := range rrs {
		s.st.add(rr)
	}
	return nil
}

func (s *Server) header(name string, t uint16) (dns.RR_Header, error) {
	n, err := canonical(name)
	if err != nil {
		return dns.RR_Header{}, err
	}
	return dns.RR_Header{Name: n, Rrtype: t, Class: dns.ClassINET, Ttl: s.cfg.TTL}, nil
}

func (s *Server) add(rr dns.RR) error {
	// A record that cannot be packed would break every answer holding it.
	buf := make([]byte, dns.Len(rr)+1)
	if _, err := dns.PackRR(rr, buf, 0, nil, false); err != nil {
		return fmt.Errorf("%w: %w", ErrBadRecord, err)
	}
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	s.st.add(rr)
	return nil
}

// storable excludes the types an apex synthesises or that are not data.
func storable(t uint16) bool {
	switch t {
	case dns.TypeSOA, dns.TypeOPT, dns.TypeTSIG, dns.TypeANY, dns.TypeAXFR, dns.TypeIXFR,
		dns.TypeNone:
		return false
	}
	return true
}

func splitTXT(v string) []string {
	if v == "" {
		return []string{""}
	}
	var parts []string
	for len(v) > maxCharString {
		parts = append(parts, escapeTXT(v[:maxCharString]))
		v = v[maxCharString:]
	}
	return append(parts, escapeTXT(v))
}

// escapeTXT protects backslashes, which miekg/dns reads as escapes when it
// packs a character-string.
func escapeTXT(v string) string {
	return strings.ReplaceAll(v, `\`, `\\`)
}

// hasTTL reports whether the second field of a zone-file line is a TTL.
func hasTTL(text string) bool {
	var owner, second string
	if _, err := fmt.Sscan(text, &owner, &second); err != nil {
		return false
	}
	for _, r := range second {
		if r < '0' || r > '9' {
			return false
		}
	}
	return second != ""
}

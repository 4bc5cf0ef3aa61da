package dnsmock

import (
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// UpdateEvent records one RFC 2136 update request.
type UpdateEvent struct {
	Time    time.Time `json:"time"`
	Zone    string    `json:"zone"`
	Key     string    `json:"key,omitempty"` // TSIG key name, "" when unsigned
	Rcode   string    `json:"rcode"`
	Remote  string    `json:"remote"`
	Added   int       `json:"added"`
	Deleted int       `json:"deleted"`
}

func (s *Server) serveUpdate(ex *exchange) {
	ev := UpdateEvent{Time: ex.start, Remote: ex.remote}
	if t := ex.req.IsTsig(); t != nil {
		ev.Key = strings.ToLower(t.Hdr.Name)
	}
	rcode := s.applyUpdate(ex.req, &ev)
	ev.Rcode = dns.RcodeToString[rcode]
	// Logged before the reply goes out: a client that has its answer finds
	// its update in Updates and /updates.
	s.recordUpdate(ev)
	s.finish(ex, new(dns.Msg).SetRcode(ex.req, rcode))
}

func (s *Server) applyUpdate(req *dns.Msg, ev *UpdateEvent) int {
	// RFC 2136 §3.1.1: the zone section holds one SOA question.
	if len(req.Question) != 1 || req.Question[0].Qtype != dns.TypeSOA {
		return dns.RcodeFormatError
	}
	zone := strings.ToLower(dns.Fqdn(req.Question[0].Name))
	ev.Zone = zone
	// RFC 2136 §3.3: a signed request was verified before; an unsigned one
	// is refused unless the configuration allows it.
	if ev.Key == "" && !s.cfg.AllowUnsignedUpdates {
		return dns.RcodeRefused
	}
	st := s.st
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.apexOf(zone) != zone {
		return dns.RcodeNotAuth // RFC 2136 §3.1.2: not a zone we serve
	}
	if rc := st.checkPrereqs(zone, req.Answer); rc != dns.RcodeSuccess {
		return rc
	}
	if rc := prescan(zone, req.Ns); rc != dns.RcodeSuccess {
		return rc
	}
	ev.Added, ev.Deleted = st.applyUpdates(zone, req.Ns)
	return dns.RcodeSuccess
}

// checkPrereqs evaluates the prerequisite section (RFC 2136 §3.2).
func (st *store) checkPrereqs(zone string, prereqs []dns.RR) int {
	want := map[string]map[uint16][]dns.RR{}
	for _, rr := range prereqs {
		h := rr.Header()
		name := strings.ToLower(h.Name)
		if h.Ttl != 0 {
			return dns.RcodeFormatError
		}
		if !isBelow(name, zone) {
			return dns.RcodeNotZone
		}
		if rc := st.checkPrereq(name, zone, h, rr, want); rc != dns.RcodeSuccess {
			return rc
		}
	}
	// RFC 2136 §3.2.3: value-dependent sets must match exactly.
	for name, types := range want {
		for t, rrs := range types {
			if !sameSet(st.rrset(name, t), rrs) {
				return dns.RcodeNXRrset
			}
		}
	}
	return dns.RcodeSuccess
}

func (st *store) checkPrereq(name, zone string, h *dns.RR_Header, rr dns.RR,
	want map[string]map[uint16][]dns.RR) int {
	inUse := len(st.names[name]) > 0 || name == zone
	switch h.Class {
	case dns.ClassANY: // §3.2.1: name or RRset in use
		switch {
		case h.Rdlength != 0:
			return dns.RcodeFormatError
		case h.Rrtype == dns.TypeANY && !inUse:
			return dns.RcodeNameError
		case h.Rrtype != dns.TypeANY && !st.hasSet(name, zone, h.Rrtype):
			return dns.RcodeNXRrset
		}
	case dns.ClassNONE: // §3.2.2: name or RRset not in use
		switch {
		case h.Rdlength != 0:
			return dns.RcodeFormatError
		case h.Rrtype == dns.TypeANY && inUse:
			return dns.RcodeYXDomain
		case h.Rrtype != dns.TypeANY && st.hasSet(name, zone, h.Rrtype):
			return dns.RcodeYXRrset
		}
	case dns.ClassINET: // §3.2.3: collected, compared as whole sets
		if want[name] == nil {
			want[name] = map[uint16][]dns.RR{}
		}
		want[name][h.Rrtype] = append(want[name][h.Rrtype], rr)
	default:
		return dns.RcodeFormatError
	}
	return dns.RcodeSuccess
}

func (st *store) hasSet(name, zone string, t uint16) bool {
	if name == zone && (t == dns.TypeSOA || t == dns.TypeNS) {
		return true
	}
	return len(st.rrset(name, t)) > 0
}

// prescan checks the update section before anything changes (RFC 2136
// §3.4.1), so a bad request leaves the zone untouched.
func prescan(zone string, updates []dns.RR) int {
	for _, rr := range updates {
		h := rr.Header()
		if !isBelow(strings.ToLower(h.Name), zone) {
			return dns.RcodeNotZone
		}
		meta := h.Rrtype == dns.TypeAXFR || h.Rrtype == dns.TypeIXFR ||
			h.Rrtype == dns.TypeMAILA || h.Rrtype == dns.TypeMAILB
		switch h.Class {
		case dns.ClassINET:
			if meta || h.Rrtype == dns.TypeANY || !storable(h.Rrtype) && h.Rrtype != dns.TypeSOA {
				return dns.RcodeFormatError
			}
		case dns.ClassANY:
			if h.Ttl != 0 || h.Rdlength != 0 || meta {
				return dns.RcodeFormatError
			}
		case dns.ClassNONE:
			if h.Ttl != 0 || meta || h.Rrtype == dns.TypeANY {
				return dns.RcodeFormatError
			}
		default:
			return dns.RcodeFormatError
		}
	}
	return dns.RcodeSuccess
}

// applyUpdates performs the update section (RFC 2136 §3.4.2).
func (st *store) applyUpdates(zone string, updates []dns.RR) (added, deleted int) {
	for _, rr := range updates {
		h := rr.Header()
		name := strings.ToLower(h.Name)
		apexSet := name == zone && (h.Rrtype == dns.TypeSOA || h.Rrtype == dns.TypeNS)
		switch h.Class {
		case dns.ClassINET:
			if st.addUpdate(name, rr) {
				added++
			}
		case dns.ClassANY:
			if h.Rrtype == dns.TypeANY {
				deleted += st.removeAllBut(name, zone)
			} else if !apexSet { // §3.4.2.3: apex SOA and NS stay
				deleted += st.remove(name, h.Rrtype, nil)
			}
		case dns.ClassNONE:
			if h.Rrtype == dns.TypeSOA {
				continue // §3.4.2.4: the SOA cannot be deleted
			}
			m := dns.Copy(rr)
			m.Header().Class, m.Header().Name = dns.ClassINET, name
			deleted += st.remove(name, h.Rrtype, m)
		}
	}
	return added, deleted
}

// addUpdate adds one record unless RFC 2136 §3.4.2.2 says to ignore it:
// SOA (synthesised here), a CNAME beside other data, data beside a CNAME.
func (st *store) addUpdate(name string, rr dns.RR) bool {
	t := rr.Header().Rrtype
	if t == dns.TypeSOA {
		return false
	}
	hasCNAME := len(st.rrset(name, dns.TypeCNAME)) > 0
	others := len(st.names[name]) - min(1, len(st.rrset(name, dns.TypeCNAME)))
	if (t == dns.TypeCNAME && others > 0) || (t != dns.TypeCNAME && hasCNAME) {
		return false
	}
	c := dns.Copy(rr)
	c.Header().Name = name
	st.add(c)
	return true
}

// removeAllBut deletes every set at name, keeping NS at the apex.
func (st *store) removeAllBut(name, zone string) int {
	if name != zone {
		return st.remove(name, dns.TypeANY, nil)
	}
	n := 0
	for t := range st.names[name] {
		if t != dns.TypeNS {
			n += st.remove(name, t, nil)
		}
	}
	return n
}

func sameSet(have, want []dns.RR) bool {
	return covers(have, want) && covers(want, have)
}

func covers(a, b []dns.RR) bool {
	for _, x := range b {
		found := false
		for _, y := range a {
			if dns.IsDuplicate(x, y) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func (s *Server) recordUpdate(ev UpdateEvent) {
	s.updMu.Lock()
	if len(s.updates) >= s.cfg.HistoryLimit {
		s.updates = s.updates[1:]
	}
	s.updates = append(s.updates, ev)
	s.updMu.Unlock()
	s.log.Debug("dnsmock: update", "zone", ev.Zone, "key", ev.Key, "rcode", ev.Rcode)
	if s.cfg.OnUpdate != nil {
		s.cfg.OnUpdate(ev)
	}
}

// Updates returns the dynamic update requests received, oldest first,
// rejected ones included.
func (s *Server) Updates() []UpdateEvent {
	s.updMu.Lock()
	defer s.updMu.Unlock()
	return slices.Clone(s.updates)
}

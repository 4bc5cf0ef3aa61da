package dnsmock

import (
	"net/netip"
	"slices"
	"sync"

	"github.com/miekg/dns"
)

// store holds the records, keyed by canonical owner name and type. Stored
// records keep their owner in canonical form; answers rename copies.
type store struct {
	mu        sync.RWMutex
	names     map[string]map[uint16][]dns.RR
	zones     map[string]bool
	serial    uint32
	defaultV4 netip.Addr
	defaultV6 netip.Addr
	selfIP    netip.Addr
}

func newStore(zones []string) (*store, error) {
	st := &store{
		names:  map[string]map[uint16][]dns.RR{},
		zones:  map[string]bool{},
		serial: 1,
		selfIP: netip.MustParseAddr("127.0.0.1"),
	}
	for _, z := range zones {
		c, err := canonical(z)
		if err != nil {
			return nil, err
		}
		st.zones[c] = true
	}
	return st, nil
}

// apexOf returns the apex of the zone name belongs to. Caller holds mu.
func (st *store) apexOf(name string) string {
	for n := name; ; n = parent(n) {
		if st.zones[n] {
			return n
		}
		if n == "." {
			break
		}
	}
	return implicitApex(name)
}

// rrset returns the stored records of one type at name. Caller holds mu.
func (st *store) rrset(name string, t uint16) []dns.RR {
	return st.names[name][t]
}

// hasData reports whether any record is stored at name or below it.
func (st *store) hasData(name string) bool {
	if len(st.names[name]) > 0 {
		return true
	}
	for n := range st.names {
		if isBelow(n, name) {
			return true
		}
	}
	return false
}

// exists tells NXDOMAIN from NODATA (RFC 2308 §1, RFC 8020).
func (st *store) exists(name string) bool {
	if st.apexOf(name) == name || st.defaultV4.IsValid() || st.defaultV6.IsValid() {
		return true
	}
	return st.hasData(name)
}

// add appends rr unless an identical record exists (RFC 2136 §3.4.2.2
// treats duplicates as no-ops). Caller holds mu for writing.
func (st *store) add(rr dns.RR) {
	name := rr.Header().Name
	types := st.names[name]
	if types == nil {
		types = map[uint16][]dns.RR{}
		st.names[name] = types
	}
	t := rr.Header().Rrtype
	for i, old := range types[t] {
		if dns.IsDuplicate(old, rr) {
			types[t][i] = rr // a duplicate may still carry a new TTL
			st.serial++
			return
		}
	}
	if t == dns.TypeCNAME {
		types[t] = nil // one CNAME per name (RFC 1034 §3.6.2)
	}
	types[t] = append(types[t], rr)
	st.serial++
}

// remove deletes records at name: of type t, or all when t is TypeANY.
// When match is set only records equal to it go. Caller holds mu.
func (st *store) remove(name string, t uint16, match dns.RR) int {
	types := st.names[name]
	n := 0
	for typ, rrs := range types {
		if t != dns.TypeANY && typ != t {
			continue
		}
		kept := slices.DeleteFunc(slices.Clone(rrs), func(rr dns.RR) bool {
			return match == nil || dns.IsDuplicate(rr, match)
		})
		n += len(rrs) - len(kept)
		if len(kept) == 0 {
			delete(types, typ)
		} else {
			types[typ] = kept
		}
	}
	if len(types) == 0 {
		delete(st.names, name)
	}
	if n > 0 {
		st.serial++
	}
	return n
}

// replace swaps the whole set of type t at name for rrs. Caller holds mu.
func (st *store) replace(name string, t uint16, rrs []dns.RR) {
	st.remove(name, t, nil)
	for _, rr := range rrs {
		st.add(rr)
	}
	st.serial++
}

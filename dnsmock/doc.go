// Package dnsmock is a small authoritative DNS server for tests of ACME
// clients and CAs, built on github.com/miekg/dns.
//
// It answers over UDP and TCP on one port from an in-memory record store,
// takes RFC 2136 dynamic updates signed with TSIG (RFC 8945), injects faults
// per name, records every query, and is driven from Go or through an HTTP
// management API that also speaks the dialect of Pebble's challenge test
// server. An http-01 responder (RFC 8555 §8.3) runs beside it.
//
// # Zones
//
// Every name belongs to exactly one zone. The zone of a name is the closest
// enclosing apex listed in Config.Zones; a name under none of them belongs
// to the implicit zone formed by its last two labels ("example.com." for
// "_acme-challenge.www.example.com."), and a name of one label is its own
// apex. So the server is authoritative for every name it is asked about,
// and tools that climb the tree looking for a zone cut (lego, certbot's
// dns-rfc2136 plugin, nsupdate) find an SOA at the apex: each apex answers
// a synthesised SOA and, unless NS records were stored there, one NS record
// naming "ns1.<apex>", whose address is the DNS listener's own.
//
// # Existence
//
// A name exists when records are stored at it, when it is an apex, when a
// name below it holds records (an empty non-terminal), or when a default
// address applies to it. Config.DefaultIPv4 acts like a wildcard A record
// covering every name with no A and no CNAME record: with it set, every name
// exists and questions for other types get NODATA (NOERROR, empty answer,
// SOA in the authority section, RFC 2308 §2.2). Without it, unknown names
// get NXDOMAIN (RFC 2308 §2.1). FaultNXDomain forces NXDOMAIN on one name.
//
// # Limitations
//
// No DNSSEC, no zone transfers, no RFC 4592 wildcard owner names (a record
// stored at "*.example.com." answers only questions for that literal name),
// no delegations below an apex: NS records stored below an apex are served
// as ordinary data.
package dnsmock

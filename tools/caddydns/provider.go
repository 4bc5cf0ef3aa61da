// Package caddydns is a Caddy DNS provider module, "dns.providers.rfc2136",
// that publishes ACME dns-01 records (RFC 8555 §8.4) with RFC 2136 dynamic
// updates signed with TSIG (RFC 8945). Its configuration fields (server,
// key_name, key_alg, key) are those of the public caddy-dns/rfc2136
// plugin, so a Caddyfile written for one works with the other.
//
// The provider adds and deletes TXT records only, which is all Caddy's
// dns-01 solver asks of it; it cannot list a zone's records.
package caddydns

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"
)

// defaultTTL is the TTL of records added without one.
const defaultTTL = time.Minute

// timeout bounds one update exchange with the server.
const timeout = 10 * time.Second

// fudge is the TSIG time window, in seconds, the server allows for clock
// skew (RFC 8945 §5.2.3 recommends 300).
const fudge = 300

// algorithms are the TSIG algorithms the provider signs with (RFC 8945
// §6); names are accepted with or without the trailing dot.
var algorithms = []string{
	dns.HmacSHA1, dns.HmacSHA224, dns.HmacSHA256, dns.HmacSHA384, dns.HmacSHA512,
}

// ErrUnsupportedRecord reports a record type the provider cannot publish.
var ErrUnsupportedRecord = errors.New("rfc2136: only TXT records are supported")

// Provider sends TSIG-signed dynamic updates to one DNS server. The
// zero value is not usable: Server, KeyName and Key are required, see
// Validate.
type Provider struct {
	// Server is the DNS server's "host:port"; the port defaults to 53.
	Server string `json:"server,omitempty"`
	// KeyName is the TSIG key's name, e.g. "acme-update." (the trailing
	// dot is optional).
	KeyName string `json:"key_name,omitempty"`
	// KeyAlg is the TSIG algorithm, e.g. "hmac-sha256"; empty means
	// hmac-sha256.
	KeyAlg string `json:"key_alg,omitempty"`
	// Key is the TSIG secret, standard base64.
	Key string `json:"key,omitempty"`
}

// Validate checks the configuration and returns an error naming the first
// field that is missing or malformed.
func (p *Provider) Validate() error {
	switch {
	case p.Server == "":
		return errors.New("rfc2136: server is required")
	case p.KeyName == "":
		return errors.New("rfc2136: key_name is required")
	case p.Key == "":
		return errors.New("rfc2136: key is required")
	}
	if _, err := base64.StdEncoding.DecodeString(p.Key); err != nil {
		return fmt.Errorf("rfc2136: key is not standard base64: %w", err)
	}
	if _, err := p.algorithm(); err != nil {
		return err
	}
	host, port, err := net.SplitHostPort(p.server())
	if n, perr := strconv.ParseUint(port, 10, 16); err == nil && (perr != nil || n == 0) {
		err = fmt.Errorf("port %q is not a number from 1 to 65535", port)
	}
	if err == nil && host == "" {
		err = errors.New("no host")
	}
	if err != nil {
		return fmt.Errorf("rfc2136: server %q: %w", p.Server, err)
	}
	return nil
}

// AppendRecords adds recs to zone in one update. The update has no
// prerequisites (RFC 2136 §2.4), so records already there stay, and a TXT
// value already present is not added twice (RFC 2136 §3.4.2.2).
func (p *Provider) AppendRecords(ctx context.Context, zone string,
	recs []libdns.Record) ([]libdns.Record, error) {
	rrs, out, err := toRRs(zone, recs, true)
	if err != nil {
		return nil, err
	}
	m := new(dns.Msg)
	m.SetUpdate(dns.Fqdn(zone))
	m.Insert(rrs)
	if err := p.exchange(ctx, m); err != nil {
		return nil, fmt.Errorf("rfc2136: add records to %s: %w", zone, err)
	}
	return out, nil
}

// DeleteRecords removes recs from zone in one update. A record with a text
// deletes that value only (RFC 2136 §2.5.4); one with an empty text deletes
// every TXT record of its name (§2.5.2). Records not in the zone are
// ignored by the server, so the records returned are those asked for.
func (p *Provider) DeleteRecords(ctx context.Context, zone string,
	recs []libdns.Record) ([]libdns.Record, error) {
	rrs, out, err := toRRs(zone, recs, false)
	if err != nil {
		return nil, err
	}
	m := new(dns.Msg)
	m.SetUpdate(dns.Fqdn(zone))
	for _, rr := range rrs {
		if txt := rr.(*dns.TXT); len(txt.Txt) == 0 {
			m.RemoveRRset([]dns.RR{rr})
		} else {
			m.Remove([]dns.RR{rr})
		}
	}
	if err := p.exchange(ctx, m); err != nil {
		return nil, fmt.Errorf("rfc2136: delete records from %s: %w", zone, err)
	}
	return out, nil
}

// exchange signs m, sends it over UDP (over TCP when the answer is
// truncated) and checks the server's answer and its signature.
func (p *Provider) exchange(ctx context.Context, m *dns.Msg) error {
	if err := p.Validate(); err != nil {
		return err
	}
	alg, _ := p.algorithm()
	name := dns.CanonicalName(p.KeyName)
	c := &dns.Client{Timeout: timeout, TsigSecret: map[string]string{name: p.Key}}
	m.SetTsig(name, alg, fudge, time.Now().Unix())
	resp, _, err := c.ExchangeContext(ctx, m, p.server())
	if err == nil && resp.Truncated {
		c.Net = "tcp"
		resp, _, err = c.ExchangeContext(ctx, m, p.server())
	}
	if err != nil {
		return err
	}
	if resp.Rcode != dns.RcodeSuccess {
		return fmt.Errorf("server %s answered %s", p.server(), dns.RcodeToString[resp.Rcode])
	}
	return nil
}

// server returns Server with port 53 added when it has none.
func (p *Provider) server() string {
	if _, _, err := net.SplitHostPort(p.Server); err == nil {
		return p.Server
	}
	return net.JoinHostPort(strings.Trim(p.Server, "[]"), "53")
}

// algorithm returns the fully qualified name of KeyAlg.
func (p *Provider) algorithm() (string, error) {
	if p.KeyAlg == "" {
		return dns.HmacSHA256, nil
	}
	alg := dns.CanonicalName(p.KeyAlg)
	for _, a := range algorithms {
		if alg == a {
			return a, nil
		}
	}
	return "", fmt.Errorf("rfc2136: key_alg %q is not one of %s", p.KeyAlg,
		strings.Join(algorithms, ", "))
}

// toRRs turns libdns records, named relative to zone, into TXT resource
// records, and returns the records as libdns.TXT values. With adding
// set, a record needs a text and gets the default TTL when it has none.
func toRRs(zone string, recs []libdns.Record, adding bool) ([]dns.RR, []libdns.Record, error) {
	var rrs []dns.RR
	var out []libdns.Record
	for _, rec := range recs {
		r := rec.RR()
		if r.Type != "TXT" && (adding || r.Type != "") {
			return nil, nil, fmt.Errorf("%w: %s %q", ErrUnsupportedRecord, r.Name, r.Type)
		}
		if adding && r.Data == "" {
			return nil, nil, fmt.Errorf("rfc2136: TXT record %q has no text", r.Name)
		}
		ttl := r.TTL
		if adding && ttl <= 0 {
			ttl = defaultTTL
		}
		owner := dns.CanonicalName(libdns.AbsoluteName(r.Name, dns.Fqdn(zone)))
		if _, ok := dns.IsDomainName(owner); !ok {
			return nil, nil, fmt.Errorf("rfc2136: %q is not a domain name", owner)
		}
		rrs = append(rrs, &dns.TXT{
			Hdr: dns.RR_Header{Name: owner, Rrtype: dns.TypeTXT, Class: dns.ClassINET,
				Ttl: uint32(ttl / time.Second)},
			Txt: split(r.Data),
		})
		out = append(out, libdns.TXT{Name: r.Name, TTL: ttl, Text: r.Data})
	}
	return rrs, out, nil
}

// split cuts a TXT value into the 255-byte character strings a TXT record
// is made of (RFC 1035 §3.3.14); an empty value has none. Backslashes are
// escaped, as miekg/dns reads them as the start of an escape sequence.
func split(text string) []string {
	var parts []string
	for text != "" {
		n := min(len(text), 255)
		parts = append(parts, strings.ReplaceAll(text[:n], `\`, `\\`))
		text = text[n:]
	}
	return parts
}

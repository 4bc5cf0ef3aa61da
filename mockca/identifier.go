package mockca

import (
	"net/netip"
	"strings"

	"golang.org/x/net/idna"

	"acmeconform/acme"
)

// checkIdentifiers validates newOrder identifiers and returns them
// normalised (dns names lowercased, RFC 4343) without duplicates. Every
// refused identifier becomes a subproblem naming it (RFC 8555 §6.7.1).
func (s *Server) checkIdentifiers(ids []acme.Identifier) ([]acme.Identifier, error) {
	if len(ids) == 0 && !s.misbehaves(MisEmptyOrder) {
		return nil, malformed("order has no identifiers")
	}
	if len(ids) > s.profile.maxNames() {
		return nil, acme.NewProblem(acme.ProblemRejectedIdentifier,
			"order has %d identifiers, more than the limit of %d", len(ids), s.profile.maxNames())
	}
	var out []acme.Identifier
	var subs []acme.Problem
	seen := map[acme.Identifier]bool{}
	for _, id := range ids {
		norm, p := checkIdentifier(id)
		if p == nil {
			p = s.checkBlocklist(norm)
		}
		if p != nil {
			idCopy := id
			p.Identifier = &idCopy
			subs = append(subs, *p)
			continue
		}
		if !seen[norm] {
			seen[norm] = true
			out = append(out, norm)
		}
	}
	if len(subs) == 1 {
		flat := subs[0]
		flat.Identifier = nil
		return nil, aboutIdentifier(&flat, *subs[0].Identifier)
	}
	if len(subs) > 1 {
		p := acme.NewProblem(acme.ProblemRejectedIdentifier, "%d identifiers were refused", len(subs))
		p.Subproblems = subs
		return nil, p
	}
	return out, nil
}

// checkIdentifier checks one identifier.
func checkIdentifier(id acme.Identifier) (acme.Identifier, *acme.Problem) {
	switch id.Type {
	case acme.IdentifierDNS:
		name, err := checkDNSName(id.Value)
		if err != nil {
			return id, err
		}
		return acme.Identifier{Type: id.Type, Value: name}, nil
	case acme.IdentifierIP:
		// RFC 8738 §3: the textual form, which we require canonical.
		a, err := netip.ParseAddr(id.Value)
		if err != nil || a.String() != id.Value || a.Zone() != "" {
			return id, acme.NewProblem(acme.ProblemRejectedIdentifier,
				"%q is not an IP address in canonical form", id.Value)
		}
		return id, nil
	}
	return id, acme.NewProblem(acme.ProblemUnsupportedIdentifier,
		"identifier type %q is not supported", id.Type)
}

// checkDNSName checks a dns identifier as it would appear in a certificate
// (RFC 8555 §7.1.4, RFC 5280 §7: A-labels, no trailing dot) and returns it
// lowercased. A wildcard is allowed only as the whole leftmost label.
func checkDNSName(v string) (string, *acme.Problem) {
	reject := func(why string) *acme.Problem {
		return acme.NewProblem(acme.ProblemRejectedIdentifier, "dns name %q %s", v, why)
	}
	name := strings.ToLower(v)
	base, _ := strings.CutPrefix(name, "*.")
	switch {
	case name == "" || len(name) > 253:
		return "", reject("is empty or longer than 253 octets")
	case strings.HasSuffix(name, "."):
		return "", reject("ends with a dot")
	case strings.Contains(base, "*"):
		return "", reject("has a wildcard that is not the whole leftmost label")
	}
	labels := strings.Split(base, ".")
	if len(labels) < 2 {
		return "", reject("has fewer than two labels")
	}
	for _, l := range labels {
		if p := checkLabel(l); p != "" {
			return "", reject(p)
		}
	}
	return name, nil
}

// checkLabel returns why a label is refused, or "".
func checkLabel(l string) string {
	if l == "" || len(l) > 63 {
		return "has an empty label or one longer than 63 octets"
	}
	if l[0] == '-' || l[len(l)-1] == '-' {
		return "has a label starting or ending with a hyphen"
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return "has a character outside letters, digits and hyphen (use A-labels)"
		}
	}
	if len(l) >= 4 && l[2:4] == "--" {
		if !strings.HasPrefix(l, "xn--") {
			return "has hyphens in the third and fourth positions"
		}
		if _, err := idna.Registration.ToUnicode(l); err != nil {
			return "has an invalid A-label"
		}
	}
	return ""
}

// checkBlocklist refuses names on the profile's blocklist and their
// subdomains.
func (s *Server) checkBlocklist(id acme.Identifier) *acme.Problem {
	if id.Type != acme.IdentifierDNS {
		return nil
	}
	name := strings.TrimPrefix(id.Value, "*.")
	for _, b := range s.profile.DomainBlocklist {
		b = strings.ToLower(b)
		if name == b || strings.HasSuffix(name, "."+b) {
			return acme.NewProblem(acme.ProblemRejectedIdentifier,
				"%q is on the CA's blocklist", id.Value)
		}
	}
	return nil
}

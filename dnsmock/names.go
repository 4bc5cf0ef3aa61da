package dnsmock

import (
	"errors"
	"fmt"
	"strings"

	"github.com/miekg/dns"
)

// ErrBadName reports a name that is not a valid domain name.
var ErrBadName = errors.New("dnsmock: invalid domain name")

// ErrBadRecord reports record data that cannot be parsed or stored.
var ErrBadRecord = errors.New("dnsmock: invalid record")

var errWrongFamily = errors.New("wrong address family")

// canonical returns name lowercased and fully qualified (RFC 4343: names
// compare without regard to case).
func canonical(name string) (string, error) {
	if name == "" {
		return "", fmt.Errorf("%w: empty", ErrBadName)
	}
	fq := dns.Fqdn(name)
	if _, ok := dns.IsDomainName(fq); !ok {
		return "", fmt.Errorf("%w: %q", ErrBadName, name)
	}
	return strings.ToLower(fq), nil
}

// parent returns the name one label up, "." for a single label.
func parent(name string) string {
	if name == "." {
		return "."
	}
	i := strings.IndexByte(name, '.')
	if i == len(name)-1 {
		return "."
	}
	return name[i+1:]
}

// implicitApex is the apex of the implicit zone of name: its last two
// labels, or the name itself when it has fewer.
func implicitApex(name string) string {
	labels := dns.SplitDomainName(name)
	if len(labels) <= 2 {
		return name
	}
	return dns.Fqdn(strings.Join(labels[len(labels)-2:], "."))
}

// isBelow reports whether name is apex or a name under it.
func isBelow(name, apex string) bool {
	return apex == "." || name == apex || strings.HasSuffix(name, "."+apex)
}

package clients

import (
	"fmt"
	"slices"

	. "github.com/onsi/ginkgo/v2"

	drivers "acmeconform/clients"
)

// reaches reports whether the CA reaches the clients by the challenge
// type.
func (e *Env) reaches(ch drivers.Challenge) bool {
	return e.Challenges == nil || slices.Contains(e.Challenges, ch)
}

// useValidated decides how the running scenario names what it orders:
// fresh names when the CA reaches the clients by its challenge type, the
// names validated already (RFC 8555 §7.1.4: the CA may reuse a valid
// authorization) when it does not, and a skip when there are none.
func (c *client) useValidated(ch drivers.Challenge) {
	c.validated = false
	if c.env.reaches(ch) {
		return
	}
	if len(c.env.ValidatedNames) == 0 {
		Skip(fmt.Sprintf("the CA under test cannot reach the clients by %s, and no names "+
			"validated already were given", ch))
	}
	c.validated = true
}

// needFresh skips a scenario that needs names of its own while it orders
// names validated already; why says what it does with them.
func (c *client) needFresh(why string) {
	if c.validated {
		Skip("the scenario " + why + ", which the CA under test cannot validate here " +
			"(only names validated already can be ordered)")
	}
}

// orderName returns a fresh name under Domain, or the next name validated
// already while the scenario orders those.
func (c *client) orderName(prefix string) string {
	if !c.validated {
		return c.env.name(prefix)
	}
	names := c.env.ValidatedNames
	return names[int(c.env.seq.Add(1))%len(names)]
}

// orderNames returns one name per prefix as orderName does, leaving out repeats
// (there may be fewer names validated already than prefixes).
func (c *client) orderNames(prefixes ...string) []string {
	var out []string
	for _, p := range prefixes {
		if n := c.orderName(p); !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

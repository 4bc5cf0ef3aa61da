package catalog

import (
	"regexp"
	"testing"
)

// idRE is the shape of a requirement id: short kebab-case.
var idRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func TestDefaultCatalogIsWellFormed(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	server := 0
	for _, r := range c.Requirements {
		if !idRE.MatchString(r.ID) || len(r.ID) > 48 {
			t.Errorf("id %q is not short kebab-case", r.ID)
		}
		if len(r.Summary) > 140 {
			t.Errorf("%s: summary of %d characters; keep it to one line", r.ID, len(r.Summary))
		}
		switch r.Side {
		case "server":
			server++
		case "client":
		default:
			t.Errorf("%s: side %q, want server or client", r.ID, r.Side)
		}
	}
	if server < 150 {
		t.Errorf("catalog has %d server requirements, want at least 150", server)
	}
}

package mockca

import (
	"net/http"
	"testing"

	"acmeconform/acme"
)

// TestMisOrderSkipsReady checks that an authorized order shows processing
// instead of ready, and that it still takes a finalize and becomes valid.
func TestMisOrderSkipsReady(t *testing.T) {
	e := startEnv(t, func(c *Config) { c.Misbehave = []Misbehaviour{MisOrderSkipsReady} })
	rc := newRawClient(t, e)
	rc.register()
	u, o := rc.newOrder("skips.acmeconform.test")
	rc.authorize(e, o)
	rc.waitStatus(u, acme.StatusProcessing)
	csr, _ := csrFor(t, "skips.acmeconform.test")
	resp := rc.finalize(o, csr)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("finalize: HTTP %d, want 200", resp.StatusCode)
	}
	rc.waitStatus(u, acme.StatusValid)
}

package mockca

import (
	"net/http"
	"testing"
	"time"

	"acmeconform/acme"
)

// TestMisOrderSkipsReady checks that an authorized order shows processing
// instead of ready, and that it still takes a finalize and becomes valid.
func TestMisOrderSkipsReady(t *testing.T) {
	rc, u := finalizeWith(t, MisOrderSkipsReady, "skips.acmeconform.test",
		acme.StatusProcessing)
	rc.waitStatus(u, acme.StatusValid)
}

// TestMisOrderStaysProcessing checks that a finalized order keeps showing
// processing, with Retry-After, and never gets a certificate.
func TestMisOrderStaysProcessing(t *testing.T) {
	rc, u := finalizeWith(t, MisOrderStaysProc, "stuck.acmeconform.test", acme.StatusReady)
	for range 3 {
		time.Sleep(50 * time.Millisecond)
		resp := rc.post(u, nil)
		var got acme.Order
		decode(t, resp, &got)
		if got.Status != acme.StatusProcessing || got.Certificate != "" {
			t.Fatalf("order %s with certificate %q, want processing without one",
				got.Status, got.Certificate)
		}
		if resp.Header.Get("Retry-After") == "" {
			t.Error("a processing order carries no Retry-After")
		}
	}
}

// finalizeWith switches mis on, authorizes an order for name, waits until
// it shows before and finalizes it, requiring 200. It returns the client
// and the order URL.
func finalizeWith(t *testing.T, mis Misbehaviour, name string,
	before acme.Status) (*rawClient, string) {
	t.Helper()
	e := startEnv(t, func(c *Config) { c.Misbehave = []Misbehaviour{mis} })
	rc := newRawClient(t, e)
	rc.register()
	u, o := rc.newOrder(name)
	rc.authorize(e, o)
	rc.waitStatus(u, before)
	csr, _ := csrFor(t, name)
	resp := rc.finalize(o, csr)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("finalize: HTTP %d, want 200", resp.StatusCode)
	}
	return rc, u
}

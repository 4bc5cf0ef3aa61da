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

// TestMisOrderStaysProcessing checks that a finalized order keeps showing
// processing, with Retry-After, and never gets a certificate.
func TestMisOrderStaysProcessing(t *testing.T) {
	e := startEnv(t, func(c *Config) { c.Misbehave = []Misbehaviour{MisOrderStaysProc} })
	rc := newRawClient(t, e)
	rc.register()
	u, o := rc.newOrder("stuck.acmeconform.test")
	rc.authorize(e, o)
	rc.waitStatus(u, acme.StatusReady)
	csr, _ := csrFor(t, "stuck.acmeconform.test")
	resp := rc.finalize(o, csr)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("finalize: HTTP %d, want 200", resp.StatusCode)
	}
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

package mockca

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"acmeconform/acme"
)

func TestDiceReplaysWithSeed(t *testing.T) {
	draw := func(seed int64) []bool {
		d := newDice(seed, Knobs{NonceRejectPercent: 50})
		out := make([]bool, 64)
		for i := range out {
			out[i] = d.roll(func(k Knobs) int { return k.NonceRejectPercent })
		}
		return out
	}
	a, b, c := draw(7), draw(7), draw(8)
	same, differ := true, false
	for i := range a {
		same = same && a[i] == b[i]
		differ = differ || a[i] != c[i]
	}
	if !same || !differ {
		t.Fatalf("same seed replays: %v, other seed differs: %v", same, differ)
	}
}

func TestSeedThroughManagement(t *testing.T) {
	e := startEnv(t, nil)
	draw := func() []bool {
		out := make([]bool, 32)
		for i := range out {
			out[i] = e.ca.dice.roll(func(Knobs) int { return 50 })
		}
		return out
	}
	if code, _ := mgmt(t, e, "POST", "/seed", map[string]int64{"seed": 42}); code != 200 {
		t.Fatalf("set seed: HTTP %d", code)
	}
	first := draw()
	mgmt(t, e, "POST", "/seed", map[string]int64{"seed": 42})
	second := draw()
	for i := range first {
		if first[i] != second[i] {
			t.Fatalf("seed 42 did not replay: draw %d differs", i)
		}
	}
	if _, b := mgmt(t, e, "GET", "/seed", nil); !strings.Contains(string(b), "42") {
		t.Fatalf("GET /seed = %s", b)
	}
}

func TestNonceRejectKnob(t *testing.T) {
	e := startEnv(t, func(c *Config) { c.Knobs.NonceRejectPercent = 100 })
	rc := newRawClient(t, e)
	resp := rc.post(rc.dir.NewAccount, map[string]any{})
	checkErrorHeaders(t, resp)
	expectProblem(t, resp, 400, acme.ProblemBadNonce)
}

func TestAuthzReuseKnob(t *testing.T) {
	for _, pct := range []int{0, 100} {
		t.Run(strconv.Itoa(pct), func(t *testing.T) {
			e := startEnv(t, func(c *Config) { c.Knobs.AuthzReusePercent = pct })
			rc := newRawClient(t, e)
			rc.register()
			_, first, _ := rc.issue(e, "reuse.example.com")
			_, second := rc.newOrder("reuse.example.com")
			reused := second.Authorizations[0] == first.Authorizations[0]
			if reused != (pct == 100) {
				t.Fatalf("reuse %d%%: reused = %v", pct, reused)
			}
			if reused && second.Status != acme.StatusReady {
				t.Fatalf("order on a reused valid authz is %s, want ready", second.Status)
			}
		})
	}
}

func TestFinalizeDelayKnob(t *testing.T) {
	e := startEnv(t, func(c *Config) { c.Knobs.FinalizeDelay = 300 * time.Millisecond })
	rc := newRawClient(t, e)
	rc.register()
	u, o := rc.newOrder("slow.example.com")
	rc.authorize(e, o)
	csr, _ := csrFor(t, "slow.example.com")
	resp := rc.finalize(o, csr)
	if resp.Header.Get("Retry-After") == "" {
		t.Errorf("processing order without Retry-After")
	}
	decode(t, resp, &o)
	if o.Status != acme.StatusProcessing {
		t.Fatalf("order is %s right after finalize, want processing", o.Status)
	}
	rc.waitStatus(u, acme.StatusValid)
}

func TestRateLimitKnob(t *testing.T) {
	e := startEnv(t, func(c *Config) { c.Knobs.RateLimitNewOrders = 1 })
	rc := newRawClient(t, e)
	rc.register()
	rc.newOrder("one.example.com")
	resp := rc.post(rc.dir.NewOrder, acme.NewOrderRequest{Identifiers: dnsIDs("two.example.com")})
	if resp.Header.Get("Retry-After") == "" {
		t.Errorf("429 without Retry-After")
	}
	expectProblem(t, resp, http.StatusTooManyRequests, acme.ProblemRateLimited)
}

package mockca

import (
	"testing"
	"time"

	"acmeconform/acme"
)

func TestExpiryFollowsTheClock(t *testing.T) {
	clk := NewFixedClock(time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC))
	e := startEnv(t, func(c *Config) { c.Clock = clk })
	rc := newRawClient(t, e)
	rc.register()
	u, o := rc.newOrder("exp.example.com")
	clk.Advance(8 * 24 * time.Hour) // past the 7-day order and authz lifetime
	var got acme.Order
	decode(t, rc.post(u, nil), &got)
	if got.Status != acme.StatusInvalid {
		t.Fatalf("order is %s after expiry, want invalid", got.Status)
	}
	var az acme.Authorization
	decode(t, rc.post(o.Authorizations[0], nil), &az)
	if az.Status != acme.StatusExpired {
		t.Fatalf("authz is %s after expiry, want expired", az.Status)
	}
}

func TestRetentionDropsFinishedOrders(t *testing.T) {
	clk := NewFixedClock(time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC))
	e := startEnv(t, func(c *Config) { c.Clock = clk; c.Retention = time.Hour })
	rc := newRawClient(t, e)
	rc.register()
	u, _, _ := rc.issue(e, "old.example.com")
	clk.Advance(2 * time.Hour)
	rc.newOrder("new.example.com") // a write runs the sweep
	resp := rc.post(u, nil)
	expectProblem(t, resp, 404, acme.ProblemMalformed)
	var a acme.Account
	decode(t, rc.post(rc.kid, nil), &a)
	var l acme.OrdersList
	decode(t, rc.post(a.Orders, nil), &l)
	if len(l.Orders) != 1 {
		t.Fatalf("orders list holds %d orders after retention, want 1", len(l.Orders))
	}
}

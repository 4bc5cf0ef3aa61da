package mockca

import (
	"slices"
	"strings"
	"testing"
	"time"
)

const pebbleJSON = `{
  "pebble": {
    "listenAddress": "0.0.0.0:14000",
    "managementListenAddress": "0.0.0.0:15000",
    "httpPort": 5002,
    "tlsPort": 5001,
    "ocspResponderURL": "",
    "externalAccountBindingRequired": true,
    "externalAccountMACKeys": {"kid-1": "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W"},
    "domainBlocklist": ["blocked-domain.example"],
    "keyAlgorithm": "ecdsa",
    "retryAfter": {"authz": 3, "order": 5},
    "profiles": {
      "default": {"description": "The profile you know and love", "validityPeriod": 7776000},
      "shortlived": {"description": "A short-lived cert profile", "validityPeriod": 518400}
    }
  }
}`

func TestFromPebble(t *testing.T) {
	env := map[string]string{"PEBBLE_WFE_NONCEREJECT": "0", "PEBBLE_AUTHZREUSE": "100",
		"PEBBLE_VA_NOSLEEP": "1", "PEBBLE_VA_ALWAYS_VALID": "1", "PEBBLE_ALTERNATE_ROOTS": "2"}
	cfg, notes, err := FromPebble([]byte(pebbleJSON), env)
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Profile
	checks := []struct {
		name string
		ok   bool
	}{
		{"listen on loopback", cfg.Addr == "127.0.0.1:14000"},
		{"management on loopback", cfg.ManagementAddr == "127.0.0.1:15000"},
		{"ports", cfg.HTTP01Port == 5002 && cfg.TLSALPN01Port == 5001},
		{"EAB required", p.EABRequired},
		{"MAC key decoded", cfg.EABKeys != nil && eabLen(cfg, "kid-1") == 48},
		{"blocklist", slices.Equal(p.DomainBlocklist, []string{"blocked-domain.example"})},
		{"retry after", p.RetryAfter == 5*time.Second},
		{"profiles", p.OrderProfiles["shortlived"].Validity == 6*24*time.Hour &&
			p.DefaultOrderProfile == "default"},
		{"nonce knob", cfg.Knobs.NonceRejectPercent == 0},
		{"reuse knob", cfg.Knobs.AuthzReusePercent == 100},
		{"always valid", cfg.Knobs.AlwaysValid},
		{"alternate roots", cfg.AlternateRoots == 2},
		{"orders per page default", cfg.OrdersPerPage == 3},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: not mapped (cfg %+v)", c.name, cfg)
		}
	}
	joined := strings.Join(notes, "\n")
	for _, want := range []string{"PEBBLE_VA_NOSLEEP", "listenAddress", "plain HTTP"} {
		if !strings.Contains(joined, want) {
			t.Errorf("notes do not mention %s:\n%s", want, joined)
		}
	}
}

func TestFromPebbleDefaultsAndErrors(t *testing.T) {
	cfg, _, err := FromPebble(nil, nil)
	if err != nil || cfg.Knobs.NonceRejectPercent != 5 || cfg.Knobs.AuthzReusePercent != 50 {
		t.Fatalf("Pebble defaults not applied: %+v %v", cfg.Knobs, err)
	}
	if _, _, err := FromPebble([]byte("{"), nil); err == nil {
		t.Error("broken JSON accepted")
	}
	if _, _, err := FromPebble(nil, map[string]string{"PEBBLE_AUTHZREUSE": "lots"}); err == nil {
		t.Error("non-numeric PEBBLE_AUTHZREUSE accepted")
	}
}

// eabLen returns the length of the MAC key for kid.
func eabLen(cfg Config, kid string) int {
	k, err := cfg.EABKeys(kid, "")
	if err != nil {
		return -1
	}
	return len(k)
}

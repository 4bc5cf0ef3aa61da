package caddydns

import (
	"strings"
	"testing"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/caddyconfig/caddyfile"
)

func TestUnmarshalCaddyfile(t *testing.T) {
	tests := []struct {
		name    string
		input   string
		want    Provider
		wantErr string
	}{
		{name: "every field", input: `rfc2136 {
			server 192.0.2.53:5353
			key_name acme-update.
			key_alg hmac-sha512
			key "c2VjcmV0"
		}`, want: Provider{Server: "192.0.2.53:5353", KeyName: "acme-update.",
			KeyAlg: "hmac-sha512", Key: "c2VjcmV0"}},
		{name: "argument on the line", input: `rfc2136 192.0.2.53 {
			key c2VjcmV0
		}`, wantErr: "wrong argument count"},
		{name: "unknown option", input: `rfc2136 {
			nameserver 192.0.2.53
		}`, wantErr: `unknown option "nameserver"`},
		{name: "option twice", input: `rfc2136 {
			key a
			key b
		}`, wantErr: "key given twice"},
		{name: "two values", input: `rfc2136 {
			server 192.0.2.53 192.0.2.54
		}`, wantErr: "wrong argument count"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var m Module
			err := m.UnmarshalCaddyfile(caddyfile.NewTestDispenser(tc.input))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("UnmarshalCaddyfile error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || m.Provider != tc.want {
				t.Fatalf("UnmarshalCaddyfile = %+v, %v; want %+v", m.Provider, err, tc.want)
			}
		})
	}
}

func TestProvision(t *testing.T) {
	t.Setenv("ACMECONFORM_TEST_TSIG", testSecret)
	m := Module{Provider: Provider{Server: "192.0.2.53", KeyName: testKeyName,
		Key: "{env.ACMECONFORM_TEST_TSIG}"}}
	if err := m.Provision(caddy.Context{}); err != nil {
		t.Fatalf("Provision: %v", err)
	}
	if m.Key != testSecret {
		t.Errorf("key %q after Provision, want the environment's value", m.Key)
	}
	bad := Module{Provider: Provider{Server: "192.0.2.53", Key: testSecret}}
	if err := bad.Provision(caddy.Context{}); err == nil ||
		!strings.Contains(err.Error(), "key_name") {
		t.Errorf("Provision without key_name: %v, want an error naming key_name", err)
	}
}

func TestRegistered(t *testing.T) {
	info, err := caddy.GetModule(ModuleID)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := info.New().(*Module); !ok {
		t.Errorf("module %s makes %T, want *Module", ModuleID, info.New())
	}
}

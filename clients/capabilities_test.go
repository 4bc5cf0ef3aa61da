package clients

import (
	"errors"
	"strings"
	"testing"
)

func TestCapabilitiesCheck(t *testing.T) {
	full := Capabilities{
		EAB: true, HTTP01: true, DNS01: []DNSMethod{DNSHook}, Wildcard: true, ARI: true,
		Profiles: true, Revoke: true, CSR: true, Keys: []KeyType{KeyECDSAP256, KeyRSA2048},
	}
	tests := []struct {
		name    string
		caps    Capabilities
		need    Need
		missing string // "" when the need is met
	}{
		{name: "nothing needed", caps: Capabilities{}, need: Need{}},
		{name: "everything met", caps: full, need: Need{EAB: true,
			Challenge: ChallengeDNS01, Wildcard: true, Revoke: true, Key: KeyRSA2048}},
		{name: "no EAB", caps: Capabilities{HTTP01: true},
			need: Need{EAB: true, Challenge: ChallengeHTTP01}, missing: "external account"},
		{name: "no http-01", caps: Capabilities{DNS01: []DNSMethod{DNSHook}},
			need: Need{Challenge: ChallengeHTTP01}, missing: "http-01"},
		{name: "no dns-01", caps: Capabilities{HTTP01: true},
			need: Need{Challenge: ChallengeDNS01}, missing: "dns-01"},
		{name: "no RFC 2136", caps: Capabilities{DNS01: []DNSMethod{DNSHook}},
			need: Need{Challenge: ChallengeDNS01, DNS: DNSRFC2136}, missing: "rfc2136"},
		{name: "RFC 2136 met", caps: Capabilities{DNS01: []DNSMethod{DNSHook, DNSRFC2136}},
			need: Need{Challenge: ChallengeDNS01, DNS: DNSRFC2136}},
		{name: "no wildcard", caps: Capabilities{DNS01: []DNSMethod{DNSRFC2136}},
			need: Need{Challenge: ChallengeDNS01, Wildcard: true}, missing: "wildcard"},
		{name: "one name per certificate", caps: Capabilities{HTTP01: true},
			need: Need{Challenge: ChallengeHTTP01, MultiName: true}, missing: "several names"},
		{name: "several names met", caps: Capabilities{HTTP01: true, MultiName: true},
			need: Need{Challenge: ChallengeHTTP01, MultiName: true}},
		{name: "no ARI", caps: Capabilities{}, need: Need{ARI: true}, missing: "ARI"},
		{name: "no profiles", caps: Capabilities{}, need: Need{Profiles: true},
			missing: "profiles"},
		{name: "no revocation", caps: Capabilities{}, need: Need{Revoke: true},
			missing: "revocation"},
		{name: "no CSR", caps: Capabilities{}, need: Need{CSR: true}, missing: "CSR"},
		{name: "other key type", caps: full, need: Need{Key: KeyECDSAP384},
			missing: "ecdsa-p384"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.caps.Check(tc.need)
			if tc.missing == "" {
				if err != nil {
					t.Fatalf("Check() = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), tc.missing) {
				t.Fatalf("Check() = %v, want ErrUnsupported naming %q", err, tc.missing)
			}
		})
	}
}

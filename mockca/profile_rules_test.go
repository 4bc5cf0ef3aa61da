package mockca

import (
	"testing"
	"time"
)

// brMaxValidity is the longest validity the CA/Browser Forum Baseline
// Requirements allow for a certificate issued at t (ballot SC-081).
func brMaxValidity(t time.Time) time.Duration {
	steps := []struct {
		from string
		max  time.Duration
	}{{"2029-03-15", 47 * day}, {"2027-03-15", 100 * day}, {"2026-03-15", 200 * day}}
	for _, st := range steps {
		if from, _ := time.Parse(time.DateOnly, st.from); !t.Before(from) {
			return st.max
		}
	}
	return 398 * day
}

// TestProfilesKeepBRValidity checks that every built-in profile, with
// every order profile, issues within the Baseline Requirements limit of
// the issue date, month by month through the SC-081 schedule.
func TestProfilesKeepBRValidity(t *testing.T) {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, name := range ProfileNames() {
		p, err := LoadProfile(name)
		if err != nil {
			t.Fatal(err)
		}
		ops := []string{""}
		for op := range p.OrderProfiles {
			ops = append(ops, op)
		}
		for at := start; at.Year() < 2031; at = at.AddDate(0, 1, 0) {
			for _, op := range ops {
				if v := p.validityAt(op, at); v > brMaxValidity(at) {
					t.Errorf("%s/%q on %s: validity %s, limit %s", name, op,
						at.Format(time.DateOnly), v, brMaxValidity(at))
				}
			}
		}
	}
}

// TestTermsRequiredByDefault checks that a profile file naming terms of
// service requires agreement (RFC 8555 §7.3) unless it says otherwise.
func TestTermsRequiredByDefault(t *testing.T) {
	const base = "name: t\nchallenges: [http-01]\ncsr:\n  keyTypes: [p256]\n" +
		"certificate:\n  validity: 90d\n"
	tests := []struct {
		name    string
		account string
		want    bool
	}{
		{"terms named", "account:\n  termsOfService: https://ca.example/tos\n", true},
		{"terms named, agreement off",
			"account:\n  termsOfService: https://ca.example/tos\n  requireTOSAgreement: false\n",
			false},
		{"no terms", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseProfile([]byte(base+tt.account), "t.yaml")
			if err != nil {
				t.Fatal(err)
			}
			if p.RequireTOSAgreement != tt.want {
				t.Fatalf("RequireTOSAgreement = %v, want %v", p.RequireTOSAgreement, tt.want)
			}
		})
	}
	for _, name := range ProfileNames() {
		if p, _ := LoadProfile(name); p.TermsOfService != "" && !p.RequireTOSAgreement {
			t.Errorf("%s names terms of service but does not require agreement", name)
		}
	}
}

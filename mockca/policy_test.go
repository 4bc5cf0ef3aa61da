package mockca

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

const day = 24 * time.Hour

func TestBuiltinProfiles(t *testing.T) {
	if got := ProfileNames(); !slices.Equal(got, []string{"atlas", "cabf", "letsencrypt"}) {
		t.Fatalf("ProfileNames() = %v", got)
	}
	for _, name := range ProfileNames() {
		p, err := LoadProfile(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if p.Name != name {
			t.Errorf("%s: Name = %q", name, p.Name)
		}
	}
	atlas, err := LoadProfile("")
	if err != nil {
		t.Fatal(err)
	}
	if atlas.Name != "atlas" || !atlas.EABRequired || atlas.AuthzReuse != 397*day ||
		atlas.macKeyLifetime() != 30*day || atlas.macKeyMaxBindings() != 1000 ||
		!slices.Equal(atlas.ChallengeTypes, []string{"http-01", "dns-01"}) ||
		!slices.Equal(atlas.SubdomainBypass, []string{"dns-01"}) || !atlas.RejectCSREKU ||
		atlas.CAARecheckAge != 8*time.Hour || !atlas.sharesValidations() {
		t.Errorf("atlas = %+v", atlas)
	}
	le, _ := LoadProfile("letsencrypt")
	if le.EABRequired || !slices.Contains(le.ChallengeTypes, "tls-alpn-01") ||
		le.validityAt("", time.Now()) != 90*day || le.AuthzReuse > day {
		t.Errorf("letsencrypt = %+v", le)
	}
}

func TestCABFSchedule(t *testing.T) {
	p, err := LoadProfile("cabf")
	if err != nil {
		t.Fatal(err)
	}
	date := func(s string) time.Time {
		d, _ := time.Parse(time.DateOnly, s)
		return d
	}
	tests := []struct {
		name            string
		at              time.Time
		validity, reuse time.Duration
	}{
		{"before the first step", date("2026-03-14"), 398 * day, 398 * day},
		{"first step", date("2026-03-15"), 200 * day, 200 * day},
		{"just before the second", date("2027-03-15").Add(-time.Second), 200 * day, 200 * day},
		{"second step", date("2027-03-15"), 100 * day, 100 * day},
		{"2028", date("2028-06-01"), 100 * day, 100 * day},
		{"last step", date("2029-03-15"), 47 * day, 10 * day},
		{"far future", date("2040-01-01"), 47 * day, 10 * day},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if v := p.validityAt("", tt.at); v != tt.validity {
				t.Errorf("validity = %s, want %s", v, tt.validity)
			}
			if r := p.reuseWindow(tt.at); r != tt.reuse {
				t.Errorf("reuse = %s, want %s", r, tt.reuse)
			}
		})
	}
}

func TestProfileFileErrors(t *testing.T) {
	base, err := ProfileSource("atlas")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		from, to  string
		wantField string
		wantLine  string
	}{
		{"bad duration", "reuse: 397d", "reuse: 397x", "validation.reuse", ":13:"},
		{"unknown challenge", "challenges: [http-01, dns-01]", "challenges: [http-01, dns-02]",
			"challenges[1]", ":10:"},
		{"bad key type", "keyTypes: [rsa2048,", "keyTypes: [rsa1024,", "csr.keyTypes[0]", ":17:"},
		{"bad signature algorithm", "ecdsa-with-SHA256]", "ecdsa-with-SHA1]",
			"csr.signatureAlgorithms[1]", ":18:"},
		{"misspelt key", "refuseEKU: true", "refuseEku: true", "refuseEku", "line 19: unknown field"},
		{"bad scope", "scope: customer", "scope: tenant", "validation.scope", ":12:"},
		{"bad CAA identity", "[atlas.invalid]", "[Atlas Invalid]", "caa.identities[0]", ":24:"},
		{"bad reason", "[0, 1, 3, 4, 5, 9]", "[0, 7]", "revocationReasons[1]", ":32:"},
		{"bypass not offered", "subdomainBypass: [dns-01]", "subdomainBypass: [tls-alpn-01]",
			"validation.subdomainBypass[0]", ":14:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(string(base), tt.from, tt.to, 1)
			if src == string(base) {
				t.Fatalf("%q not found in atlas.yaml", tt.from)
			}
			file := filepath.Join(t.TempDir(), "p.yaml")
			if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := LoadProfile(file)
			if err == nil {
				t.Fatal("bad profile accepted")
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.wantField) || !strings.Contains(msg, tt.wantLine) {
				t.Errorf("error %q does not name %s at line %s", msg, tt.wantField, tt.wantLine)
			}
		})
	}
}

func TestProfileFileJSONAndUnknownName(t *testing.T) {
	js := `{"name": "tiny", "challenges": ["dns-01"], "csr": {"keyTypes": ["p256"]},
		"certificate": {"validity": "6d"}, "schedule": [{"from": "2030-01-01",
		"certificateValidity": "2d"}]}`
	p, err := ParseProfile([]byte(js), "tiny.json")
	if err != nil {
		t.Fatal(err)
	}
	if p.validityAt("", time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC)) != 6*day ||
		p.validityAt("", time.Date(2030, 1, 2, 0, 0, 0, 0, time.UTC)) != 2*day {
		t.Errorf("tiny = %+v", p)
	}
	if _, err := LoadProfile("nonesuch"); err == nil || !strings.Contains(err.Error(), "atlas") {
		t.Errorf("unknown name: %v", err)
	}
	if _, err := ParseProfile([]byte("name: [x"), "broken.yaml"); err == nil ||
		!strings.Contains(err.Error(), "broken.yaml") {
		t.Errorf("broken YAML: %v", err)
	}
}

func TestParseProfileDuration(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want time.Duration
		ok   bool
	}{
		{"days", "397d", 397 * day, true},
		{"days and hours", "1d12h", 36 * time.Hour, true},
		{"hours", "8h", 8 * time.Hour, true},
		{"garbage", "x", 0, false},
		{"bad days", "xd", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseProfileDuration(tt.in)
			if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
				t.Errorf("parse(%q) = %s, %v", tt.in, got, err)
			}
		})
	}
	if s := FormatProfileDuration(397 * day); s != "397d" {
		t.Errorf("format = %q", s)
	}
}

func FuzzParseProfile(f *testing.F) {
	for _, name := range ProfileNames() {
		b, _ := ProfileSource(name)
		f.Add(b)
	}
	f.Add([]byte(`{"name": "x", "schedule": [{"from": "2030-01-01"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParseProfile(b, "fuzz.yaml")
		if err == nil && (p.CertValidity <= 0 || len(p.ChallengeTypes) == 0) {
			t.Fatalf("accepted a profile without validity or challenges: %+v", p)
		}
	})
}

func TestFormatProfileDuration(t *testing.T) {
	tests := []struct {
		name string
		in   time.Duration
		want string
	}{
		{"days", 47 * day, "47d"},
		{"hours", 7 * time.Hour, "7h"},
		{"minutes", 90 * time.Minute, "1h30m"},
		{"seconds", 90 * time.Second, "1m30s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatProfileDuration(tt.in); got != tt.want {
				t.Errorf("FormatProfileDuration(%s) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

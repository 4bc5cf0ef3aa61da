package mockca

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"time"
)

// profileFiles holds the built-in profiles, one YAML document each.
//
//go:embed profiles/*.yaml
var profileFiles embed.FS

// DefaultProfileName is the profile `acmeconform serve` and embedded runs
// use when none is chosen.
const DefaultProfileName = "atlas"

// Validation scopes of Profile.ValidationScope.
const (
	ScopeAccount  = "account"
	ScopeCustomer = "customer"
)

// ScheduleStep changes a profile's certificate validity and validation
// reuse from a date on (the CA/Browser Forum reduces both in steps). A zero
// duration keeps the value in force before the step.
type ScheduleStep struct {
	From         time.Time
	CertValidity time.Duration
	AuthzReuse   time.Duration
}

// ProfileNames returns the names of the built-in profiles, sorted.
func ProfileNames() []string {
	entries, _ := fs.ReadDir(profileFiles, "profiles")
	var out []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// ProfileSource returns the YAML document of the built-in profile name.
func ProfileSource(name string) ([]byte, error) {
	if !slices.Contains(ProfileNames(), name) {
		return nil, fmt.Errorf("no built-in profile %q (have %s)", name,
			strings.Join(ProfileNames(), ", "))
	}
	return profileFiles.ReadFile(path.Join("profiles", name+".yaml"))
}

// LoadProfile returns the built-in profile called nameOrPath, or reads the
// profile file at that path when it names a file (it contains a path
// separator or ends in .yaml, .yml or .json). "" means DefaultProfileName.
func LoadProfile(nameOrPath string) (*Profile, error) {
	if nameOrPath == "" {
		nameOrPath = DefaultProfileName
	}
	if isProfilePath(nameOrPath) {
		return ReadProfileFile(nameOrPath)
	}
	b, err := ProfileSource(nameOrPath)
	if err != nil {
		return nil, fmt.Errorf("load profile: %w", err)
	}
	return ParseProfile(b, nameOrPath+".yaml")
}

// ReadProfileFile reads and validates a profile file (YAML or JSON).
func ReadProfileFile(file string) (*Profile, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read profile: %w", err)
	}
	return ParseProfile(b, file)
}

func isProfilePath(s string) bool {
	return strings.ContainsAny(s, `/\`) || strings.HasSuffix(s, ".yaml") ||
		strings.HasSuffix(s, ".yml") || strings.HasSuffix(s, ".json")
}

// At returns the profile as it applies at now: the last schedule step
// whose date has come replaces CertValidity and AuthzReuse.
func (p *Profile) At(now time.Time) Profile {
	out := *p
	for _, st := range p.Schedule {
		if now.Before(st.From) {
			break
		}
		if st.CertValidity > 0 {
			out.CertValidity = st.CertValidity
		}
		if st.AuthzReuse > 0 {
			out.AuthzReuse = st.AuthzReuse
		}
	}
	return out
}

// reuseWindow is how long a validation may be reused at now.
func (p *Profile) reuseWindow(now time.Time) time.Duration {
	return p.At(now).AuthzReuse
}

// validityAt is the lifetime of a certificate issued at now under the
// order profile op: the order profile's validity, capped by the profile's
// certificate validity in force at now.
func (p *Profile) validityAt(op string, now time.Time) time.Duration {
	v, limit := p.validity(op), p.At(now).CertValidity
	if limit > 0 && limit < v {
		return limit
	}
	return v
}

// macKeyLifetime is the MAC key lifetime, 30 days unless set.
func (p *Profile) macKeyLifetime() time.Duration {
	if p.MACKeyLifetime <= 0 {
		return 30 * 24 * time.Hour
	}
	return p.MACKeyLifetime
}

// macKeyMaxBindings is the per-key binding limit, 1000 unless set.
func (p *Profile) macKeyMaxBindings() int {
	if p.MACKeyMaxBindings <= 0 {
		return 1000
	}
	return p.MACKeyMaxBindings
}

// sharesValidations reports whether validations belong to the customer.
func (p *Profile) sharesValidations() bool { return p.ValidationScope == ScopeCustomer }

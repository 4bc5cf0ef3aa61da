package mockca

import (
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"
)

// pebbleFile is Pebble's JSON configuration: everything under "pebble".
type pebbleFile struct {
	Pebble pebbleConfig `json:"pebble"`
}

// pebbleConfig holds the fields of Pebble's configuration object.
type pebbleConfig struct {
	ListenAddress           string                     `json:"listenAddress"`
	ManagementListenAddress *string                    `json:"managementListenAddress"`
	Certificate             string                     `json:"certificate"`
	PrivateKey              string                     `json:"privateKey"`
	HTTPPort                int                        `json:"httpPort"`
	TLSPort                 int                        `json:"tlsPort"`
	OCSPResponderURL        string                     `json:"ocspResponderURL"`
	EABRequired             bool                       `json:"externalAccountBindingRequired"`
	EABMACKeys              map[string]string          `json:"externalAccountMACKeys"`
	CAAIdentities           []string                   `json:"caaIdentities"`
	DomainBlocklist         []string                   `json:"domainBlocklist"`
	KeyAlgorithm            string                     `json:"keyAlgorithm"`
	Profiles                map[string]pebbleProfile   `json:"profiles"`
	RetryAfter              struct{ Authz, Order int } `json:"retryAfter"`
	CertificateValidity     int64                      `json:"certificateValidityPeriod"`
}

// pebbleProfile is one entry of Pebble's "profiles" (validity in seconds).
type pebbleProfile struct {
	Description       string `json:"description"`
	ValidityPeriod    int64  `json:"validityPeriod"`
	PromoteCommonName bool   `json:"promoteCommonName"`
}

// FromPebble maps Pebble's JSON configuration file and its PEBBLE_*
// environment values (given as a map; library code reads no environment)
// onto a Config. It returns the Config and one note per setting it ignores
// or changes, for the caller to show. configJSON may be nil (environment
// only). Certificate and key paths are read relative to the working
// directory, as Pebble does.
//
// Pebble's defaults apply where a counterpart exists: 5 % of nonces
// rejected, 50 % authorization reuse and 3 orders per page unless the
// environment says otherwise.
func FromPebble(configJSON []byte, env map[string]string) (Config, []string, error) {
	var pc pebbleConfig
	if len(configJSON) > 0 {
		var f pebbleFile
		if err := json.Unmarshal(configJSON, &f); err != nil {
			return Config{}, nil, fmt.Errorf("pebble config: %w", err)
		}
		pc = f.Pebble
	}
	prof := DefaultProfile()
	cfg := Config{Profile: &prof, OrdersPerPage: 3,
		Knobs: Knobs{NonceRejectPercent: 5, AuthzReusePercent: 50}}
	var notes []string
	note := func(format string, args ...any) { notes = append(notes, fmt.Sprintf(format, args...)) }
	if err := pebbleListeners(&cfg, &pc, note); err != nil {
		return Config{}, nil, err
	}
	pebbleProfileFields(&prof, &pc, note)
	if err := pebbleEAB(&cfg, &pc); err != nil {
		return Config{}, nil, err
	}
	if err := pebbleEnv(&cfg, env, note); err != nil {
		return Config{}, nil, err
	}
	return cfg, notes, nil
}

// pebbleListeners maps the listen addresses, ports and TLS certificate.
func pebbleListeners(cfg *Config, pc *pebbleConfig, note func(string, ...any)) error {
	cfg.Addr = loopbackAddr("listenAddress", pc.ListenAddress, note)
	if pc.ManagementListenAddress != nil && *pc.ManagementListenAddress != "" {
		cfg.ManagementAddr = loopbackAddr("managementListenAddress",
			*pc.ManagementListenAddress, note)
		note("managementListenAddress: the management API is plain HTTP, not HTTPS")
	}
	cfg.HTTP01Port, cfg.TLSALPN01Port = pc.HTTPPort, pc.TLSPort
	if pc.Certificate != "" && pc.PrivateKey != "" {
		tc, err := tls.LoadX509KeyPair(pc.Certificate, pc.PrivateKey)
		if err != nil {
			return fmt.Errorf("pebble config: certificate: %w", err)
		}
		cfg.TLSCertificate = &tc
	}
	if pc.OCSPResponderURL != "" {
		note("ocspResponderURL: ignored, certificates carry no OCSP URL")
	}
	if pc.KeyAlgorithm != "" && pc.KeyAlgorithm != "ecdsa" {
		note("keyAlgorithm %q: ignored, CA keys are always ECDSA P-256", pc.KeyAlgorithm)
	}
	return nil
}

// loopbackAddr keeps the port of addr but binds loopback when the host is
// empty or a wildcard address.
func loopbackAddr(field, addr string, note func(string, ...any)) string {
	if addr == "" {
		return ""
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		note("%s %q: not host:port, using 127.0.0.1:0", field, addr)
		return "127.0.0.1:0"
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		note("%s %q: listening on 127.0.0.1:%s instead", field, addr, port)
		return net.JoinHostPort("127.0.0.1", port)
	}
	return addr
}

// pebbleProfileFields maps the policy fields onto the profile.
func pebbleProfileFields(p *Profile, pc *pebbleConfig, note func(string, ...any)) {
	p.EABRequired = pc.EABRequired
	if len(pc.CAAIdentities) > 0 {
		p.CAAIdentities = pc.CAAIdentities
	}
	p.DomainBlocklist = pc.DomainBlocklist
	if pc.CertificateValidity > 0 {
		p.CertValidity = time.Duration(pc.CertificateValidity) * time.Second
	}
	if pc.RetryAfter.Order > 0 {
		p.RetryAfter = time.Duration(pc.RetryAfter.Order) * time.Second
	}
	if len(pc.Profiles) == 0 {
		return
	}
	p.OrderProfiles = map[string]OrderProfile{}
	for name, pp := range pc.Profiles {
		p.OrderProfiles[name] = OrderProfile{Description: pp.Description,
			Validity: time.Duration(pp.ValidityPeriod) * time.Second}
		if pp.PromoteCommonName {
			note("profiles.%s.promoteCommonName: ignored, the first dns name is the CN", name)
		}
	}
	names := make([]string, 0, len(pc.Profiles))
	for n := range pc.Profiles {
		names = append(names, n)
	}
	slices.Sort(names)
	p.DefaultOrderProfile = names[0]
	if _, ok := pc.Profiles["default"]; ok {
		p.DefaultOrderProfile = "default"
	}
}

// pebbleEAB installs the configured MAC keys (base64url, padded or not).
func pebbleEAB(cfg *Config, pc *pebbleConfig) error {
	if len(pc.EABMACKeys) == 0 {
		return nil
	}
	keys := map[string][]byte{}
	for kid, v := range pc.EABMACKeys {
		k, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(v, "="))
		if err != nil {
			return fmt.Errorf("pebble config: externalAccountMACKeys[%s]: %w", kid, err)
		}
		keys[kid] = k
	}
	cfg.EABKeys = StaticEABKeys(keys)
	return nil
}

// StaticEABKeys returns a lookup over a fixed map of key id to MAC key.
func StaticEABKeys(keys map[string][]byte) EABKeyLookup {
	return func(kid, _ string) ([]byte, error) {
		k, ok := keys[kid]
		if !ok {
			return nil, fmt.Errorf("unknown key id %q", kid)
		}
		return k, nil
	}
}

// pebbleEnv maps the PEBBLE_* variables.
func pebbleEnv(cfg *Config, env map[string]string, note func(string, ...any)) error {
	percent := func(name string, dst *int) error {
		v, ok := env[name]
		if !ok {
			return nil
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("%s=%q: %w", name, v, err)
		}
		*dst = max(0, min(n, 100))
		return nil
	}
	if err := percent("PEBBLE_WFE_NONCEREJECT", &cfg.Knobs.NonceRejectPercent); err != nil {
		return err
	}
	if err := percent("PEBBLE_AUTHZREUSE", &cfg.Knobs.AuthzReusePercent); err != nil {
		return err
	}
	if err := percent("PEBBLE_WFE_ORDERS_PER_PAGE", &cfg.OrdersPerPage); err != nil {
		return err
	}
	if err := percent("PEBBLE_ALTERNATE_ROOTS", &cfg.AlternateRoots); err != nil {
		return err
	}
	switch strings.ToLower(env["PEBBLE_VA_ALWAYS_VALID"]) {
	case "1", "true":
		cfg.Knobs.AlwaysValid = true
	}
	for _, name := range []string{"PEBBLE_VA_NOSLEEP", "PEBBLE_VA_SLEEPTIME"} {
		if _, ok := env[name]; ok {
			note("%s: ignored, validation never sleeps (use the finalizeDelay knob)", name)
		}
	}
	if v, ok := env["PEBBLE_CHAIN_LENGTH"]; ok && v != "1" && v != "2" {
		note("PEBBLE_CHAIN_LENGTH=%s: ignored, chains are always leaf, one intermediate, root", v)
	}
	return nil
}

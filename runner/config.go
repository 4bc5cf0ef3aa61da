// Package runner builds and runs one acmeconform run: it starts the embedded
// mock CA and mock DNS server or connects to an external ACME directory,
// registers the selected suites, runs the Ginkgo specs and turns their
// results into a compliance report.
package runner

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"acmeconform/clients/manifest"
)

// ChallengesNone in Config.Challenges says no challenge type reaches the
// harness.
const ChallengesNone = "none"

// Suite names accepted in Config.Suites.
const (
	SuiteServer  = "server"
	SuiteClients = "clients"
)

// Config is everything one run needs. Only cmd/ reads flags and the
// environment; it fills this struct.
type Config struct {
	// Directory is the ACME directory URL of an external target; empty
	// runs against the embedded mock CA.
	Directory string
	// CACertFile trusts the external target's HTTPS certificate (PEM).
	CACertFile string
	// Suites to run; empty means server and clients for the embedded
	// target and server alone for an external one.
	Suites []string
	// LabelFilter is a Ginkgo label-filter expression.
	LabelFilter string
	// OutDir receives the reports; empty writes none.
	OutDir string
	// Seed drives spec order and every random decision of the embedded
	// servers; 0 picks one from the clock (the report records it).
	Seed int64
	// Shard is "i/n" (1-based) to run a deterministic part of the specs.
	Shard string
	// Timeout bounds the whole run; 0 means 30 minutes.
	Timeout time.Duration
	// PollTimeout bounds each wait of the server suite for an
	// authorization or an order to change state; 0 means 30 seconds. A
	// finalized order still processing when it runs out fails
	// order-finalize-valid.
	PollTimeout time.Duration
	// Profile selects the embedded mock CA's policy profiles: built-in
	// names or profile files, comma-separated. The server suite runs
	// against one mock CA per profile; the clients face the first. Empty
	// means "atlas,letsencrypt".
	Profile string
	// Misbehave names mock CA misbehaviours (mockca.Misbehaviours) to
	// switch on in the embedded mock CA; empty runs it well-behaved.
	Misbehave []string
	// Domain is the zone under which specs make names; it must resolve to
	// the harness's responders at the target. Default "acmeconform.test".
	Domain string
	// HTTP01Addr is where the http-01 responder listens for an external
	// target (the target's http-01 port must reach it). Default
	// 127.0.0.1:5002.
	HTTP01Addr string
	// DNSAddr is where the mock DNS server listens for an external target
	// (the target must use it as its resolver). Default 127.0.0.1:8053.
	DNSAddr string
	// EABKID and EABHMAC are external account binding credentials for an
	// external target that requires them.
	EABKID, EABHMAC string
	// Challenges limits the challenge types the harness answers for an
	// external target ("http-01", "dns-01"); empty answers both, and
	// "none" alone answers none (a target that cannot reach the harness).
	Challenges []string
	// ValidatedNames are names the external target has validated already
	// for the accounts the harness uses (the same EAB-bound customer, or
	// the same account), so orders for them issue without a challenge
	// (RFC 8555 §7.1.4, §7.5). Issuing specs order these names when no
	// challenge type reaches the harness.
	ValidatedNames []string
	// LegoPath is the lego binary for the client suite; empty skips lego.
	LegoPath string
	// CaddyPath is the caddy binary for the client suite in process mode;
	// empty skips Caddy there.
	CaddyPath string
	// ClientMode is how the client suite runs clients: "process" (local
	// binaries, the default) or "container" (images built from ToolsDir
	// and Debian's archive, on a Docker network of the run's own).
	ClientMode string
	// ToolsDir is the pinned tools module container mode builds the Go
	// clients' images from; required in container mode.
	ToolsDir string
	// ClientManifests are client manifest files (docs/byo-client.md): each
	// adds a client the harness has no driver for to the client suite, in
	// container mode, which they make the default.
	ClientManifests []string
	manifests       []*manifest.Manifest // read from ClientManifests
	// WorkDir holds files the clients write; empty uses a temporary dir.
	WorkDir string
	// Progress receives the one-line progress updates; nil is silent.
	Progress io.Writer
	// SpecLog receives Ginkgo's own detailed output; nil discards it.
	SpecLog io.Writer
	// Logger receives the servers' logs; nil discards.
	Logger *slog.Logger
	// Version is the tool version written into reports.
	Version string
}

// ConfigError is a usage or configuration mistake (exit code 2).
type ConfigError struct{ Err error }

func (e *ConfigError) Error() string { return e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

// InfraError means the target or the harness's own infrastructure failed
// (exit code 3), as opposed to the target failing a requirement.
type InfraError struct{ Err error }

func (e *InfraError) Error() string { return e.Err.Error() }
func (e *InfraError) Unwrap() error { return e.Err }

func configErr(format string, args ...any) error {
	return &ConfigError{Err: fmt.Errorf(format, args...)}
}

// withDefaults validates cfg and fills in its defaults.
func (cfg Config) withDefaults() (Config, error) {
	if cfg.Directory != "" {
		u, err := url.Parse(cfg.Directory)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return cfg, configErr("--directory %q: want an http(s) URL", cfg.Directory)
		}
	}
	if len(cfg.Suites) == 0 {
		cfg.Suites = []string{SuiteServer}
		if cfg.Directory == "" {
			cfg.Suites = append(cfg.Suites, SuiteClients)
		}
	}
	for _, s := range cfg.Suites {
		if s != SuiteServer && s != SuiteClients {
			return cfg, configErr("--suite %q: want %s or %s", s, SuiteServer, SuiteClients)
		}
	}
	if cfg.LabelFilter != "" {
		if _, err := types.ParseLabelFilter(cfg.LabelFilter); err != nil {
			return cfg, configErr("--label-filter %q: %v", cfg.LabelFilter, err)
		}
	}
	if _, _, err := parseShard(cfg.Shard); err != nil {
		return cfg, &ConfigError{Err: err}
	}
	if cfg.Seed == 0 {
		cfg.Seed = time.Now().UnixNano() % 1_000_000_000
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Minute
	}
	cfg.Domain = strings.TrimSuffix(cmpOr(cfg.Domain, "acmeconform.test"), ".")
	cfg.HTTP01Addr = cmpOr(cfg.HTTP01Addr, "127.0.0.1:5002")
	cfg.DNSAddr = cmpOr(cfg.DNSAddr, "127.0.0.1:8053")
	if len(cfg.ClientManifests) > 0 && cfg.ClientMode == "" {
		cfg.ClientMode = ClientModeContainer
	}
	cfg.ClientMode = cmpOr(cfg.ClientMode, ClientModeProcess)
	if err := cfg.checkClientMode(); err != nil {
		return cfg, err
	}
	manifests, err := loadManifests(cfg.ClientManifests)
	if err != nil {
		return cfg, err
	}
	cfg.manifests = manifests
	if err := cfg.checkChallenges(); err != nil {
		return cfg, err
	}
	if cfg.PollTimeout < 0 {
		return cfg, configErr("--poll-timeout %s: want a positive duration", cfg.PollTimeout)
	}
	if (cfg.EABKID == "") != (cfg.EABHMAC == "") {
		return cfg, configErr("--eab-kid and --eab-hmac go together")
	}
	// The server suite's responder and the clients would both listen on
	// the http-01 port.
	if cfg.Directory != "" && cfg.runs(SuiteServer) && cfg.runs(SuiteClients) &&
		cfg.reaches("http-01") {
		return cfg, configErr("--suite server,clients with --directory: both suites answer " +
			"http-01 on --http01-addr; run them one at a time and merge the reports " +
			"(acmeconform report merge), or pass --challenges dns-01")
	}
	return cfg, nil
}

// checkClientMode validates the client mode and what it needs.
func (cfg Config) checkClientMode() error {
	switch {
	case cfg.ClientMode != ClientModeProcess && cfg.ClientMode != ClientModeContainer:
		return configErr("--client-mode %q: want %s or %s", cfg.ClientMode,
			ClientModeProcess, ClientModeContainer)
	case cfg.ClientMode == ClientModeContainer && cfg.ToolsDir == "":
		return configErr("--client-mode container needs the tools module (--tools)")
	case cfg.ClientMode != ClientModeContainer && len(cfg.ClientManifests) > 0:
		return configErr("--client-manifest runs clients in containers: drop --client-mode %s",
			cfg.ClientMode)
	}
	return nil
}

// checkChallenges validates the challenge types and the validated names.
func (cfg Config) checkChallenges() error {
	for _, c := range cfg.Challenges {
		switch {
		case c == ChallengesNone && len(cfg.Challenges) > 1:
			return configErr("--challenges %s stands alone", ChallengesNone)
		case c != "http-01" && c != "dns-01" && c != ChallengesNone:
			return configErr("--challenges %q: want http-01, dns-01 or %s", c, ChallengesNone)
		}
	}
	if len(cfg.ValidatedNames) > 0 && cfg.Directory == "" {
		return configErr("--validated-names is for an external server (--directory)")
	}
	for _, n := range cfg.ValidatedNames {
		if n == "" || strings.ContainsAny(n, " /:") {
			return configErr("--validated-names %q: want DNS names separated by commas", n)
		}
	}
	return nil
}

// profiles lists the embedded mock CA's profiles.
func (cfg Config) profiles() []string {
	return strings.Split(cmpOr(cfg.Profile, "atlas,letsencrypt"), ",")
}

func (cfg Config) runs(suite string) bool { return slices.Contains(cfg.Suites, suite) }

// reaches reports whether the external target can reach the harness by
// the challenge type: every type unless Challenges limits them.
func (cfg Config) reaches(challenge string) bool {
	return len(cfg.Challenges) == 0 || slices.Contains(cfg.Challenges, challenge)
}

// reachesAny reports whether any challenge type reaches the harness.
func (cfg Config) reachesAny() bool { return cfg.reaches("http-01") || cfg.reaches("dns-01") }

func cmpOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// parseShard reads "i/n" with 1 <= i <= n; empty means the whole run (1/1).
func parseShard(s string) (i, n int, err error) {
	if s == "" {
		return 1, 1, nil
	}
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
		return 0, 0, errors.New("--shard " + strconv.Quote(s) + ": want i/n with 1 <= i <= n")
	}
	return i, n, nil
}

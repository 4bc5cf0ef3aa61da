package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"acmeconform/dnsmock"
	"acmeconform/mockca"
)

// serveOptions are the flags of `acmeconform serve`.
type serveOptions struct {
	listen, management, dnsAddr, dnsAPI, stateDir string
	profile, pebbleConfig, dnsServer, pprof       string
	eab                                           *mockca.MACKey // printed when required
	misbehave                                     []mockca.Misbehaviour
	quirks                                        []mockca.Quirk
	http01Port                                    int
	seed                                          int64
	verbose                                       bool
}

func serveCmd(ctx context.Context, env *cliEnv, args []string) int {
	fs := newFlagSet(env, "serve",
		"Run the mock CA and the mock DNS server until interrupted, for testing an ACME\n"+
			"client by hand or from another test suite.",
		"acmeconform serve",
		"acmeconform serve --listen 127.0.0.1:14000 --dns 127.0.0.1:8053 --http01-port 5002",
		"acmeconform serve --pebble-config test/config/pebble-config.json --dnsserver 127.0.0.1:8053")
	var o serveOptions
	fs.StringVar(&o.listen, "listen", "127.0.0.1:14000", "ACME HTTPS listen address")
	fs.StringVar(&o.management, "management", "127.0.0.1:15000", "management API listen address")
	fs.StringVar(&o.dnsAddr, "dns", "127.0.0.1:8053", "mock DNS listen address (UDP and TCP)")
	fs.StringVar(&o.dnsAPI, "dns-api", "127.0.0.1:8055", "mock DNS management API listen address")
	fs.IntVar(&o.http01Port, "http01-port", 5002, "port the CA connects to for http-01 validation")
	fs.StringVar(&o.stateDir, "state-dir", "", "where to write the trust roots (default: a new temporary directory)")
	fs.Int64Var(&o.seed, "seed", 1, "seed for every random decision of the servers")
	fs.StringVar(&o.profile, "profile", mockca.DefaultProfileName,
		"policy profile: "+strings.Join(mockca.ProfileNames(), ", ")+", or a profile file")
	fs.BoolVar(&o.verbose, "verbose", false, "log every request")
	fs.StringVar(&o.pprof, "pprof", "", "serve Go runtime profiles on this loopback address (debugging)")
	fs.StringVar(&o.pebbleConfig, "pebble-config", "",
		"Pebble JSON configuration file; PEBBLE_* environment variables apply too (Pebble drop-in)")
	fs.StringVar(&o.dnsServer, "dnsserver", "",
		"resolve names through this DNS server instead of the mock DNS (Pebble's -dnsserver)")
	misbehave := fs.String("misbehave", "", "comma-separated mock CA misbehaviours to switch on (testing only)")
	quirks := fs.String("quirk", "", "comma-separated legal but unusual behaviours, to test a client's robustness")
	if err := parseFlags(fs, args, env.getenv); err != nil {
		return flagExit(env, "serve", err)
	}
	mis, err := mockca.ParseMisbehaviours(*misbehave)
	if err != nil {
		return flagExit(env, "serve", usagef("--misbehave: %v", err))
	}
	o.misbehave = mis
	if o.quirks, err = mockca.ParseQuirks(*quirks); err != nil {
		return flagExit(env, "serve", usagef("--quirk: %v", err))
	}
	prof, err := mockca.LoadProfile(o.profile)
	if err != nil {
		return flagExit(env, "serve", usagef("--profile: %v", err))
	}
	if err := serve(ctx, env, o, prof); err != nil {
		fmt.Fprintf(env.stderr, "acmeconform serve: %v\n", err)
		return exitInfra
	}
	return exitOK
}

func serve(ctx context.Context, env *cliEnv, o serveOptions, prof *mockca.Profile) error {
	log := slog.New(slog.DiscardHandler)
	if o.verbose {
		log = slog.New(slog.NewTextHandler(env.stderr, nil))
	}
	if o.pprof != "" {
		stop, err := startPprof(o.pprof)
		if err != nil {
			return err
		}
		defer stop()
	}
	cfg := mockca.Config{
		Addr: o.listen, ManagementAddr: o.management, HTTP01Port: o.http01Port,
		Seed: o.seed, Profile: prof, Misbehave: o.misbehave, Quirks: o.quirks,
	}
	if o.pebbleConfig != "" {
		var err error
		if cfg, err = pebbleConfig(env, o); err != nil {
			return err
		}
		o.http01Port, o.profile = cfg.HTTP01Port, "pebble"
	}
	cfg.Logger, cfg.DNSServer = log, o.dnsServer
	var dns *dnsmock.Server
	if cfg.DNSServer == "" {
		var err error
		if dns, err = dnsmock.New(dnsmock.Config{
			Addr: o.dnsAddr, APIAddr: o.dnsAPI, DefaultIPv4: "127.0.0.1", Seed: o.seed, Logger: log,
		}); err != nil {
			return err
		}
		if err := dns.Start(); err != nil {
			return fmt.Errorf("mock DNS: %w", err)
		}
		defer dns.Close()
		cfg.DNSServer = dns.Addr()
	}
	ca, err := mockca.New(cfg)
	if err != nil {
		return err
	}
	// The roots are on disk before the directory answers, so whoever
	// waits for the directory can trust it at once.
	files, err := writeRoots(o.stateDir, ca)
	if err != nil {
		return err
	}
	if o.stateDir == "" { // a directory of our own: gone when serve stops
		defer os.RemoveAll(filepath.Dir(files.tlsRoot))
	}
	if err := ca.Start(); err != nil {
		return fmt.Errorf("mock CA: %w", err)
	}
	defer ca.Close()
	if ca.Profile().EABRequired && o.pebbleConfig == "" { // more with `acmeconform credentials`
		k, err := ca.NewEABKey("serve")
		if err != nil {
			return err
		}
		o.eab = &k
	}
	printServeBanner(env.stdout, o, ca, dns, files)
	<-ctx.Done()
	fmt.Fprintln(env.stdout, "stopping")
	return nil
}

type rootFiles struct{ tlsRoot, issuerRoot string }

func writeRoots(dir string, ca *mockca.Server) (rootFiles, error) {
	var err error
	if dir == "" {
		if dir, err = os.MkdirTemp("", "acmeconform-serve"); err != nil {
			return rootFiles{}, err
		}
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return rootFiles{}, err
	}
	f := rootFiles{
		tlsRoot:    filepath.Join(dir, "tls-root.pem"),
		issuerRoot: filepath.Join(dir, "issuer-roots.pem"),
	}
	if err := os.WriteFile(f.tlsRoot, ca.TLSRootPEM(), 0o644); err != nil {
		return f, err
	}
	return f, os.WriteFile(f.issuerRoot, ca.IssuerRootsPEM(), 0o644)
}

func printServeBanner(w io.Writer, o serveOptions, ca *mockca.Server, dns *dnsmock.Server, f rootFiles) {
	fmt.Fprintf(w, "mock CA directory:  %s\n", ca.DirectoryURL())
	fmt.Fprintf(w, "management API:     %s\n", ca.ManagementURL())
	if dns != nil {
		fmt.Fprintf(w, "mock DNS:           %s (UDP and TCP), API %s\n", dns.Addr(), dns.APIURL())
	} else {
		fmt.Fprintf(w, "DNS server:         %s (names resolve there)\n", o.dnsServer)
	}
	fmt.Fprintf(w, "HTTPS trust root:   %s\n", f.tlsRoot)
	fmt.Fprintf(w, "issuing roots:      %s\n", f.issuerRoot)
	fmt.Fprintf(w, "http-01 validated on port %d\n\n", o.http01Port)
	if o.eab != nil {
		fmt.Fprintf(w, "Profile %s requires external account binding; a MAC key:\n", o.profile)
		printEABKey(w, o.eab)
		fmt.Fprintln(w)
	}
	legoEAB, certbotEAB := "", ""
	if o.eab != nil {
		legoEAB = fmt.Sprintf(" \\\n    --eab --kid %s --hmac %s", o.eab.KID, o.eab.HMACKey)
		certbotEAB = fmt.Sprintf(" \\\n    --eab-kid %s --eab-hmac-key %s", o.eab.KID, o.eab.HMACKey)
	}
	fmt.Fprintln(w, "Try it:")
	fmt.Fprintf(w, "  LEGO_CA_CERTIFICATES=%s lego --server %s --accept-tos --email you@example.com \\\n"+
		"    --http --http.port 127.0.0.1:%d --domains test.example%s run\n",
		f.tlsRoot, ca.DirectoryURL(), o.http01Port, legoEAB)
	fmt.Fprintf(w, "  REQUESTS_CA_BUNDLE=%s certbot certonly --server %s --standalone \\\n"+
		"    --http-01-address 127.0.0.1 --http-01-port %d --agree-tos --register-unsafely-without-email \\\n"+
		"    -d test.example%s\n", f.tlsRoot, ca.DirectoryURL(), o.http01Port, certbotEAB)
	fmt.Fprintln(w, "\nPress Ctrl-C to stop.")
}

// pebbleConfig maps a Pebble configuration file and the PEBBLE_* variables
// onto the mock CA's Config and prints what it ignores or changes (every
// listener stays on loopback whatever the file says).
func pebbleConfig(env *cliEnv, o serveOptions) (mockca.Config, error) {
	b, err := os.ReadFile(o.pebbleConfig)
	if err != nil {
		return mockca.Config{}, usagef("--pebble-config: %v", err)
	}
	vars := map[string]string{}
	for _, name := range pebbleVars {
		if v := env.getenv(name); v != "" {
			vars[name] = v
		}
	}
	cfg, notes, err := mockca.FromPebble(b, vars)
	if err != nil {
		return cfg, usagef("%s: %v", o.pebbleConfig, err)
	}
	for _, n := range notes {
		fmt.Fprintf(env.stderr, "pebble config: %s\n", n)
	}
	return cfg, nil
}

// pebbleVars are the environment variables Pebble reads.
var pebbleVars = []string{
	"PEBBLE_VA_NOSLEEP", "PEBBLE_VA_SLEEPTIME", "PEBBLE_VA_ALWAYS_VALID", "PEBBLE_WFE_NONCEREJECT",
	"PEBBLE_AUTHZREUSE", "PEBBLE_WFE_ORDERS_PER_PAGE", "PEBBLE_ALTERNATE_ROOTS", "PEBBLE_CHAIN_LENGTH",
}

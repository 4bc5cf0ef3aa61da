package server_test

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"acmeconform/internal/loopbacktls"
	"acmeconform/internal/ports"
)

// pebbleBinary is where the tools module builds Pebble.
const pebbleBinary = "../../bin/pebble"

// pebble is a Pebble process on loopback ports with a throw-away TLS key.
type pebble struct {
	cmd  *exec.Cmd
	dir  string
	out  *os.File
	addr string
	mgmt string
}

// pebbleOptions says how to run one Pebble.
type pebbleOptions struct {
	// DNS is the resolver Pebble validates through (host:port).
	DNS string
	// HTTPPort is where Pebble fetches http-01 answers.
	HTTPPort int
	// TLSPort is where Pebble connects for tls-alpn-01.
	TLSPort int
	// EAB maps key ids to base64url MAC keys; non-empty requires EAB.
	EAB map[string]string
}

// startPebble starts Pebble with no validation sleep, no random nonce
// rejection and no random authorization reuse, resolving through opt.DNS,
// and waits until its directory answers. It returns errPebbleMissing when
// the binary is not built.
func startPebble(dir string, opt pebbleOptions) (*pebble, *x509.CertPool, error) {
	bin, err := filepath.Abs(pebbleBinary)
	if err != nil {
		return nil, nil, err
	}
	if _, err := os.Stat(bin); err != nil {
		return nil, nil, fmt.Errorf("%w: %s", errPebbleMissing, bin)
	}
	tlsFiles, err := loopbacktls.Write(dir)
	if err != nil {
		return nil, nil, err
	}
	pool, certFile, keyFile := tlsFiles.Pool, tlsFiles.CertFile, tlsFiles.KeyFile
	ps, err := ports.Free(2)
	if err != nil {
		return nil, nil, err
	}
	p := &pebble{dir: dir, addr: fmt.Sprintf("127.0.0.1:%d", ps[0]),
		mgmt: fmt.Sprintf("127.0.0.1:%d", ps[1])}
	cfg := pebbleConfig(p.addr, p.mgmt, certFile, keyFile, opt)
	cfgFile := filepath.Join(dir, "pebble.json")
	if err := os.WriteFile(cfgFile, cfg, 0o600); err != nil {
		return nil, nil, err
	}
	if p.out, err = os.Create(filepath.Join(dir, "pebble.log")); err != nil {
		return nil, nil, err
	}
	p.cmd = exec.Command(bin, "-config", cfgFile, "-dnsserver", opt.DNS)
	p.cmd.Env = append(os.Environ(), "PEBBLE_VA_NOSLEEP=1", "PEBBLE_WFE_NONCEREJECT=0",
		"PEBBLE_AUTHZREUSE=0", "PEBBLE_ALTERNATE_ROOTS=1")
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		return nil, nil, fmt.Errorf("start pebble: %w", err)
	}
	if err := waitReady(p.DirectoryURL(), pool, 20*time.Second); err != nil {
		p.Stop()
		return nil, nil, fmt.Errorf("pebble did not come up: %w", err)
	}
	return p, pool, nil
}

var errPebbleMissing = errors.New("pebble binary not built (cd tools && go build -o ../bin/ ...)")

// DirectoryURL returns Pebble's ACME directory.
func (p *pebble) DirectoryURL() string { return "https://" + p.addr + "/dir" }

// IssuerRoots fetches the roots of the default and the alternate chain
// from Pebble's management API.
func (p *pebble) IssuerRoots(pool *x509.CertPool) (*x509.CertPool, error) {
	hc := httpClient(pool)
	roots := x509.NewCertPool()
	for n := range 2 {
		resp, err := hc.Get(fmt.Sprintf("https://%s/roots/%d", p.mgmt, n))
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
		_ = resp.Body.Close()
		if err != nil || !roots.AppendCertsFromPEM(b) {
			return nil, fmt.Errorf("pebble root %d: unreadable (%v)", n, err)
		}
	}
	return roots, nil
}

// Stop kills the process it started.
func (p *pebble) Stop() {
	if p.cmd.Process != nil {
		_ = p.cmd.Process.Kill()
		_ = p.cmd.Wait()
	}
	_ = p.out.Close()
}

func pebbleConfig(listen, mgmt, cert, key string, opt pebbleOptions) []byte {
	cfg := map[string]any{"pebble": map[string]any{
		"listenAddress":                  listen,
		"managementListenAddress":        mgmt,
		"certificate":                    cert,
		"privateKey":                     key,
		"httpPort":                       opt.HTTPPort,
		"tlsPort":                        opt.TLSPort,
		"ocspResponderURL":               "",
		"externalAccountBindingRequired": len(opt.EAB) > 0,
		"externalAccountMACKeys":         opt.EAB,
		"domainBlocklist":                []string{"blocked.acmeconform.test"},
		"retryAfter":                     map[string]int{"authz": 1, "order": 1},
		"profiles": map[string]any{
			"default":    map[string]any{"description": "default", "validityPeriod": 7776000},
			"shortlived": map[string]any{"description": "short", "validityPeriod": 518400},
		},
	}}
	b, _ := json.Marshal(cfg) // maps of strings and numbers always marshal
	return b
}

// httpClient trusts pool and bounds every request.
func httpClient(pool *x509.CertPool) *http.Client {
	return &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
	}
}

// waitReady polls url until it answers 200 or the deadline passes.
func waitReady(url string, pool *x509.CertPool, within time.Duration) error {
	hc := httpClient(pool)
	hc.Timeout = time.Second
	deadline := time.Now().Add(within)
	for {
		resp, err := hc.Get(url)
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready after %s: %v", url, within, err)
		}
		time.Sleep(100 * time.Millisecond) // polling interval with a deadline
	}
}

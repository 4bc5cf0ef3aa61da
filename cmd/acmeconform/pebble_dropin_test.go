package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"acmeconform/internal/ports/portstest"
)

// TestServeAsPebbleDropIn starts `acmeconform serve` with a Pebble
// configuration file and Pebble's environment knobs, as a project's
// Pebble-based test would, and has lego obtain a certificate from it.
func TestServeAsPebbleDropIn(t *testing.T) {
	lego := repoBin(t, "lego")
	dir := t.TempDir()
	tlsRoot := writeLoopbackTLS(t, dir)
	acmePort, mgmtPort, httpPort := portstest.Loopback(t), portstest.Loopback(t), portstest.Loopback(t)
	cfg := fmt.Sprintf(`{"pebble": {"listenAddress": "0.0.0.0:%d",
		"managementListenAddress": "0.0.0.0:%d", "certificate": %q, "privateKey": %q,
		"httpPort": %d, "tlsPort": %d, "ocspResponderURL": "", "externalAccountBindingRequired": false,
		"domainBlocklist": ["blocked-domain.example"], "retryAfter": {"authz": 3, "order": 5}}}`,
		acmePort, mgmtPort, filepath.Join(dir, "tls.pem"), filepath.Join(dir, "tls.key"), httpPort, portstest.Loopback(t))
	cfgFile := filepath.Join(dir, "pebble-config.json")
	if err := os.WriteFile(cfgFile, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	serve := exec.CommandContext(ctx, binary, "serve", "--pebble-config", cfgFile,
		"--dns", fmt.Sprintf("127.0.0.1:%d", portstest.Loopback(t)), "--dns-api", "127.0.0.1:0",
		"--state-dir", filepath.Join(dir, "state"))
	serve.Env = append(os.Environ(), "PEBBLE_VA_NOSLEEP=1", "PEBBLE_WFE_NONCEREJECT=0",
		"PEBBLE_AUTHZREUSE=100")
	var out syncBuffer // serve writes while the test reads
	serve.Stdout, serve.Stderr = &out, &out
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = serve.Wait() })
	waitListening(t, fmt.Sprintf("127.0.0.1:%d", acmePort))

	legoDir := filepath.Join(dir, "lego")
	ctx2, cancel2 := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel2()
	cmd := exec.CommandContext(ctx2, lego, "--server", fmt.Sprintf("https://127.0.0.1:%d/dir", acmePort),
		"--accept-tos", "--email", "dev@example.com", "--path", legoDir,
		"--http", "--http.port", fmt.Sprintf(":%d", httpPort), "--domains", "dropin.acmeconform.test", "run")
	cmd.Env = append(os.Environ(), "LEGO_CA_CERTIFICATES="+tlsRoot)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("lego against serve --pebble-config: %v\n%s\nserve:\n%s", err, b, out.String())
	}
	crt := filepath.Join(legoDir, "certificates", "dropin.acmeconform.test.crt")
	if st, err := os.Stat(crt); err != nil || st.Size() == 0 {
		t.Fatalf("no certificate at %s: %v", crt, err)
	}
	if !strings.Contains(out.String(), fmt.Sprintf("listening on 127.0.0.1:%d instead", acmePort)) {
		t.Errorf("serve did not say it kept 0.0.0.0 listeners on loopback:\n%s", out.String())
	}
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

package clients_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"acmeconform/internal/loopbacktls"
	"acmeconform/internal/ports/portstest"
)

// pebble is a Pebble plus pebble-challtestsrv pair on loopback ports.
type pebble struct {
	dir, caFile       string
	certFile, keyFile string
	acme, mgmt        string // host:port
	dnsAddr, dnsAPI   string
	httpPort          int
	eabKeys           map[string]string
	client            *http.Client
}

func startPebble(t *testing.T, bin string) *pebble {
	t.Helper()
	// The clients listen on the http-01 port and (Caddy) the two above it.
	httpPort := portstest.Block(t, 3)
	p := &pebble{dir: t.TempDir(), httpPort: httpPort, eabKeys: map[string]string{}}
	p.acme = fmt.Sprintf("127.0.0.1:%d", portstest.Loopback(t))
	p.mgmt = fmt.Sprintf("127.0.0.1:%d", portstest.Loopback(t))
	p.dnsAddr = fmt.Sprintf("127.0.0.1:%d", portstest.Loopback(t))
	dnsMgmt := fmt.Sprintf("127.0.0.1:%d", portstest.Loopback(t))
	p.dnsAPI = "http://" + dnsMgmt

	roots := p.writeTLS(t)
	p.client = &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: roots},
	}}
	startProc(t, filepath.Join(bin, "pebble-challtestsrv"), nil,
		"-dnsserver", p.dnsAddr, "-management", dnsMgmt, "-defaultIPv4", "127.0.0.1",
		"-defaultIPv6", "", "-http01", "", "-https01", "", "-tlsalpn01", "", "-doh", "")
	startProc(t, filepath.Join(bin, "pebble"),
		[]string{"PEBBLE_VA_NOSLEEP=1", "PEBBLE_WFE_NONCEREJECT=0", "PEBBLE_AUTHZREUSE=100"},
		"-config", p.writeConfig(t), "-dnsserver", p.dnsAddr, "-strict")

	p.waitUp(t)
	return p
}

// startProc starts a server and stops it when the test ends.
func startProc(t *testing.T, path string, env []string, args ...string) {
	t.Helper()
	cmd := exec.Command(path, args...)
	cmd.Env = append([]string{"PATH=/usr/bin:/bin"}, env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("%s output:\n%s", filepath.Base(path), out.String())
		}
	})
}

// writeTLS writes a throwaway certificate for Pebble's HTTPS listeners and
// returns a pool trusting it.
func (p *pebble) writeTLS(t *testing.T) *x509.CertPool {
	t.Helper()
	f, err := loopbacktls.Write(p.dir)
	if err != nil {
		t.Fatal(err)
	}
	p.caFile, p.certFile, p.keyFile = f.CertFile, f.CertFile, f.KeyFile
	return f.Pool
}

func (p *pebble) writeConfig(t *testing.T) string {
	t.Helper()
	for i := range 20 {
		k := make([]byte, 32)
		_, _ = rand.Read(k)
		p.eabKeys[fmt.Sprintf("kid-%d", i)] = b64url(k)
	}
	cfg := map[string]any{"pebble": map[string]any{
		"listenAddress": p.acme, "managementListenAddress": p.mgmt,
		"certificate": p.certFile,
		"privateKey":  p.keyFile,
		"httpPort":    p.httpPort, "tlsPort": portstest.Loopback(t),
		"externalAccountBindingRequired": true, "externalAccountMACKeys": p.eabKeys,
		"retryAfter": map[string]int{"authz": 1, "order": 1},
		"profiles": map[string]any{
			"default":    map[string]any{"description": "90 days", "validityPeriod": 7776000},
			"shortlived": map[string]any{"description": "6 days", "validityPeriod": 518400},
		},
	}}
	b, _ := json.Marshal(cfg)
	path := filepath.Join(p.dir, "pebble.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func (p *pebble) waitUp(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := p.client.Get(p.directory())
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("pebble did not come up at %s: %v", p.directory(), err)
		}
		time.Sleep(100 * time.Millisecond) // polling a server that is starting
	}
}

func (p *pebble) directory() string { return "https://" + p.acme + "/dir" }

// mgmtGet reads a management resource of Pebble.
func (p *pebble) mgmtGet(ctx context.Context, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://"+p.mgmt+path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, err = b.ReadFrom(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return b.Bytes(), err
}

// setRenewalWindow overrides the renewal information Pebble serves for
// cert; Pebble takes the response as a string.
func (p *pebble) setRenewalWindow(ctx context.Context, cert *x509.Certificate,
	start, end time.Time) error {
	ari, err := json.Marshal(ariWindow(start, end))
	if err != nil {
		return err
	}
	body, err := json.Marshal(map[string]string{
		"Certificate": string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})),
		"ARIResponse": string(ari),
	})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost,
		"https://"+p.mgmt+"/set-renewal-info/", bytes.NewReader(body))
	if err != nil {
		return err
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("pebble set-renewal-info: %s", resp.Status)
	}
	return nil
}

// revoked asks Pebble's management API for a certificate's status.
func (p *pebble) revoked(ctx context.Context, cert *x509.Certificate) (bool, error) {
	b, err := p.mgmtGet(ctx, "/cert-status-by-serial/"+cert.SerialNumber.Text(16))
	if err != nil {
		return false, err
	}
	var st struct{ Status string }
	if err := json.Unmarshal(b, &st); err != nil {
		return false, err
	}
	return strings.EqualFold(st.Status, "revoked"), nil
}

// dnsQueries counts the queries challtestsrv answered for name and qtype.
func (p *pebble) dnsQueries(ctx context.Context, name, qtype string) (int, error) {
	body := fmt.Sprintf(`{"host":%q}`, strings.TrimSuffix(name, "."))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost,
		p.dnsAPI+"/dns-request-history", strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var events []struct{ Question struct{ Qtype uint16 } }
	if err := json.NewDecoder(resp.Body).Decode(&events); err != nil {
		return 0, fmt.Errorf("dns history: %w", err)
	}
	want := map[string]uint16{"A": 1, "TXT": 16, "AAAA": 28, "CAA": 257}[qtype]
	n := 0
	for _, e := range events {
		if e.Question.Qtype == want {
			n++
		}
	}
	return n, nil
}

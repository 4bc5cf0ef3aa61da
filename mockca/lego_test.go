package mockca

import (
	"crypto/x509"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"acmeconform/internal/ports/portstest"
)

// legoBinary is the pinned lego built into the repository's bin folder.
const legoBinary = "../bin/lego"

// TestLegoLifecycle drives the real lego client through issuance via
// http-01, an ARI-triggered renewal that names the old certificate in
// "replaces", and revocation.
func TestLegoLifecycle(t *testing.T) {
	if _, err := os.Stat(legoBinary); err != nil || testing.Short() {
		t.Skip("lego binary not built (cd tools && go build -o ../bin/ github.com/go-acme/lego/v4/cmd/lego)")
	}
	port := portstest.Loopback(t)
	e := startEnv(t, func(c *Config) { c.HTTP01Port = port })
	dir := t.TempDir()
	rootFile := filepath.Join(dir, "tls-root.pem")
	if err := os.WriteFile(rootFile, e.ca.TLSRootPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	const domain = "lego.example.com"
	lego := func(args ...string) {
		t.Helper()
		base := []string{"--server", e.ca.DirectoryURL(), "--accept-tos", "--email",
			"ops@example.com", "--path", dir, "--domains", domain, "--http",
			"--http.port", "127.0.0.1:" + strconv.Itoa(port)}
		cmd := exec.Command(legoBinary, append(base, args...)...)
		cmd.Env = append(os.Environ(), "LEGO_CA_CERTIFICATES="+rootFile)
		start := time.Now()
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("lego %v: %v\n%s", args, err, out)
		}
		t.Logf("lego %v took %s\n%s", args, time.Since(start), out)
	}
	certFile := filepath.Join(dir, "certificates", domain+".crt")

	lego("run")
	first := legoLeaf(t, e, certFile)

	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	ari := fmt.Sprintf(`{"suggestedWindow":{"start":%q,"end":%q}}`, past, past)
	if !e.ca.setRenewalInfo(first.SerialNumber.Text(16), []byte(ari)) {
		t.Fatal("cannot override renewal info")
	}
	lego("renew", "--days", "1", "--no-random-sleep")
	second := legoLeaf(t, e, certFile)
	if second.SerialNumber.Cmp(first.SerialNumber) == 0 {
		t.Fatal("lego did not renew although ARI said so")
	}
	e.ca.store.mu.Lock()
	replaced := e.ca.store.certs[e.ca.store.bySerial[first.SerialNumber.Text(16)]].replaced
	e.ca.store.mu.Unlock()
	if !replaced {
		t.Error("the renewal order did not name the old certificate in replaces")
	}

	lego("revoke")
	if st, _ := e.ca.CertStatus(second.SerialNumber.Text(16)); st.Status != "Revoked" {
		t.Fatalf("after lego revoke the certificate is %q", st.Status)
	}
}

// legoLeaf reads lego's certificate file and verifies it against the CA.
func legoLeaf(t *testing.T, e *testEnv, file string) *x509.Certificate {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	chain := parsePEMBytes(t, b)
	var der [][]byte
	for _, c := range chain {
		der = append(der, c.Raw)
	}
	return verifyChain(t, e, der, chain[0].DNSNames[0])
}

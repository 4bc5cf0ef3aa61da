package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"acmeconform/internal/ports/portstest"
	"acmeconform/mockca"
	"acmeconform/mockca/mockcatest"
	"acmeconform/reports"
)

// privateMaterial matches private keys in any output: PEM blocks and the
// private members of a JWK (RFC 7518 §6.2.2, §6.3.2, §6.4.1).
var privateMaterial = regexp.MustCompile(
	`PRIVATE KEY-----|"(d|k|p|q|dp|dq|qi)"\s*:\s*"[A-Za-z0-9_-]{16,}`)

// runOutputs is every output of one run: stdout, stderr and each file
// under the report directory, by name.
func runOutputs(t *testing.T, res runResult, dir string) map[string]string {
	t.Helper()
	out := map[string]string{"stdout": res.stdout, "stderr": res.stderr}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		out[path] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// assertNoSecrets fails for every output holding private key material or
// one of the secrets.
func assertNoSecrets(t *testing.T, outputs map[string]string, secrets ...string) {
	t.Helper()
	for name, text := range outputs {
		if m := privateMaterial.FindString(text); m != "" {
			t.Errorf("%s holds private key material: %q", name, m)
		}
		for _, s := range secrets {
			if s != "" && strings.Contains(text, s) {
				t.Errorf("%s holds the secret %.6s…", name, s)
			}
		}
	}
}

// encodings returns key in every encoding a log line might carry it.
func encodings(key []byte) []string {
	return []string{base64.RawURLEncoding.EncodeToString(key),
		base64.URLEncoding.EncodeToString(key), base64.StdEncoding.EncodeToString(key),
		base64.RawStdEncoding.EncodeToString(key), hex.EncodeToString(key)}
}

// TestEmbeddedRunLeaksNoPrivateKey runs the EAB and atlas specs of the
// server suite and the lego client specs against the embedded mock CA with
// EAB required, with every log on, and searches every output for private
// keys.
func TestEmbeddedRunLeaksNoPrivateKey(t *testing.T) {
	if testing.Short() {
		t.Skip("a full embedded run")
	}
	lego := repoBin(t, "lego")
	out := t.TempDir()
	res := runBinary(t, 10*time.Minute, "run", "--out", out, "--seed", "7", "--verbose",
		"--profile", "atlas", "--lego", lego,
		"--label-filter", "client:lego || rfc8555:7.3.4 || policy:atlas")
	if res.code != exitOK && res.code != exitMustFail {
		t.Fatalf("exit code %d; stderr:\n%s", res.code, res.stderr)
	}
	passed(t, readReport(t, out), "client-eab", "eab-accepted")
	assertNoSecrets(t, runOutputs(t, res, out))
}

// TestExternalRunLeaksNoEABKey runs the server suite against a mock CA
// that requires EAB, with a MAC key the test knows, and searches every
// output for that key in any encoding, for the credential's secret and
// for private keys. The management API's credential listing must not
// show them either.
func TestExternalRunLeaksNoEABKey(t *testing.T) {
	if testing.Short() {
		t.Skip("a full server-suite run")
	}
	dnsPort, httpPort := portstest.Loopback(t), portstest.Loopback(t)
	ca := startEABCA(t, dnsPort, httpPort)
	cred, err := ca.NewCredential("secrets-test")
	if err != nil {
		t.Fatal(err)
	}
	mac, err := ca.IssueMACKey(cred.ID, cred.Secret)
	if err != nil {
		t.Fatal(err)
	}
	key, err := base64.RawURLEncoding.DecodeString(mac.HMACKey)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	root := filepath.Join(dir, "tls-root.pem")
	if err := os.WriteFile(root, ca.TLSRootPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	res := runBinary(t, 5*time.Minute, "run", "--suite", "server", "--verbose",
		"--directory", ca.DirectoryURL(), "--ca-cert", root, "--seed", "7",
		"--eab-kid", mac.KID, "--eab-hmac", mac.HMACKey, "--out", out,
		"--http01-addr", fmt.Sprintf("127.0.0.1:%d", httpPort),
		"--dns-addr", fmt.Sprintf("127.0.0.1:%d", dnsPort))
	if res.code != exitOK && res.code != exitMustFail {
		t.Fatalf("exit code %d; stderr:\n%s", res.code, res.stderr)
	}
	passed(t, readReport(t, out), "eab-accepted")
	outputs := runOutputs(t, res, out)
	outputs["GET /credentials"] = getManagement(t, ca.ManagementURL()+"/credentials")
	outputs["GET /credentials/{id}"] = getManagement(t, ca.ManagementURL()+"/credentials/"+cred.ID)
	assertNoSecrets(t, outputs, append(encodings(key), cred.Secret)...)
}

// startEABCA starts a mock CA with the atlas profile (EAB required) that
// resolves through dnsPort and validates http-01 on httpPort.
func startEABCA(t *testing.T, dnsPort, httpPort int) *mockca.Server {
	t.Helper()
	prof := mockcatest.Profile(t, "atlas")
	if !prof.EABRequired {
		t.Fatal("the atlas profile no longer requires EAB")
	}
	return mockcatest.Start(t, mockca.Config{Profile: prof, Seed: 7, HTTP01Port: httpPort,
		DNSServer: fmt.Sprintf("127.0.0.1:%d", dnsPort)})
}

func getManagement(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: HTTP %d %v", url, resp.StatusCode, err)
	}
	return string(b)
}

// TestPrivateMaterialDetector checks the search finds real private keys,
// so the leak tests can fail.
func TestPrivateMaterialDetector(t *testing.T) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(k)
	jwk, _ := jose.JSONWebKey{Key: k}.MarshalJSON()
	pub, _ := jose.JSONWebKey{Key: k.Public()}.MarshalJSON()
	sym, _ := jose.JSONWebKey{Key: []byte("0123456789abcdef0123")}.MarshalJSON()
	tests := []struct {
		name, text string
		found      bool
	}{
		{"PEM", string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), true},
		{"private JWK", string(jwk), true},
		{"symmetric JWK", string(sym), true},
		{"public JWK", string(pub), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := privateMaterial.MatchString(tc.text); got != tc.found {
				t.Fatalf("match %v, want %v in %s", got, tc.found, tc.text)
			}
		})
	}
}

// passed fails unless every requirement id has verdict pass in rep, so a
// search of the outputs covers a run that used the secrets.
func passed(t *testing.T, rep *reports.Report, ids ...string) {
	t.Helper()
	got := map[string]reports.Verdict{}
	for _, r := range rep.Requirements {
		got[r.ID] = r.Verdict
	}
	for _, id := range ids {
		if got[id] != reports.VerdictPass {
			t.Errorf("requirement %s: verdict %q, want pass", id, got[id])
		}
	}
}

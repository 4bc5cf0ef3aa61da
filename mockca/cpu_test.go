package mockca

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"acmeconform/internal/ports/portstest"

	"crypto/x509"
	"encoding/pem"
)

// cpuCerts enables TestCPUComparedWithPebble: the number of certificates
// to issue from each CA.
var cpuCerts = flag.Int("pebble-compare", 0, "compare CPU per certificate with Pebble over N certificates")

// serveBinary, when set, measures mockca as a separate process run by
// "acmeconform serve" instead of estimating it in this process.
var serveBinary = flag.String("serve-binary", "", "acmeconform binary for the CPU comparison")

// pebbleKey is Pebble's keyAlgorithm for its CA keys; its default is rsa.
var pebbleKey = flag.String("pebble-key", "rsa", "Pebble keyAlgorithm: rsa (its default) or ecdsa")

// pebbleBinary is the pinned Pebble built into the repository's bin folder.
const pebbleBinary = "../bin/pebble"

// TestCPUComparedWithPebble issues the same certificates from Pebble (a
// separate process, CPU read from /proc) and from mockca (in this process),
// with validation always succeeding in both. mockca's CPU is this process's
// CPU in its run minus this process's CPU in the Pebble run (the client's
// share). It reports figures; it asserts nothing about speed.
func TestCPUComparedWithPebble(t *testing.T) {
	if *cpuCerts <= 0 {
		t.Skip("run with -pebble-compare=N to measure")
	}
	if _, err := os.Stat(pebbleBinary); err != nil {
		t.Skip("pebble binary not built")
	}
	pebbleDir, readPebbleCPU, stop := startPebble(t)
	pebbleStart, clientCPU := readPebbleCPU(), selfCPU()
	issueMany(t, pebbleDir.url, pebbleDir.root, *cpuCerts)
	clientCPU = selfCPU() - clientCPU
	pebbleCPU := readPebbleCPU() - pebbleStart
	stop()

	var mockCPU time.Duration
	if *serveBinary != "" {
		ep, readCPU := startServe(t)
		start, self := readCPU(), selfCPU()
		issueMany(t, ep.url, ep.root, *cpuCerts)
		mockCPU, clientCPU = readCPU()-start, selfCPU()-self
	} else {
		e := startEnv(t, func(c *Config) { c.Knobs.AlwaysValid = true })
		before := selfCPU()
		issueMany(t, e.ca.DirectoryURL(), e.ca.TLSRootPEM(), *cpuCerts)
		mockCPU = selfCPU() - before - clientCPU
	}
	n := time.Duration(*cpuCerts)
	t.Logf("certificates: %d; Pebble (%s CA keys) %s/cert; mockca %s/cert; client %s/cert",
		*cpuCerts, *pebbleKey, pebbleCPU/n, mockCPU/n, clientCPU/n)
}

// issueMany issues n single-name certificates through one account.
func issueMany(t *testing.T, dirURL string, root []byte, n int) {
	rc := newRawClientFor(t, dirURL, root)
	rc.register()
	for i := range n {
		rc.issue(nil, fmt.Sprintf("cpu-%d.example.com", i))
	}
}

// selfCPU returns the user plus system CPU time of this process.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// pebbleEndpoint is a running Pebble's directory and TLS root.
type pebbleEndpoint struct {
	url  string
	root []byte
}

// startPebble runs Pebble with always-valid validation, no nonce rejection
// and no authorization reuse, and returns a reader of its CPU time.
func startPebble(t *testing.T) (pebbleEndpoint, func() time.Duration, func()) {
	t.Helper()
	dir := t.TempDir()
	tc, rootPEM, err := newTLSCert(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalPKCS8PrivateKey(tc.PrivateKey)
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	certFile := write("cert.pem", pemCert(tc.Certificate[0]))
	keyFile := write("key.pem", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}))
	port, mport := portstest.Loopback(t), portstest.Loopback(t)
	cfg, _ := json.Marshal(map[string]any{"pebble": map[string]any{
		"listenAddress": "127.0.0.1:" + strconv.Itoa(port), "certificate": certFile,
		"managementListenAddress": "127.0.0.1:" + strconv.Itoa(mport), "privateKey": keyFile,
		"httpPort": 5002, "tlsPort": 5001, "keyAlgorithm": *pebbleKey}})
	cmd := exec.Command(pebbleBinary, "-config", write("pebble.json", cfg),
		"-dnsserver", "127.0.0.1:1")
	cmd.Env = append(os.Environ(), "PEBBLE_VA_ALWAYS_VALID=1", "PEBBLE_VA_NOSLEEP=1",
		"PEBBLE_WFE_NONCEREJECT=0", "PEBBLE_AUTHZREUSE=0")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stop := func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }
	t.Cleanup(stop)
	url := fmt.Sprintf("https://127.0.0.1:%d/dir", port)
	waitListening(t, fmt.Sprintf("127.0.0.1:%d", port))
	return pebbleEndpoint{url: url, root: rootPEM}, func() time.Duration {
		return procCPU(t, cmd.Process.Pid)
	}, stop
}

// procCPU reads utime+stime of a process from /proc (clock ticks of 10 ms).
func procCPU(t *testing.T, pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	fields := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	ut, _ := strconv.Atoi(fields[11])
	st, _ := strconv.Atoi(fields[12])
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// waitListening polls until addr accepts TCP connections.
func waitListening(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := dialTCP(addr); err == nil {
			c.Close()
			return
		}
		time.Sleep(20 * time.Millisecond) // polling interval
	}
	t.Fatalf("%s never listened", addr)
}

// startServe runs "acmeconform serve" with validation always succeeding
// and returns its endpoint and a reader of its CPU time.
func startServe(t *testing.T) (pebbleEndpoint, func() time.Duration) {
	t.Helper()
	dir := t.TempDir()
	port, mport := portstest.Loopback(t), portstest.Loopback(t)
	mgmtAddr := "127.0.0.1:" + strconv.Itoa(mport)
	cmd := exec.Command(*serveBinary, "serve", "--listen", "127.0.0.1:"+strconv.Itoa(port),
		"--management", mgmtAddr, "--dns", "127.0.0.1:"+strconv.Itoa(portstest.Loopback(t)),
		"--dns-api", "127.0.0.1:"+strconv.Itoa(portstest.Loopback(t)), "--state-dir", dir,
		"--profile", "letsencrypt")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	waitListening(t, mgmtAddr)
	resp, err := http.Post("http://"+mgmtAddr+"/knobs", "application/json",
		strings.NewReader(`{"alwaysValid":true}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	root, err := os.ReadFile(filepath.Join(dir, "tls-root.pem"))
	if err != nil {
		t.Fatal(err)
	}
	url := fmt.Sprintf("https://127.0.0.1:%d/directory", port)
	return pebbleEndpoint{url: url, root: root}, func() time.Duration {
		return procCPU(t, cmd.Process.Pid)
	}
}

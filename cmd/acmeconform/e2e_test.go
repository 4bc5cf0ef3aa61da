package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"acmeconform/internal/loopbacktls"
	"acmeconform/internal/ports/portstest"
	"acmeconform/reports"
)

// binary is the acmeconform executable built once for the end-to-end tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "acmeconform-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "acmeconform")
	out, err := exec.Command("go", "build", "-race", "-o", binary, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build acmeconform: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// repoBin returns the path of a tool built by `make tools`, skipping the test
// when it is absent.
func repoBin(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", "bin", name))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s not built (run make tools): %v", name, err)
	}
	return p
}

// runResult is one invocation of the binary.
type runResult struct {
	code           int
	stdout, stderr string
	elapsed        time.Duration
}

func runBinary(t *testing.T, timeout time.Duration, args ...string) runResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = append(os.Environ(), "TESTCONTAINERS_RYUK_DISABLED=true")
	start := time.Now()
	err := cmd.Run()
	res := runResult{stdout: stdout.String(), stderr: stderr.String(), elapsed: time.Since(start)}
	if ee, ok := err.(*exec.ExitError); ok {
		res.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return res
}

func readReport(t *testing.T, dir string) *reports.Report {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := reports.ReadJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// writeLoopbackTLS writes tls.pem and tls.key for a server's HTTPS listener
// into dir and returns the PEM file that trusts it.
func writeLoopbackTLS(t *testing.T, dir string) string {
	t.Helper()
	f, err := loopbacktls.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	return f.CertFile
}

func TestRunUnreachableDirectoryFailsFast(t *testing.T) {
	res := runBinary(t, time.Minute, "run", "--directory", "http://127.0.0.1:1/dir", "--out", t.TempDir())
	if res.code != exitInfra {
		t.Fatalf("exit code %d, want %d; stderr:\n%s", res.code, exitInfra, res.stderr)
	}
	if res.elapsed > 10*time.Second {
		t.Errorf("took %s to report an unreachable directory", res.elapsed)
	}
	lines := strings.Split(strings.TrimSpace(res.stderr), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], "http://127.0.0.1:1/dir") {
		t.Errorf("want one line naming the URL, got:\n%s", res.stderr)
	}
}

func TestRunUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"unknown flag", []string{"run", "--no-such-flag"}},
		{"bad shard", []string{"run", "--shard", "4/3"}},
		{"bad label filter", []string{"run", "--label-filter", "level:MUST &&"}},
		{"bad suite", []string{"run", "--suite", "nope"}},
		{"bad challenge type", []string{"run", "--challenges", "carrier-pigeon-01"}},
		{"none with a type", []string{"run", "--challenges", "none,dns-01"}},
		{"bad validated name", []string{"run", "--directory", "https://127.0.0.1:1/dir",
			"--validated-names", "a.test,,b.test"}},
		{"validated names, embedded", []string{"run", "--validated-names", "a.test"}},
		{"procs with shard", []string{"run", "--procs", "2", "--shard", "1/2"}},
		{"both suites on one http-01 port", []string{"run", "--suite", "server,clients",
			"--directory", "https://127.0.0.1:1/dir"}},
		{"unknown command", []string{"frobnicate"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := runBinary(t, time.Minute, tc.args...)
			if res.code != exitUsage {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", res.code, exitUsage, res.stderr)
			}
		})
	}
}

// pebbleServer is a Pebble started for a test, resolving through the DNS
// address and validating http-01 on the port it was given.
type pebbleServer struct {
	dir, tlsRoot, directory string
	httpPort, dnsPort       int
	log                     *syncBuffer
}

func startPebble(t *testing.T) *pebbleServer {
	t.Helper()
	return startPebbleWith(t, pebbleOptions{})
}

// pebbleOptions are the settings of startPebbleWith beyond the defaults.
type pebbleOptions struct {
	// eabKID and eabHMAC (base64url) make Pebble require external account
	// binding with this one MAC key; empty runs it without EAB.
	eabKID, eabHMAC string
	// retryAfter is the Retry-After, in seconds, of pending authorizations
	// and processing orders; 0 keeps Pebble's.
	retryAfter int
}

func startPebbleWith(t *testing.T, opt pebbleOptions) *pebbleServer {
	t.Helper()
	bin := repoBin(t, "pebble")
	dir := t.TempDir()
	// Clients listen on the http-01 port and (Caddy) the two above it.
	httpPort := portstest.Block(t, 3)
	p := &pebbleServer{dir: dir, tlsRoot: writeLoopbackTLS(t, dir), httpPort: httpPort,
		dnsPort: portstest.Loopback(t), log: &syncBuffer{}}
	acmePort := portstest.Loopback(t)
	p.directory = fmt.Sprintf("https://127.0.0.1:%d/dir", acmePort)
	extra := `"externalAccountBindingRequired": false`
	if opt.eabKID != "" {
		extra = fmt.Sprintf(`"externalAccountBindingRequired": true, `+
			`"externalAccountMACKeys": {%q: %q}`, opt.eabKID, opt.eabHMAC)
	}
	if opt.retryAfter > 0 {
		extra += fmt.Sprintf(`, "retryAfter": {"authz": %d, "order": %d}`,
			opt.retryAfter, opt.retryAfter)
	}
	cfg := fmt.Sprintf(`{"pebble": {"listenAddress": "127.0.0.1:%d", "managementListenAddress": "",
		"certificate": %q, "privateKey": %q, "httpPort": %d, "tlsPort": %d,
		"ocspResponderURL": "", %s}}`,
		acmePort, filepath.Join(dir, "tls.pem"), filepath.Join(dir, "tls.key"), p.httpPort,
		portstest.Loopback(t), extra)
	cfgFile := filepath.Join(dir, "pebble.json")
	if err := os.WriteFile(cfgFile, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-config", cfgFile, "-dnsserver", fmt.Sprintf("127.0.0.1:%d", p.dnsPort))
	cmd.Env = append(os.Environ(), "PEBBLE_VA_NOSLEEP=1", "PEBBLE_WFE_NONCEREJECT=0")
	cmd.Stdout, cmd.Stderr = p.log, p.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	waitListening(t, fmt.Sprintf("127.0.0.1:%d", acmePort))
	return p
}

func TestRunAgainstPebble(t *testing.T) {
	p := startPebble(t)
	out := filepath.Join(p.dir, "out")
	res := runBinary(t, 5*time.Minute, "run", "--suite", "server",
		"--directory", p.directory, "--ca-cert", p.tlsRoot,
		"--http01-addr", fmt.Sprintf("127.0.0.1:%d", p.httpPort),
		"--dns-addr", fmt.Sprintf("127.0.0.1:%d", p.dnsPort), "--out", out, "--seed", "7")
	if res.code != exitOK && res.code != exitMustFail {
		t.Fatalf("exit code %d; stdout:\n%s\nstderr:\n%s\npebble:\n%s", res.code, res.stdout, res.stderr, p.log)
	}
	rep := readReport(t, out)
	counts := map[reports.Verdict]int{}
	for _, r := range rep.Requirements {
		counts[r.Verdict]++
	}
	if counts[reports.VerdictPass] == 0 {
		t.Errorf("no requirement passed against Pebble: %v\n%s", counts, res.stdout)
	}
	if rep.Seed != 7 || len(rep.Targets) != 1 || rep.Targets[0].Mode != "external" {
		t.Errorf("report metadata: seed %d targets %+v", rep.Seed, rep.Targets)
	}
	for _, f := range []string{"junit.xml", "summary.md", "report.html"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	t.Logf("verdicts against Pebble: %v", counts)
}

// A server that validates http-01 on another port than the responder's
// fails many specs; the run must blame the setup (exit 3, naming the
// address), not the server.
func TestRunBlamesSetupWhenTheServerCannotReachUs(t *testing.T) {
	p := startPebble(t)
	wrong := fmt.Sprintf("127.0.0.1:%d", portstest.Loopback(t))
	out := filepath.Join(p.dir, "out")
	res := runBinary(t, 5*time.Minute, "run", "--suite", "server", "--quiet",
		"--directory", p.directory, "--ca-cert", p.tlsRoot, "--http01-addr", wrong,
		"--dns-addr", fmt.Sprintf("127.0.0.1:%d", p.dnsPort), "--out", out)
	if res.code != exitInfra {
		t.Fatalf("exit code %d, want %d; stderr:\n%s", res.code, exitInfra, res.stderr)
	}
	if !strings.Contains(res.stderr, "never reached the http-01 responder on "+wrong) {
		t.Errorf("stderr does not name the responder address:\n%s", res.stderr)
	}
	if rep := readReport(t, out); rep.InfraError == "" {
		t.Error("the report does not record the infrastructure error")
	}
}

func waitListening(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s never listened", addr)
}

package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"acmeconform/dnsmock"
	"acmeconform/dnsmock/dnsmocktest"
	"acmeconform/internal/ports/portstest"
	"acmeconform/mockca"
	"acmeconform/mockca/mockcatest"
)

// legoForEAB is the pinned lego binary of the repository.
const legoForEAB = "../../bin/lego"

// eabStack is a mock CA (atlas, one binding per MAC key) with the mock DNS
// server, for real clients on loopback.
type eabStack struct {
	ca   *mockca.Server
	port int // http-01
	root string
}

func startEABStack(t *testing.T) *eabStack {
	t.Helper()
	dns := dnsmocktest.Start(t, dnsmock.Config{Addr: "127.0.0.1:0", APIAddr: "127.0.0.1:0",
		DefaultIPv4: "127.0.0.1"})
	prof := mockcatest.Profile(t, "atlas")
	prof.MACKeyMaxBindings = 1
	st := &eabStack{port: portstest.Loopback(t), root: filepath.Join(t.TempDir(), "root.pem")}
	st.ca = mockcatest.Start(t, mockca.Config{Profile: prof, DNSServer: dns.Addr(),
		HTTP01Port: st.port})
	if err := os.WriteFile(st.root, st.ca.TLSRootPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	return st
}

// mintWithCLI mints a MAC key with `acmeconform credentials new --mac`.
func (st *eabStack) mintWithCLI(t *testing.T) mockca.MACKey {
	t.Helper()
	code, out, stderr := runCLI(t, "credentials", "new", "--mac", "--json",
		"--management-url", st.ca.ManagementURL())
	var minted struct{ MACKey mockca.MACKey }
	if code != exitOK || json.Unmarshal([]byte(out), &minted) != nil {
		t.Fatalf("credentials new --mac: exit %d %s %s", code, out, stderr)
	}
	return minted.MACKey
}

// TestLegoWithMintedMACKey registers the real lego client with a MAC key
// minted by `acmeconform credentials`, and checks that lego shows the CA's
// detail to its user when the key is used up.
func TestLegoWithMintedMACKey(t *testing.T) {
	if _, err := os.Stat(legoForEAB); err != nil || testing.Short() {
		t.Skip("lego binary not built (make tools)")
	}
	st := startEABStack(t)
	mk := st.mintWithCLI(t)
	ca, port, root := st.ca, st.port, st.root
	dir := t.TempDir()
	lego := func(path, domain string) (string, error) {
		cmd := exec.Command(legoForEAB, "--server", ca.DirectoryURL(), "--accept-tos",
			"--email", "ops@example.com", "--path", filepath.Join(dir, path),
			"--eab", "--kid", mk.KID, "--hmac", mk.HMACKey,
			"--domains", domain, "--http", "--http.port", "127.0.0.1:"+strconv.Itoa(port),
			"--key-type", "ec256", "run")
		cmd.Env = append(os.Environ(), "LEGO_CA_CERTIFICATES="+root)
		b, err := cmd.CombinedOutput()
		return string(b), err
	}
	if out, err := lego("first", "eab.example.com"); err != nil {
		t.Fatalf("lego with a fresh MAC key: %v\n%s", err, out)
	}
	out, err := lego("second", "eab2.example.com")
	if err == nil || !strings.Contains(out, "used for all its account bindings") {
		t.Fatalf("lego with a used-up key: err %v; its output does not show the CA's detail:\n%s",
			err, out)
	}
}

// TestCertbotWithMintedMACKey registers certbot with a minted MAC key (in
// its padded form) and checks that certbot shows the CA's detail when the
// key is used up.
func TestCertbotWithMintedMACKey(t *testing.T) {
	if _, err := exec.LookPath("certbot"); err != nil || testing.Short() {
		t.Skip("certbot is not installed")
	}
	st := startEABStack(t)
	mk := st.mintWithCLI(t)
	certbot := func(dir string) (string, error) {
		base := t.TempDir()
		cmd := exec.Command("certbot", "register", "--non-interactive", "--agree-tos",
			"--register-unsafely-without-email", "--server", st.ca.DirectoryURL(),
			"--eab-kid", mk.KID, "--eab-hmac-key", mk.HMACKeyPadded,
			"--config-dir", filepath.Join(base, dir), "--work-dir", base, "--logs-dir", base)
		cmd.Env = append(os.Environ(), "REQUESTS_CA_BUNDLE="+st.root)
		b, err := cmd.CombinedOutput()
		return string(b), err
	}
	if out, err := certbot("first"); err != nil {
		t.Fatalf("certbot register with a fresh MAC key: %v\n%s", err, out)
	}
	out, err := certbot("second")
	if err == nil || !strings.Contains(out, "used for all its account bindings") {
		t.Fatalf("certbot with a used-up key: err %v; output lacks the CA's detail:\n%s",
			err, out)
	}
}

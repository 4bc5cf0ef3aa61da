package main

import (
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"acmeconform/dnsmock"
	"acmeconform/mockca"
)

// legoForEAB is the pinned lego binary of the repository.
const legoForEAB = "../../bin/lego"

// TestLegoWithMintedMACKey registers the real lego client with a MAC key
// minted by `acmeconform credentials`, and checks that lego shows the CA's
// detail to its user when the key is used up.
func TestLegoWithMintedMACKey(t *testing.T) {
	if _, err := os.Stat(legoForEAB); err != nil || testing.Short() {
		t.Skip("lego binary not built (make tools)")
	}
	dns, err := dnsmock.New(dnsmock.Config{Addr: "127.0.0.1:0", APIAddr: "127.0.0.1:0",
		DefaultIPv4: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := dns.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dns.Close() })
	prof, err := mockca.LoadProfile("atlas")
	if err != nil {
		t.Fatal(err)
	}
	prof.MACKeyMaxBindings = 1
	port := freeTCPPort(t)
	ca, err := mockca.New(mockca.Config{Profile: prof, DNSServer: dns.Addr(), HTTP01Port: port})
	if err != nil {
		t.Fatal(err)
	}
	if err := ca.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ca.Close() })

	code, out, stderr := runCLI(t, "credentials", "new", "--mac", "--json",
		"--management-url", ca.ManagementURL())
	var minted struct{ MACKey mockca.MACKey }
	if code != exitOK || json.Unmarshal([]byte(out), &minted) != nil {
		t.Fatalf("credentials new --mac: exit %d %s %s", code, out, stderr)
	}
	dir := t.TempDir()
	root := filepath.Join(dir, "root.pem")
	if err := os.WriteFile(root, ca.TLSRootPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	lego := func(path, domain string) (string, error) {
		cmd := exec.Command(legoForEAB, "--server", ca.DirectoryURL(), "--accept-tos",
			"--email", "ops@example.com", "--path", filepath.Join(dir, path),
			"--eab", "--kid", minted.MACKey.KID, "--hmac", minted.MACKey.HMACKey,
			"--domains", domain, "--http", "--http.port", "127.0.0.1:"+strconv.Itoa(port),
			"--key-type", "ec256", "run")
		cmd.Env = append(os.Environ(), "LEGO_CA_CERTIFICATES="+root)
		b, err := cmd.CombinedOutput()
		return string(b), err
	}
	if out, err := lego("first", "eab.example.com"); err != nil {
		t.Fatalf("lego with a fresh MAC key: %v\n%s", err, out)
	}
	out, err = lego("second", "eab2.example.com")
	if err == nil || !strings.Contains(out, "used for all its account bindings") {
		t.Fatalf("lego with a used-up key: err %v; its output does not show the CA's detail:\n%s",
			err, out)
	}
}

// freeTCPPort returns a loopback port that was free a moment ago.
func freeTCPPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

package mockca

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"acmeconform/internal/ports/portstest"
)

// TestLegoCopesWithQuirks runs the real lego client against the mock CA
// once per quirk: every quirk is legal, so a robust client still gets its
// certificate. It is the lego column of the robustness matrix.
func TestLegoCopesWithQuirks(t *testing.T) {
	if _, err := os.Stat(legoBinary); err != nil || testing.Short() {
		t.Skip("lego binary not built (make tools)")
	}
	for _, q := range Quirks() {
		t.Run(string(q.Name), func(t *testing.T) {
			port := portstest.Loopback(t)
			e := startEnv(t, func(c *Config) { c.HTTP01Port, c.Quirks = port, []Quirk{q.Name} })
			dir := t.TempDir()
			root := filepath.Join(dir, "tls-root.pem")
			if err := os.WriteFile(root, e.ca.TLSRootPEM(), 0o600); err != nil {
				t.Fatal(err)
			}
			const domain = "quirk.example.com"
			cmd := exec.Command(legoBinary, "--server", e.ca.DirectoryURL(), "--accept-tos",
				"--email", "ops@example.com", "--path", dir, "--domains", domain, "--http",
				"--http.port", "127.0.0.1:"+strconv.Itoa(port), "run")
			cmd.Env = append(os.Environ(), "LEGO_CA_CERTIFICATES="+root)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("lego with %s (%s): %v\n%s", q.Name, q.Allowed, err, out)
			}
			legoLeaf(t, e, filepath.Join(dir, "certificates", domain+".crt"))
		})
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"acmeconform/mockca"
	"acmeconform/mockca/mockcatest"
)

// runCLI runs the command line with args and returns the exit code and
// the two outputs.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := &cliEnv{stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
	code := dispatch(context.Background(), env, args)
	return code, out.String(), errOut.String()
}

func TestCredentialsCommands(t *testing.T) {
	ca := mockcatest.Start(t, mockca.Config{Profile: mockcatest.Profile(t, "atlas")})
	mg := "--management-url=" + ca.ManagementURL()

	code, out, stderr := runCLI(t, "credentials", "new", "--mac", "--json", "--label", "ci", mg)
	var created struct {
		Credential mockca.Credential
		MACKey     mockca.MACKey
	}
	if code != exitOK || json.Unmarshal([]byte(out), &created) != nil ||
		created.Credential.Secret == "" || created.MACKey.KID == "" {
		t.Fatalf("new --mac: exit %d, %s %s", code, out, stderr)
	}
	id := "--id=" + created.Credential.ID
	code, out, _ = runCLI(t, "credentials", "mac", id, "--secret="+created.Credential.Secret, mg)
	if code != exitOK || !strings.Contains(out, "--eab --kid kid-") {
		t.Fatalf("mac: exit %d, %s", code, out)
	}
	code, out, _ = runCLI(t, "credentials", "show", id, "--json", mg)
	var card mockca.CredentialCard
	if code != exitOK || json.Unmarshal([]byte(out), &card) != nil || card.MACKey == nil ||
		card.MACKey.KID == created.MACKey.KID || card.MACKey.RemainingUses != 1000 {
		t.Fatalf("show after a second key: exit %d, %s", code, out)
	}
	code, out, _ = runCLI(t, "credentials", "list", mg)
	if code != exitOK || !strings.Contains(out, created.Credential.ID) ||
		strings.Contains(out, created.Credential.Secret) {
		t.Fatalf("list: exit %d, %s", code, out)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"wrong secret", []string{"mac", id, "--secret=nope", mg}, exitUsage, "does not match"},
		{"unknown credential", []string{"show", "--id=cred-none", mg}, exitUsage,
			"no such API credential"},
		{"missing id", []string{"show", mg}, exitUsage, "--id is required"},
		{"unknown action", []string{"rotate"}, exitUsage, "unknown action"},
		{"no server", []string{"list", "--management-url=http://127.0.0.1:1"}, exitInfra,
			"serve"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, append([]string{"credentials"}, tt.args...)...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.want)
			}
		})
	}
}

func TestProfilesCommand(t *testing.T) {
	code, out, _ := runCLI(t, "profiles", "--at", "2029-03-15")
	if code != exitOK || !strings.Contains(out, "atlas") || !strings.Contains(out, "47d") ||
		!strings.Contains(out, "letsencrypt") {
		t.Fatalf("profiles: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "profiles", "--show", "cabf")
	if code != exitOK || !strings.Contains(out, "2029-03-15") {
		t.Fatalf("--show cabf: exit %d\n%s", code, out)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	src := strings.Replace(out, "validity: 398d", "validity: 398", 1)
	if err := os.WriteFile(bad, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "profiles", "--check", bad)
	if code != exitUsage || !strings.Contains(stderr, "certificate.validity") ||
		!strings.Contains(stderr, "bad.yaml:") {
		t.Fatalf("--check bad file: exit %d, %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "serve", "--profile", "nonesuch"); code != exitUsage ||
		!strings.Contains(stderr, "nonesuch") {
		t.Fatalf("serve --profile nonesuch: exit %d, %s", code, stderr)
	}
}

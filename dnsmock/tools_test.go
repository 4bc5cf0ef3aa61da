package dnsmock_test

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"acmeconform/dnsmock"
)

// These tests drive the server with dig and nsupdate from Debian's
// bind9-dnsutils package.

const (
	tsigName     = "acme-key."
	tsigSecret   = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMw=="
	tsig512Name  = "acme-key-512."
	tsig512Value = "YW5vdGhlci1zZWNyZXQtZm9yLXNoYTUxMi1rZXlzLTQ1Ng=="
)

func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s not installed (Debian package bind9-dnsutils)", name)
	}
	return p
}

func run(t *testing.T, stdin string, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func dig(t *testing.T, s *dnsmock.Server, tcp bool, args ...string) []string {
	t.Helper()
	host, port, _ := net.SplitHostPort(s.Addr())
	base := []string{"@" + host, "-p", port, "+short", "+tries=1", "+time=3"}
	if tcp {
		base = append(base, "+tcp")
	}
	out, err := run(t, "", needTool(t, "dig"), append(base, args...)...)
	if err != nil {
		t.Fatalf("dig %v: %v\n%s", args, err, out)
	}
	var lines []string
	for l := range strings.Lines(strings.TrimSpace(out)) {
		lines = append(lines, strings.TrimSpace(l))
	}
	slices.Sort(lines)
	return lines
}

func TestDig(t *testing.T) {
	s := startServer(t, dnsmock.Config{DefaultIPv4: "127.0.0.1"})
	must(t, s.AddTXT(bg(), "_acme-challenge.dig.test", "value-1"))
	must(t, s.AddTXT(bg(), "_acme-challenge.dig.test", "value-2"))
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"TXT set", []string{"TXT", "_acme-challenge.dig.test"},
			[]string{`"value-1"`, `"value-2"`}},
		{"default A", []string{"A", "host.dig.test"}, []string{"127.0.0.1"}},
		{"NS", []string{"NS", "dig.test"}, []string{"ns1.dig.test."}},
	}
	for _, tcp := range []bool{false, true} {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s/tcp=%v", tt.name, tcp), func(t *testing.T) {
				if got := dig(t, s, tcp, tt.args...); !slices.Equal(got, tt.want) {
					t.Errorf("got %q, want %q", got, tt.want)
				}
			})
		}
	}
}

func nsupdate(t *testing.T, s *dnsmock.Server, tcp bool, key, script string) (string, error) {
	t.Helper()
	host, port, _ := net.SplitHostPort(s.Addr())
	args := []string{}
	if tcp {
		args = append(args, "-v")
	}
	if key != "" {
		args = append(args, "-y", key)
	}
	full := fmt.Sprintf("server %s %s\n%s\nsend\n", host, port, script)
	return run(t, full, needTool(t, "nsupdate"), args...)
}

func TestNsupdate(t *testing.T) {
	s := startServer(t, dnsmock.Config{
		TSIGKeys: map[string]string{tsigName: "hmac-sha256:" + tsigSecret,
			tsig512Name: tsig512Value},
	})
	tests := []struct {
		name    string
		key     string
		wantOK  bool
		wantOut string
	}{
		{"hmac-sha256", "hmac-sha256:acme-key:" + tsigSecret, true, ""},
		{"hmac-sha512", "hmac-sha512:acme-key-512:" + tsig512Value, true, ""},
		{"no key", "", false, "REFUSED"},
		{"unknown key", "hmac-sha256:other-key:" + tsigSecret, false, ""},
		{"wrong secret", "hmac-sha256:acme-key:" + tsig512Value, false, ""},
		{"wrong algorithm", "hmac-sha512:acme-key:" + tsigSecret, false, ""},
	}
	for _, tcp := range []bool{false, true} {
		for i, tt := range tests {
			t.Run(fmt.Sprintf("%s/tcp=%v", tt.name, tcp), func(t *testing.T) {
				name := fmt.Sprintf("_acme-challenge.u%d-%v.nsupdate.test", i, tcp)
				out, err := nsupdate(t, s, tcp, tt.key,
					"update add "+name+" 60 TXT \"token\"")
				if (err == nil) != tt.wantOK || !strings.Contains(out, tt.wantOut) {
					t.Fatalf("nsupdate err=%v, want ok=%v; output:\n%s", err, tt.wantOK, out)
				}
				got := dig(t, s, tcp, "TXT", name)
				if tt.wantOK != slices.Equal(got, []string{`"token"`}) {
					t.Errorf("after update TXT = %q, want published: %v", got, tt.wantOK)
				}
			})
		}
	}
}

func TestNsupdateDeleteAndPrerequisite(t *testing.T) {
	s := startServer(t, dnsmock.Config{TSIGKeys: map[string]string{tsigName: tsigSecret}})
	key := "hmac-sha256:acme-key:" + tsigSecret
	name := "_acme-challenge.del.nsupdate.test"
	must(t, s.AddTXT(bg(), name, "a"))
	must(t, s.AddTXT(bg(), name, "b"))

	out, err := nsupdate(t, s, false, key, "update delete "+name+" TXT \"a\"")
	if err != nil {
		t.Fatalf("delete one value: %v\n%s", err, out)
	}
	if got := dig(t, s, false, "TXT", name); !slices.Equal(got, []string{`"b"`}) {
		t.Fatalf("after deleting one value: %q", got)
	}
	out, err = nsupdate(t, s, false, key, "prereq nxrrset "+name+" TXT\nupdate add "+name+
		" 60 TXT \"c\"")
	if err == nil || !strings.Contains(out, "YXRRSET") {
		t.Fatalf("prerequisite should fail with YXRRSET: %v\n%s", err, out)
	}
	out, err = nsupdate(t, s, false, key, "update delete "+name+" TXT")
	if err != nil {
		t.Fatalf("delete set: %v\n%s", err, out)
	}
	if got := dig(t, s, false, "TXT", name); len(got) != 0 {
		t.Fatalf("after deleting the set: %q", got)
	}
}

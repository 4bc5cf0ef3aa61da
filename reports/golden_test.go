package reports

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func TestGolden(t *testing.T) {
	tests := []struct {
		name  string
		file  string
		write func(io.Writer, *Report) error
	}{
		{"json", "report.json", WriteJSON},
		{"junit", "report.junit.xml", WriteJUnit},
		{"markdown", "report.md", WriteMarkdown},
		{"html", "report.html", WriteHTML},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var first, second bytes.Buffer
			if err := tt.write(&first, fixtureReport(t)); err != nil {
				t.Fatal(err)
			}
			if err := tt.write(&second, fixtureReport(t)); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first.Bytes(), second.Bytes()) {
				t.Fatal("two writes of the same report differ")
			}
			checkGolden(t, filepath.Join("testdata", tt.file), first.Bytes())
			checkRedacted(t, first.String())
		})
	}
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (run go test -update after checking):\n%s",
			path, firstDiff(string(want), string(got)))
	}
}

// checkRedacted fails when a secret of the fixture reached the output.
func checkRedacted(t *testing.T, out string) {
	t.Helper()
	for _, secret := range []string{fixtureMAC, "top-secret-token", "MHcCAQEEIB", "c3ltbWV0cmlj"} {
		if strings.Contains(out, secret) {
			t.Errorf("output holds the secret %q", secret)
		}
	}
}

// firstDiff shows the first line where want and got differ.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n  want: %s\n  got:  %s", i+1, w, g)
		}
	}
	return "(no line differs)"
}

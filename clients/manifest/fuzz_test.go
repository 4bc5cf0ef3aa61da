package manifest

import (
	"errors"
	"os"
	"testing"
)

// FuzzParse: a manifest, however broken, gives a manifest or *Error
// values, never a panic.
func FuzzParse(f *testing.F) {
	f.Add([]byte(valid))
	for _, p := range []string{"../../docs/examples/lego-manifest.yaml",
		"../../docs/examples/certbot-manifest.yaml"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("scenarios: {http-01: [[[[x]]]], renew: {obtain: *a}}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse(data, "fuzz.yaml")
		if err == nil {
			if m == nil || m.Name == "" {
				t.Fatalf("no error and no named manifest")
			}
			return
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("error %T is no *Error: %v", err, err)
		}
	})
}

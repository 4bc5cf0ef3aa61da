package mockca

import (
	"fmt"
	"testing"
)

// BenchmarkIssuance issues single-name certificates end to end over HTTPS
// with validation always succeeding; client and server share the process.
func BenchmarkIssuance(b *testing.B) {
	e := startEnv(b, func(c *Config) { c.Knobs.AlwaysValid = true })
	rc := newRawClientFor(b, e.ca.DirectoryURL(), e.ca.TLSRootPEM())
	rc.register()
	b.ResetTimer()
	for i := range b.N {
		rc.issue(nil, fmt.Sprintf("bench-%d.example.com", i))
	}
}

package mockca

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"runtime"
	"testing"

	"acmeconform/acme"
)

// BenchmarkRetainedCertificate issues certificates into the store and
// reports the heap each retained one costs (heap-B/cert): what a mock CA
// holding every certificate of a long run pays per issuance.
func BenchmarkRetainedCertificate(b *testing.B) {
	s, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	csr := &x509.CertificateRequest{PublicKey: &key.PublicKey}
	o := orderSnapshot{id: "o", accountID: "a",
		identifiers: []acme.Identifier{{Type: acme.IdentifierDNS, Value: "retained.bench.test"}}}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	n := 0
	for b.Loop() {
		leaf, err := s.issue(csr, o)
		if err != nil {
			b.Fatal(err)
		}
		c := newCertificate(newID(), o.accountID, o.id, leaf)
		s.store.certs[c.id], s.store.bySerial[c.serial] = c, c.id
		n++
	}
	b.StopTimer()
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(n), "heap-B/cert")
	runtime.KeepAlive(s)
}

package bench

import (
	"context"
	"testing"
	"time"

	"acmeconform/dnsmock"
)

// BenchmarkDNSMockQueries measures an in-process dnsmock with the same
// query loop the benchmark program uses, for profiling with -cpuprofile.
func BenchmarkDNSMockQueries(b *testing.B) {
	s, err := dnsmock.New(dnsmock.Config{DefaultIPv4: "127.0.0.1", Seed: 1})
	if err != nil || s.Start() != nil {
		b.Fatalf("dnsmock: %v", err)
	}
	defer s.Close()
	var total int64
	for b.Loop() {
		r := queryRate(context.Background(), "dnsmock", s.Addr(), 200*time.Millisecond)
		if r.Errors > 0 {
			b.Fatalf("%d failed queries", r.Errors)
		}
		total += r.Queries
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "queries/s")
}

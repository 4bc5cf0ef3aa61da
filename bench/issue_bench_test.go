package bench

import (
	"context"
	"crypto/x509"
	"fmt"
	"testing"

	"acmeconform/dnsmock"
	"acmeconform/dnsmock/dnsmocktest"
	"acmeconform/mockca"
	"acmeconform/mockca/mockcatest"
)

// inProcess starts the mock DNS server, an http-01 responder and the mock
// CA in this process, for profiling the CA with go test -cpuprofile.
func inProcess(b testing.TB) (*target, *dnsmock.Responder) {
	b.Helper()
	resp, err := dnsmock.NewResponder(dnsmock.ResponderConfig{})
	if err != nil || resp.Start() != nil {
		b.Fatalf("responder: %v", err)
	}
	b.Cleanup(func() { resp.Close() })
	dns := dnsmocktest.Start(b, dnsmock.Config{DefaultIPv4: "127.0.0.1", Seed: 1})
	_, port, err := splitPort(resp.Addr())
	if err != nil {
		b.Fatal(err)
	}
	ca := mockcatest.Start(b, mockca.Config{DNSServer: dns.Addr(), HTTP01Port: port, Seed: 1})
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca.TLSRootPEM())
	return &target{name: "mockca", dirURL: ca.DirectoryURL(), pool: pool}, resp
}

// BenchmarkIssuanceInProcess runs full issuance flows against an
// in-process mock CA from parallel workers, one account each.
func BenchmarkIssuanceInProcess(b *testing.B) {
	t, resp := inProcess(b)
	ctx := context.Background()
	tr := transport(t.pool, 64)
	ids := make(chan int, 1024)
	for i := range cap(ids) {
		ids <- i
	}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		id := <-ids
		w, err := newWorker(ctx, id, t, tr, Config{}.withDefaults().PollDelay, resp)
		if err != nil {
			b.Error(err)
			return
		}
		for seq := 0; pb.Next(); seq++ {
			if err := w.issue(ctx, fmt.Sprintf("w%d-%d.inproc.bench.test", id, seq)); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

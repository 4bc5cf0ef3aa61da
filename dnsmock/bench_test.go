package dnsmock_test

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/miekg/dns"

	"acmeconform/dnsmock"
)

var challtestsrv = flag.String("challtestsrv", "../bin/pebble-challtestsrv",
	"pebble-challtestsrv binary to compare against in BenchmarkCompareChallTestSrv")

// benchQueries asks TXT questions over UDP from parallel goroutines, each
// with its own socket, and reports queries per second.
func benchQueries(b *testing.B, addr string) float64 {
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		c := &dns.Client{Timeout: 2 * time.Second}
		conn, err := c.Dial(addr)
		if err != nil {
			b.Error(err)
			return
		}
		defer conn.Close()
		m := new(dns.Msg).SetQuestion("_acme-challenge.bench.test.", dns.TypeTXT)
		for pb.Next() {
			r, _, err := c.ExchangeWithConn(m, conn)
			if err != nil || len(r.Answer) != 2 {
				b.Errorf("exchange: %v", err)
				return
			}
		}
	})
	qps := float64(b.N) / b.Elapsed().Seconds()
	b.ReportMetric(qps, "queries/s")
	return qps
}

func BenchmarkQueryUDP(b *testing.B) {
	s := startServer(b, dnsmock.Config{})
	must(b, s.AddTXT(bg(), "_acme-challenge.bench.test", "one"))
	must(b, s.AddTXT(bg(), "_acme-challenge.bench.test", "two"))
	benchQueries(b, s.Addr())
}

// BenchmarkCompareChallTestSrv measures dnsmock and Pebble's challenge test
// server in the same run, on the same question, and prints the ratio.
func BenchmarkCompareChallTestSrv(b *testing.B) {
	if _, err := os.Stat(*challtestsrv); err != nil {
		b.Skipf("pebble-challtestsrv not built at %s", *challtestsrv)
	}
	addr, api := startChallTestSrv(b)
	c := dnsmock.NewClient(api, nil)
	must(b, c.AddTXT(bg(), "_acme-challenge.bench.test", "one"))
	must(b, c.AddTXT(bg(), "_acme-challenge.bench.test", "two"))
	s := startServer(b, dnsmock.Config{})
	must(b, s.AddTXT(bg(), "_acme-challenge.bench.test", "one"))
	must(b, s.AddTXT(bg(), "_acme-challenge.bench.test", "two"))

	var ours, theirs float64
	b.Run("dnsmock", func(b *testing.B) { ours = benchQueries(b, s.Addr()) })
	b.Run("challtestsrv", func(b *testing.B) { theirs = benchQueries(b, addr) })
	if ours > 0 && theirs > 0 {
		fmt.Printf("dnsmock %.0f q/s, pebble-challtestsrv %.0f q/s, ratio %.2f\n",
			ours, theirs, ours/theirs)
	}
}

// startChallTestSrv runs pebble-challtestsrv with only DNS and management
// on loopback, and waits until it answers.
func startChallTestSrv(b *testing.B) (dnsAddr, apiURL string) {
	dnsAddr, apiAddr := freePort(b), freePort(b)
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, *challtestsrv, "-dnsserver", dnsAddr,
		"-management", apiAddr, "-http01", "", "-https01", "", "-tlsalpn01", "", "-doh", "",
		"-defaultIPv6", "")
	must(b, cmd.Start())
	b.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
	})
	deadline := time.Now().Add(10 * time.Second)
	c := &dns.Client{Timeout: 200 * time.Millisecond}
	for {
		_, _, err := c.Exchange(new(dns.Msg).SetQuestion("up.test.", dns.TypeA), dnsAddr)
		conn, cerr := net.Dial("tcp", apiAddr)
		if err == nil && cerr == nil {
			conn.Close()
			return dnsAddr, "http://" + apiAddr
		}
		if time.Now().After(deadline) {
			b.Fatalf("pebble-challtestsrv did not start: %v %v", err, cerr)
		}
		time.Sleep(50 * time.Millisecond) // polling a child process, not synchronising tests
	}
}

func freePort(b *testing.B) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(b, err)
	defer ln.Close()
	return ln.Addr().String()
}

package dnsmock_test

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
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
// server in the same run, on the same question, and prints the ratio. Both
// servers run in child processes, so neither shares its process with the
// load generator.
func BenchmarkCompareChallTestSrv(b *testing.B) {
	if _, err := os.Stat(*challtestsrv); err != nil {
		b.Skipf("pebble-challtestsrv not built at %s", *challtestsrv)
	}
	addr, api := startChallTestSrv(b)
	c := dnsmock.NewClient(api, nil)
	must(b, c.AddTXT(bg(), "_acme-challenge.bench.test", "one"))
	must(b, c.AddTXT(bg(), "_acme-challenge.bench.test", "two"))
	ourAddr := startHelperServer(b)

	var ours, theirs float64
	b.Run("dnsmock", func(b *testing.B) { ours = benchQueries(b, ourAddr) })
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

const helperEnv = "DNSMOCK_BENCH_HELPER"

// TestHelperServer is not a test: started by startHelperServer as a child
// process, it serves the benchmark records until its stdin closes.
func TestHelperServer(t *testing.T) {
	if os.Getenv(helperEnv) != "1" {
		t.Skip("runs only as the benchmark's child process")
	}
	s := startServer(t, dnsmock.Config{})
	must(t, s.AddTXT(bg(), "_acme-challenge.bench.test", "one"))
	must(t, s.AddTXT(bg(), "_acme-challenge.bench.test", "two"))
	fmt.Println("ADDR", s.Addr())
	_, _ = io.Copy(io.Discard, os.Stdin)
}

// startHelperServer runs this test binary again as a dnsmock server and
// returns the address it prints.
func startHelperServer(b *testing.B) string {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperServer$")
	cmd.Env = append(os.Environ(), helperEnv+"=1")
	stdin, err := cmd.StdinPipe()
	must(b, err)
	stdout, err := cmd.StdoutPipe()
	must(b, err)
	must(b, cmd.Start())
	b.Cleanup(func() {
		stdin.Close()
		_ = cmd.Wait()
	})
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if addr, ok := strings.CutPrefix(sc.Text(), "ADDR "); ok {
			go func() { _, _ = io.Copy(io.Discard, stdout) }()
			return addr
		}
	}
	b.Fatalf("helper server printed no address: %v", sc.Err())
	return ""
}

package bench

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"

	"acmeconform/internal/ports"
)

// dnsClients is how many sockets query a DNS server at once.
const dnsClients = 4

// DNSResult is the query rate of one DNS server.
type DNSResult struct {
	Server  string
	QPS     float64
	Errors  int64
	Queries int64
}

// queryRate asks A questions over UDP from dnsClients sockets for d and
// counts the answers that carry an address.
func queryRate(ctx context.Context, name, addr string, d time.Duration) DNSResult {
	var ok, bad atomic.Int64
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for i := range dnsClients {
		wg.Go(func() {
			c := &dns.Client{Timeout: time.Second}
			conn, err := c.DialContext(ctx, addr)
			if err != nil {
				bad.Add(1)
				return
			}
			defer conn.Close()
			m := new(dns.Msg).SetQuestion("q"+strconv.Itoa(i)+".bench.test.", dns.TypeA)
			for time.Now().Before(deadline) && ctx.Err() == nil {
				r, _, err := c.ExchangeWithConnContext(ctx, m, conn)
				if err != nil || len(r.Answer) == 0 {
					bad.Add(1)
					continue
				}
				ok.Add(1)
			}
		})
	}
	wg.Wait()
	return DNSResult{Server: name, QPS: float64(ok.Load()) / d.Seconds(),
		Errors: bad.Load(), Queries: ok.Load()}
}

// startChallTestSrv runs pebble-challtestsrv with only its DNS server and
// management API, both on loopback, answering 127.0.0.1 for every name.
func startChallTestSrv(ctx context.Context, cfg Config, dir string) (*exec.Cmd, string, error) {
	ps, err := ports.Free(2)
	if err != nil {
		return nil, "", err
	}
	addr := "127.0.0.1:" + strconv.Itoa(ps[0])
	mgmt := "127.0.0.1:" + strconv.Itoa(ps[1])
	cmd := exec.Command(cfg.bin("pebble-challtestsrv"), "-dnsserver", addr,
		"-management", mgmt, "-http01", "", "-https01", "", "-tlsalpn01", "", "-doh", "",
		"-defaultIPv4", "127.0.0.1", "-defaultIPv6", "")
	log, _, err := launch(ctx, cmd, dir, "challtestsrv", dnsReady(addr))
	if err != nil {
		return nil, "", err
	}
	go func() { _ = cmd.Wait(); log.Close() }()
	return cmd, addr, nil
}

// stopCmd interrupts a child started with launch.
func stopCmd(cmd *exec.Cmd) { _ = cmd.Process.Signal(os.Interrupt) }

// dnsReady succeeds when addr answers an A question over UDP.
func dnsReady(addr string) func(context.Context) error {
	c := &dns.Client{Timeout: 100 * time.Millisecond}
	m := new(dns.Msg).SetQuestion("ready.bench.test.", dns.TypeA)
	return func(ctx context.Context) error {
		_, _, err := c.ExchangeContext(ctx, m, addr)
		return err
	}
}

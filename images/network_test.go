package images

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// probeName is the name the test DNS server answers with the gateway.
const probeName = "probe.test."

// hostServer is an HTTP server of the harness bound to the network gateway.
type hostServer struct {
	port string
	mu   sync.Mutex
	seen []string // "remote-ip path" of each request
}

// startHostServer serves HTTP on the gateway address until the test ends.
func startHostServer(t *testing.T, gw netip.Addr) *hostServer {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(gw.String(), "0"))
	if err != nil {
		t.Fatalf("listen on gateway %s: %v", gw, err)
	}
	hs := &hostServer{port: strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, _ := net.SplitHostPort(r.RemoteAddr)
		hs.mu.Lock()
		hs.seen = append(hs.seen, host+" "+r.URL.Path)
		hs.mu.Unlock()
		io.WriteString(w, "hello from the host\n")
	}), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return hs
}

// saw reports whether a request for path came from ip.
func (hs *hostServer) saw(ip netip.Addr, path string) bool {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	for _, s := range hs.seen {
		if s == ip.String()+" "+path {
			return true
		}
	}
	return false
}

// startDNS answers A queries for probeName with the gateway on gateway:53.
func startDNS(t *testing.T, gw netip.Addr) {
	t.Helper()
	pc, err := net.ListenPacket("udp", net.JoinHostPort(gw.String(), "53"))
	if err != nil {
		t.Fatalf("listen DNS on gateway: %v", err)
	}
	handler := dns.HandlerFunc(func(w dns.ResponseWriter, q *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(q)
		if len(q.Question) == 1 && q.Question[0].Name == probeName &&
			q.Question[0].Qtype == dns.TypeA {
			m.Answer = append(m.Answer, &dns.A{
				Hdr: dns.RR_Header{Name: probeName, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 5},
				A:   gw.AsSlice(),
			})
		} else {
			m.Rcode = dns.RcodeNameError
		}
		w.WriteMsg(m)
	})
	srv := &dns.Server{PacketConn: pc, Handler: handler}
	go srv.ActivateAndServe()
	t.Cleanup(func() { srv.Shutdown() })
}

// TestNetworkReachability checks the paths the client suite depends on:
// containers reach servers the harness binds to the gateway address and
// resolve names through a DNS server there, and the host reaches a server
// inside a container at the container's address; the network itself has no
// route beyond the host.
func TestNetworkReachability(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short mode: builds images")
	}
	m := testManager(t)
	debian := buildImage(t, m, NameDebian)
	nw := newNetwork(t, testRunID(t))
	t.Logf("network %s: gateway %s, subnet %s", nw.Name, nw.Gateway, nw.Subnet)
	hs := startHostServer(t, nw.Gateway)
	startDNS(t, nw.Gateway)
	dnsOnGateway := []netip.Addr{nw.Gateway}
	cl := runClient(t, ClientSpec{
		RunID: nw.RunID, Image: debian.Ref, Network: nw, Alias: "probe", DNS: dnsOnGateway,
	})

	t.Run("container reaches the host on the gateway", func(t *testing.T) {
		url := "http://" + net.JoinHostPort(nw.Gateway.String(), hs.port) + "/by-ip"
		if out := mustExec(t, cl, "curl", "-sS", "--max-time", "10", url); !strings.Contains(out, "hello") {
			t.Errorf("curl %s printed %q", url, out)
		}
	})
	t.Run("container resolves through the gateway DNS server", func(t *testing.T) {
		out := strings.TrimSpace(mustExec(t, cl, "dig", "+short", "+time=5", probeName, "A"))
		if out != nw.Gateway.String() {
			t.Errorf("dig %s answered %q, want %s", probeName, out, nw.Gateway)
		}
		url := "http://" + net.JoinHostPort(strings.TrimSuffix(probeName, "."), hs.port) + "/by-name"
		mustExec(t, cl, "curl", "-sS", "--max-time", "10", url)
		if !hs.saw(cl.IP, "/by-name") {
			t.Errorf("host server saw no /by-name request from %s", cl.IP)
		}
	})
	t.Run("host reaches a server in the container", func(t *testing.T) {
		testHostToContainer(t, cl)
	})
	t.Run("network has no default route", func(t *testing.T) {
		routes := mustExec(t, cl, "cat", "/proc/net/route")
		for _, line := range strings.Split(routes, "\n")[1:] {
			if f := strings.Fields(line); len(f) > 1 && f[1] == "00000000" {
				t.Errorf("container has a default route: %q", line)
			}
		}
	})
	t.Run("scratch image reaches and resolves the host", func(t *testing.T) {
		testScratchToHost(t, m, nw, hs)
	})
}

// testHostToContainer serves a challenge file with busybox httpd in the
// container and fetches it from the host at the container's address.
func testHostToContainer(t *testing.T, cl *Client) {
	const token = "token-123"
	dir := "/work/www/.well-known/acme-challenge"
	mustExec(t, cl, "mkdir", "-p", dir)
	if err := cl.CopyIn(t.Context(), dir+"/"+token, []byte("key-authz\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustExec(t, cl, "busybox", "httpd", "-p", "5002", "-h", "/work/www")
	url := "http://" + net.JoinHostPort(cl.IP.String(), "5002") + "/.well-known/acme-challenge/" + token
	body, err := getWithin(t.Context(), url, 10*time.Second)
	if err != nil {
		t.Fatalf("host GET %s: %v", url, err)
	}
	if body != "key-authz\n" {
		t.Errorf("host GET %s = %q, want the challenge file", url, body)
	}
}

// testScratchToHost has lego, in its FROM-scratch image, fetch a directory
// from the host server by a name only the gateway DNS server knows.
func testScratchToHost(t *testing.T, m *Manager, nw *Network, hs *hostServer) {
	lego := buildImage(t, m, NameLego)
	cl := runClient(t, ClientSpec{
		RunID: nw.RunID, Image: lego.Ref, Network: nw, Alias: "lego",
		DNS: []netip.Addr{nw.Gateway},
	})
	dir := "http://" + net.JoinHostPort(strings.TrimSuffix(probeName, "."), hs.port) + "/directory"
	res, err := cl.Exec(t.Context(), ExecRequest{Cmd: []string{
		"lego", "--server", dir, "--accept-tos", "--email", "probe@example.test",
		"--domains", "probe.example.test", "--http", "run",
	}})
	if err != nil {
		t.Fatal(err)
	}
	// The host server is no ACME server, so lego fails; it must have asked.
	if !hs.saw(cl.IP, "/directory") {
		t.Errorf("host server saw no /directory request from lego at %s; lego said: %s",
			cl.IP, res.Output)
	}
}

// getWithin polls url until it answers 200 or the deadline passes.
func getWithin(ctx context.Context, url string, d time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return "", err
		}
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			body, rerr := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK && rerr == nil {
				return string(body), nil
			}
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

package images

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/moby/moby/client"
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
	return startServer(t, gw, nil)
}

// startServer serves on the gateway address, over TLS when cert is set.
func startServer(t *testing.T, gw netip.Addr, cert *tls.Certificate) *hostServer {
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
	if cert != nil {
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{*cert}})
	}
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
// route beyond the host (the engine drops forwarded traffic).
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
		Hosts: map[string]netip.Addr{"ca.test": nw.Gateway},
	})

	t.Run("container reaches the host on the gateway", func(t *testing.T) {
		url := "http://" + net.JoinHostPort(nw.Gateway.String(), hs.port) + "/by-ip"
		out := mustExec(t, cl, "curl", "-sS", "--max-time", "10", url)
		if !strings.Contains(out, "hello") {
			t.Errorf("curl %s printed %q", url, out)
		}
	})
	t.Run("container reaches the host by an extra hosts entry", func(t *testing.T) {
		url := "http://" + net.JoinHostPort("ca.test", hs.port) + "/by-hosts"
		mustExec(t, cl, "curl", "-sS", "--max-time", "10", url)
		if !hs.saw(cl.IP, "/by-hosts") {
			t.Errorf("host server saw no /by-hosts request from %s", cl.IP)
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
	t.Run("network is internal", func(t *testing.T) {
		testInternal(t, nw)
	})
	t.Run("scratch image reaches and resolves the host", func(t *testing.T) {
		testScratchToHost(t, m, nw)
	})
}

// testInternal checks that the engine made the network internal.
func testInternal(t *testing.T, nw *Network) {
	docker, err := dockerClient(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer docker.Close()
	res, err := docker.NetworkInspect(t.Context(), nw.ID, client.NetworkInspectOptions{})
	if err != nil || !res.Network.Internal {
		t.Errorf("network %s: internal=%v, err=%v; want an internal network",
			nw.Name, res.Network.Internal, err)
	}
}

// testHostToContainer serves a challenge file with busybox httpd in the
// container and fetches it from the host at the container's address.
func testHostToContainer(t *testing.T, cl *Client) {
	const token = "token-123"
	dir := "/work/www/.well-known/acme-challenge" // CopyIn makes the directories
	if err := cl.CopyIn(t.Context(), dir+"/"+token, []byte("key-authz\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustExec(t, cl, "busybox", "httpd", "-p", "5002", "-h", "/work/www")
	url := "http://" + net.JoinHostPort(cl.IP.String(), "5002") +
		"/.well-known/acme-challenge/" + token
	body, err := getWithin(t.Context(), url, 10*time.Second)
	if err != nil {
		t.Fatalf("host GET %s: %v", url, err)
	}
	if body != "key-authz\n" {
		t.Errorf("host GET %s = %q, want the challenge file", url, body)
	}
}

// testScratchToHost has lego, in its FROM-scratch image, fetch a directory
// over HTTPS from a host server, by a name only the gateway DNS server knows
// and with a certificate the image trusts only after TrustRoots.
func testScratchToHost(t *testing.T, m *Manager, nw *Network) {
	cert, certPEM := selfSigned(t, strings.TrimSuffix(probeName, "."))
	hs := startServer(t, nw.Gateway, &cert)
	lego := buildImage(t, m, NameLego)
	cl := runClient(t, ClientSpec{
		RunID: nw.RunID, Image: lego.Ref, Network: nw, Alias: "lego",
		DNS: []netip.Addr{nw.Gateway},
	})
	if err := cl.TrustRoots(t.Context(), certPEM); err != nil {
		t.Fatal(err)
	}
	dir := "https://" + net.JoinHostPort(strings.TrimSuffix(probeName, "."), hs.port) + "/directory"
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

// selfSigned returns a TLS certificate for name and its PEM encoding.
func selfSigned(t *testing.T, name string) (tls.Certificate, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		DNSNames: []string{name}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert := tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	return cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
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

package mockca

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"acmeconform/acme"
	"acmeconform/internal/ports/portstest"
)

func TestBaseURL(t *testing.T) {
	tests := []struct {
		name     string
		external string
		addr     *net.TCPAddr
		want     string
	}{
		{"bound address", "", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 14000},
			"https://127.0.0.1:14000"},
		{"wildcard shown as loopback", "", &net.TCPAddr{IP: net.IPv4zero, Port: 14000},
			"https://127.0.0.1:14000"},
		{"external URL wins", "https://ca.test:14000/", &net.TCPAddr{Port: 1},
			"https://ca.test:14000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := baseURL(tt.external, tt.addr); got != tt.want {
				t.Fatalf("baseURL = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestExternalURLAndTLSHosts(t *testing.T) {
	port := portstest.Loopback(t)
	ext := "https://localhost:" + strconv.Itoa(port)
	e := startEnv(t, func(c *Config) {
		c.Addr = "127.0.0.1:" + strconv.Itoa(port)
		c.ExternalURL = ext
		c.TLSHosts = []string{"ca.test", "10.9.8.7"}
	})
	if e.ca.DirectoryURL() != ext+"/directory" {
		t.Fatalf("directory URL %q", e.ca.DirectoryURL())
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(e.ca.TLSRootPEM())
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.Get(e.ca.DirectoryURL())
	if err != nil {
		t.Fatal(err)
	}
	leaf := resp.TLS.PeerCertificates[0]
	var dir acme.Directory
	decode(t, resp, &dir)
	if !strings.HasPrefix(dir.NewOrder, ext+"/") {
		t.Errorf("newOrder %q does not use the external URL", dir.NewOrder)
	}
	if err := leaf.VerifyHostname("ca.test"); err != nil {
		t.Errorf("TLS leaf: %v", err)
	}
	if err := leaf.VerifyHostname("10.9.8.7"); err != nil {
		t.Errorf("TLS leaf: %v", err)
	}
}

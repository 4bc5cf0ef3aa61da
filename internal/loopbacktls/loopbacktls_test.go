package loopbacktls

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"testing"
)

// A server presenting the written certificate is trusted through Pool, on
// 127.0.0.1.
func TestWriteServesLoopbackTLS(t *testing.T) {
	f, err := Write(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	pair, err := tls.LoadX509KeyPair(f.CertFile, f.KeyFile)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{pair}}
	srv.StartTLS()
	defer srv.Close()
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: f.Pool}}}
	res, err := c.Get(srv.URL)
	if err != nil {
		t.Fatalf("GET %s with the written root: %v", srv.URL, err)
	}
	res.Body.Close()
}

package mockca_test

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"

	"acmeconform/mockca"
)

// ExampleNew starts a mock CA on loopback, as a Go test would, and reads
// its directory over HTTPS trusting the CA's own TLS root.
func ExampleNew() {
	ca, err := mockca.New(mockca.Config{DNSServer: "127.0.0.1:8053", HTTP01Port: 5002})
	if err != nil {
		panic(err)
	}
	if err := ca.Start(); err != nil {
		panic(err)
	}
	defer ca.Close()

	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(ca.TLSRootPEM())
	client := &http.Client{Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: roots}}}
	resp, err := client.Get(ca.DirectoryURL())
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode, resp.Header.Get("Content-Type"))
	// Output: 200 application/json
}

// ExampleFromPebble maps a Pebble configuration and environment onto a
// Config and prints what it ignores.
func ExampleFromPebble() {
	conf := []byte(`{"pebble": {"listenAddress": "0.0.0.0:14000", "httpPort": 5002,
		"ocspResponderURL": "http://ocsp.invalid"}}`)
	cfg, notes, err := mockca.FromPebble(conf, map[string]string{"PEBBLE_VA_NOSLEEP": "1"})
	if err != nil {
		panic(err)
	}
	fmt.Println(cfg.Addr, cfg.HTTP01Port)
	for _, n := range notes {
		fmt.Println(n)
	}
	// Output:
	// 127.0.0.1:14000 5002
	// listenAddress "0.0.0.0:14000": listening on 127.0.0.1:14000 instead
	// ocspResponderURL: ignored, certificates carry no OCSP URL
	// PEBBLE_VA_NOSLEEP: ignored, validation never sleeps (use the finalizeDelay knob)
}

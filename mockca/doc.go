// Package mockca is a strict RFC 8555 (ACME) certificate authority for tests.
//
// It serves the ACME API over HTTPS on loopback with a TLS root it generates
// at start, validates http-01 and dns-01 challenges through a configured DNS
// server, issues certificates from a generated root and intermediate, and
// exposes a plain-HTTP management API (roots, certificate status, clock,
// reset, behaviour knobs) on a second loopback listener.
//
// The rules every ACME endpoint shares (RFC 8555 §6) live in frontend.go and
// jws.go; each ACME resource has its own file; the store, validation and
// issuance are kept apart. Time comes from one Clock, random decisions of the
// fault-injection knobs from one seeded source.
//
// Starting one from a Go test:
//
//	srv, err := mockca.New(mockca.Config{Addr: "127.0.0.1:0", DNSServer: dnsAddr})
//	if err != nil { ... }
//	if err := srv.Start(); err != nil { ... }
//	defer srv.Close()
//	dirURL := srv.DirectoryURL()
package mockca

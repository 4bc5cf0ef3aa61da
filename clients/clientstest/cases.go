package clientstest

import (
	"context"
	"errors"
	"strings"

	"acmeconform/clients"
)

// Case is one driver operation with a fixed request, for golden tests of
// the commands a driver builds.
type Case struct {
	Name string
	Run  func(ctx context.Context, d clients.Driver) (clients.Outcome, error)
}

// Target is the fixed target of every Case.
var target = clients.Target{
	DirectoryURL: "https://127.0.0.1:14000/dir",
	CACertFile:   "/work/ca.pem",
	DNSAddr:      "127.0.0.1:8053",
	DNSAPIURL:    "http://127.0.0.1:8055",
	HTTP01Port:   5002,
	TSIG: &clients.TSIG{Name: "acme-update.", Algorithm: "hmac-sha256",
		Secret: "c2VjcmV0LXRzaWcta2V5LWZvci10ZXN0cw=="},
}

func request(ch clients.Challenge, domains ...string) clients.Request {
	return clients.Request{
		Target: target, Dir: "/work/state", Email: "admin@example.com",
		Domains: domains, Challenge: ch,
	}
}

// Cases returns the operations every driver's golden test renders.
func Cases() []Case {
	// The MAC key starts with "-", as one in 64 base64url keys does: a
	// driver must not pass it where a parser takes it for an option.
	eab := &clients.EAB{KID: "kid-1", HMACKey: "-2VjcmV0LW1hYy1rZXktZm9yLXRlc3RzLW9ubHk"}
	op := func(name string, req clients.Request,
		f func(clients.Driver) func(context.Context, clients.Request) (clients.Outcome, error),
	) Case {
		return Case{Name: name, Run: func(ctx context.Context, d clients.Driver) (
			clients.Outcome, error) {
			return f(d)(ctx, req)
		}}
	}
	reg := request(clients.ChallengeHTTP01, "www.example.com")
	reg.EAB = eab
	rsa := request(clients.ChallengeHTTP01, "www.example.com", "example.com")
	rsa.Key = clients.KeyRSA2048
	wild := request(clients.ChallengeDNS01, "example.com", "*.example.com")
	wild.Key = clients.KeyECDSAP256
	// The same key type and wildcard, one name each, as the suite orders
	// them from a client without Capabilities.MultiName.
	rsaOne := request(clients.ChallengeHTTP01, "www.example.com")
	rsaOne.Key = clients.KeyRSA2048
	wildOne := request(clients.ChallengeDNS01, "*.example.com")
	wildOne.Key = clients.KeyECDSAP256
	ari := request(clients.ChallengeHTTP01, "www.example.com")
	ari.ARI, ari.Profile = true, "shortlived"
	upd := request(clients.ChallengeDNS01, "www.example.com")
	upd.DNS = clients.DNSRFC2136
	csr := request(clients.ChallengeHTTP01, "www.example.com")
	alt := request(clients.ChallengeHTTP01, "www.example.com")
	alt.PreferredChain = "Example Alternate Root X2"
	csr.CSR = []byte("-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n")
	return []Case{
		op("register-eab", reg, register),
		op("obtain-http01-rsa", rsa, obtain),
		op("obtain-http01-rsa-one-name", rsaOne, obtain),
		op("obtain-dns01-wildcard", wild, obtain),
		op("obtain-dns01-wildcard-alone", wildOne, obtain),
		op("obtain-csr", csr, obtain),
		op("obtain-dns01-rfc2136", upd, obtain),
		op("obtain-preferred-chain", alt, obtain),
		op("renew-http01", request(clients.ChallengeHTTP01, "www.example.com"), renew),
		op("renew-ari-profile", ari, renew),
		op("revoke", request(clients.ChallengeHTTP01, "www.example.com"), revoke),
	}
}

func register(d clients.Driver) func(context.Context, clients.Request) (clients.Outcome, error) {
	return d.Register
}

func obtain(d clients.Driver) func(context.Context, clients.Request) (clients.Outcome, error) {
	return d.Obtain
}

func renew(d clients.Driver) func(context.Context, clients.Request) (clients.Outcome, error) {
	return d.Renew
}

func revoke(d clients.Driver) func(context.Context, clients.Request) (clients.Outcome, error) {
	return d.Revoke
}

// Render runs c against d with a Recorder behind it and returns the
// recorded commands as text, or the reason the driver refused.
func Render(ctx context.Context, c Case, d clients.Driver, rec *Recorder) string {
	_, err := c.Run(ctx, d)
	if errors.Is(err, clients.ErrUnsupported) {
		return "unsupported: " + err.Error() + "\n"
	}
	var parts []string
	for _, cmd := range rec.Commands() {
		parts = append(parts, Describe(cmd))
	}
	out := strings.Join(parts, "---\n")
	if err != nil {
		out += "error: " + err.Error() + "\n"
	}
	return out
}

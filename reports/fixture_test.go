package reports

import (
	"testing"
	"time"

	"acmeconform/catalog"
)

// The fixture is a small run over two targets that yields every verdict, a
// client matrix, a robustness matrix and evidence holding secrets.

const (
	targetMock   = "mockca/atlas"
	targetPebble = "pebble"
	fixtureMAC   = "c2VjcmV0LW1hYy1rZXktMDEyMzQ1Njc4OWFiY2RlZg"
)

func fixtureCatalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	reqs := []catalog.Requirement{
		{ID: "nonce-single-use", Source: "RFC 8555", Section: "6.5", Level: "MUST",
			Summary: "A nonce is accepted once.", Side: "server"},
		{ID: "nonce-on-error", Source: "RFC 8555", Section: "6.5", Level: "SHOULD",
			Summary: "Error responses carry a fresh Replay-Nonce.", Side: "server"},
		{ID: "content-type-415", Source: "RFC 8555", Section: "6.2", Level: "MUST",
			Summary: "A POST that is not application/jose+json gets 415.", Side: "server"},
		{ID: "order-retry-after", Source: "RFC 8555", Section: "7.4", Level: "MAY",
			Summary: "A processing order may carry Retry-After.", Side: "server"},
		{ID: "alt-chains", Source: "RFC 8555", Section: "7.4.2", Level: "MAY",
			Summary: "Alternate chains are offered with Link rel=alternate.", Side: "server"},
		{ID: "ari-replaces", Source: "RFC 9773", Section: "5", Level: "MUST",
			Summary: "An accepted replaces field is reflected in the order.", Side: "server"},
		{ID: "eab-required", Source: "atlas profile", Section: "EAB", Level: "POLICY",
			Summary: "Account creation requires external account binding.", Side: "server"},
		{ID: "client-badnonce-retry", Source: "RFC 8555", Section: "6.5", Level: "SHOULD",
			Summary: "A client retries after badNonce with the new nonce.", Side: "client"},
		{ID: "client-post-as-get", Source: "RFC 8555", Section: "6.3", Level: "MUST",
			Summary: "A client reads resources with POST-as-GET.", Side: "client"},
		{ID: "key-change", Source: "RFC 8555", Section: "7.3.5", Level: "MUST",
			Summary: "An account key can be rolled over.", Side: "server"},
	}
	c, err := catalog.New(reqs)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func fixtureMeta() Report {
	return Report{
		Tool: "acmeconform", ToolVersion: "v0.1.0-test", Seed: 42,
		Targets: []Target{
			{Name: targetPebble, Directory: "https://127.0.0.1:14000/dir", Mode: "process"},
			{Name: targetMock, Directory: "https://127.0.0.1:8443/directory", Mode: "embedded"},
		},
		StartedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Duration:  83*time.Second + 250*time.Millisecond,
		Clients: []Client{
			{Name: "lego", Version: "4.35.2", Mode: "process"},
			{Name: "certbot", Version: "2.1.0", Mode: "container"},
		},
	}
}

func fixtureSpecs() []Spec {
	ms := time.Millisecond
	return []Spec{
		{Name: "nonce is single use", Target: targetMock, State: StatePassed,
			Requirements: []string{"nonce-single-use"}, Duration: 120 * ms},
		{Name: "nonce is single use", Target: targetPebble, State: StateFailed,
			Requirements: []string{"nonce-single-use", "nonce-on-error"}, Duration: 80 * ms,
			Message: "expected badNonce, got 200 OK",
			Evidence: []Evidence{{Name: "exchange", Value: "POST /new-order HTTP/1.1\n" +
				"Authorization: Bearer top-secret-token\nContent-Type: application/jose+json\n\n" +
				`{"protected":"eyJ...","payload":"","signature":"abc"}` + "\n\nHTTP/1.1 200 OK"}}},
		{Name: "415 on wrong content type", Target: targetMock, State: StatePassed,
			Requirements: []string{"content-type-415"}, Duration: 40 * ms},
		{Name: "415 on wrong content type", Target: targetPebble, State: StateSkipped,
			Requirements: []string{"content-type-415"}, Message: "target has no strict mode"},
		{Name: "order carries Retry-After", Target: targetMock, State: StateFailed,
			Requirements: []string{"order-retry-after"}, Duration: 2 * time.Second,
			Message: "no Retry-After header on a processing order"},
		{Name: "alternate chains offered", Target: targetMock, State: StatePassed,
			Requirements: []string{"alt-chains"}, Duration: 300 * ms},
		{Name: "replaces is reflected", Target: targetMock, State: StateInterrupted,
			Requirements: []string{"ari-replaces"}, Message: "interrupted by timeout of the run"},
		{Name: "account needs EAB", Target: targetMock, State: StateFailed,
			Requirements: []string{"eab-required"}, Duration: 90 * ms,
			Message: "account created without EAB",
			Evidence: []Evidence{{Name: "credential", Value: `{"kid":"kid-1","hmacKey":"` +
				fixtureMAC + `","jwk":{"kty":"oct","k":"c3ltbWV0cmlj"}}`},
				{Name: "account key", Value: "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n" +
					"-----END EC PRIVATE KEY-----\n"}}},
		{Name: "account needs EAB", Target: targetPebble, State: StatePassed,
			Requirements: []string{"eab-required"}, Duration: 70 * ms},
		{Name: "lego obtains a certificate via http-01", Target: targetMock, Client: "lego",
			Scenario: "http-01", State: StatePassed, Duration: 3 * time.Second,
			Requirements: []string{"client-post-as-get"}},
		{Name: "lego obtains a certificate via dns-01", Target: targetMock, Client: "lego",
			Scenario: "dns-01", State: StatePassed, Duration: 4 * time.Second,
			Requirements: []string{"client-post-as-get"}},
		{Name: "lego retries after badNonce", Target: targetMock, Client: "lego",
			Scenario: "bad-nonce", State: StateFailed, Duration: 2 * time.Second,
			Requirements: []string{"client-badnonce-retry"},
			Message:      "lego exited 1 after the first badNonce",
			Evidence: []Evidence{{Name: "stderr", Value: "lego --eab --kid kid-1 --hmac " +
				fixtureMAC + " run\nerror: urn:ietf:params:acme:error:badNonce"}}},
		{Name: "certbot obtains a certificate via http-01", Target: targetMock,
			Client: "certbot", Scenario: "http-01", State: StateFailed, Duration: 5 * time.Second,
			Requirements: []string{"client-post-as-get"},
			Message:      "certbot sent GET to the order URL"},
		{Name: "certbot obtains a certificate via dns-01", Target: targetMock,
			Client: "certbot", Scenario: "dns-01", State: StateSkipped,
			Requirements: []string{"client-post-as-get"}, Message: "no RFC 2136 plugin in image"},
		{Name: "lego retries with the fresh nonce after badNonce", Target: targetMock,
			Client: "lego", Scenario: "robust-badnonce-on-first-post", State: StatePassed,
			Labels: []string{"robustness"}, Requirements: []string{"client-badnonce-retry"},
			Duration: 2 * time.Second},
		{Name: "certbot retries with the fresh nonce after badNonce", Target: targetMock,
			Client: "certbot", Scenario: "robust-badnonce-on-first-post", State: StateFailed,
			Labels: []string{"robustness"}, Requirements: []string{"client-badnonce-retry"},
			Duration: 3 * time.Second, Message: "certbot exited 1 after the first badNonce"},
		{Name: "lego polls an order that stays processing", Target: targetMock,
			Client: "lego", Scenario: "robust-order-processing-3s", State: StatePassed,
			Labels: []string{"robustness"}, Requirements: []string{"client-post-as-get"},
			Duration: 5 * time.Second},
	}
}

// fixtureReport builds the fixture report, with the MAC key registered as a
// secret.
func fixtureReport(t testing.TB) *Report {
	t.Helper()
	r, err := Build(fixtureCatalog(t), fixtureMeta(), fixtureSpecs())
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	r.AddSecret(fixtureMAC)
	return r
}

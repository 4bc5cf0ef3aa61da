package clients

import (
	"strings"
	"testing"

	drivers "acmeconform/clients"
)

func TestRedact(t *testing.T) {
	key := "c2VjcmV0LW1hYy1rZXktZm9yLXRlc3RzLW9ubHk"
	tests := []struct {
		name string
		req  drivers.Request
		text string
	}{
		{name: "unpadded key", req: drivers.Request{EAB: &drivers.EAB{HMACKey: key}},
			text: "--hmac " + key},
		{name: "padded form of an unpadded key",
			req: drivers.Request{EAB: &drivers.EAB{HMACKey: key}}, text: "k=" + key + "="},
		{name: "unpadded form of a padded key",
			req: drivers.Request{EAB: &drivers.EAB{HMACKey: key + "="}}, text: "kid:" + key},
		{name: "TSIG secret", req: drivers.Request{Target: drivers.Target{
			TSIG: &drivers.TSIG{Secret: "dHNpZy1zZWNyZXQ="}}}, text: "secret dHNpZy1zZWNyZXQ="},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := redact(tc.text, tc.req)
			if strings.Contains(got, "c2VjcmV0") || strings.Contains(got, "dHNpZy") ||
				!strings.Contains(got, "[redacted]") {
				t.Errorf("redact(%q) = %q", tc.text, got)
			}
		})
	}
}

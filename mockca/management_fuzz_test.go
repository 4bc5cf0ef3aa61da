package mockca

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// mgmtFuzzRoutes are the management endpoints, with the method they take.
// A path ending in "/" gets the fuzzed suffix appended.
var mgmtFuzzRoutes = []struct{ method, path string }{
	{http.MethodPost, "/clock"}, {http.MethodPost, "/knobs"}, {http.MethodPost, "/seed"},
	{http.MethodPost, "/set-renewal-info/"}, {http.MethodPost, "/credentials"},
	{http.MethodPost, "/credentials/"}, {http.MethodGet, "/credentials/"},
	{http.MethodPost, "/misbehaviours"}, {http.MethodPost, "/quirks"},
	{http.MethodGet, "/cert-status-by-serial/"}, {http.MethodGet, "/roots/"},
	{http.MethodGet, "/crls/"}, {http.MethodPost, "/reset"}, {http.MethodGet, "/"},
}

// mgmtRequest builds a request without URL parsing, so any suffix is
// accepted as it would arrive on the wire.
func mgmtRequest(route uint8, suffix string, body []byte) *http.Request {
	rt := mgmtFuzzRoutes[int(route)%len(mgmtFuzzRoutes)]
	r := httptest.NewRequest(rt.method, "/", bytes.NewReader(body))
	r.URL.Path = rt.path
	if strings.HasSuffix(rt.path, "/") {
		r.URL.Path += suffix
	}
	if rt.path == "/credentials/" && rt.method == http.MethodPost {
		r.URL.Path += "/mac-key"
	}
	r.Header.Set("Content-Type", "application/json")
	return r
}

// FuzzManagementAPI sends arbitrary bodies and path segments to every
// management endpoint: nothing may panic or answer 5xx.
func FuzzManagementAPI(f *testing.F) {
	s, err := New(Config{Seed: 1})
	if err != nil {
		f.Fatal(err)
	}
	h := s.managementRoutes()
	seeds := []string{`{"advance":"24h"}`, `{"now":"2030-01-01T00:00:00Z"}`,
		`{"advance":"-9999999h"}`, `{"nonceRejectRate":0.5}`, `{"seed":-1}`,
		`{"serial":"01","ariResponse":{"suggestedWindow":{}}}`, `{"label":"x"}`,
		`{"secret":"x"}`, `{"names":["no-such"]}`, `["badNonceAlways"]`, `{}`, `null`, ``}
	for i := range mgmtFuzzRoutes {
		for _, b := range seeds {
			f.Add(uint8(i), "0", []byte(b))
		}
	}
	f.Fuzz(func(t *testing.T, route uint8, suffix string, body []byte) {
		w := httptest.NewRecorder()
		r := mgmtRequest(route, suffix, body)
		h.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("%s %s: HTTP %d: %s", r.Method, r.URL.Path, w.Code, w.Body.String())
		}
	})
}

package dnsmock_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"acmeconform/dnsmock"
)

// apiFuzzRoutes are the management endpoints, native and Pebble's.
var apiFuzzRoutes = []struct{ method, path string }{
	{http.MethodGet, "/records"}, {http.MethodPost, "/records"}, {http.MethodDelete, "/records"},
	{http.MethodPost, "/ttl"}, {http.MethodPost, "/faults"}, {http.MethodDelete, "/faults"},
	{http.MethodPost, "/failure-rate"}, {http.MethodGet, "/history"},
	{http.MethodDelete, "/history"}, {http.MethodGet, "/updates"},
	{http.MethodPost, "/set-txt"}, {http.MethodPost, "/add-a"}, {http.MethodPost, "/add-caa"},
	{http.MethodPost, "/set-cname"}, {http.MethodPost, "/set-servfail"},
	{http.MethodPost, "/set-default-ipv4"}, {http.MethodPost, "/dns-request-history"},
	{http.MethodPost, "/add-http01"}, {http.MethodPost, "/del-http01"},
}

// FuzzAPI sends arbitrary bodies and query strings to every management
// endpoint: nothing may panic or answer 5xx.
func FuzzAPI(f *testing.F) {
	s, err := dnsmock.New(dnsmock.Config{HistoryLimit: 100})
	if err != nil {
		f.Fatal(err)
	}
	h := s.APIHandler()
	seeds := []string{`{"records":["a.test. 60 IN A 127.0.0.1","a.test. TXT \"x\""]}`,
		`{"records":["$INCLUDE /etc/passwd"]}`, `{"name":"a.test","type":"TXT","ttl":5}`,
		`{"name":"a.test","kind":"delay","qtype":"A","delay":"10h"}`, `{"rate":2}`,
		`{"host":"a.test","value":"v"}`, `{"host":"a.test","addresses":["::1","x"]}`,
		`{"host":"a.test","policies":[{"tag":"issue","value":"ca"}]}`,
		`{"host":"a.test","target":"b.test"}`, `{"ip":"1.2.3.4"}`,
		`{"token":"t","content":"c"}`, `{}`, `null`, ``}
	for i := range apiFuzzRoutes {
		for _, b := range seeds {
			f.Add(uint8(i), "name=a.test&type=TXT", []byte(b))
		}
	}
	f.Fuzz(func(t *testing.T, route uint8, query string, body []byte) {
		rt := apiFuzzRoutes[int(route)%len(apiFuzzRoutes)]
		r := httptest.NewRequest(rt.method, "/", bytes.NewReader(body))
		r.URL.Path, r.URL.RawQuery = rt.path, query
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("%s %s?%s: HTTP %d: %s", rt.method, rt.path, query, w.Code, w.Body.String())
		}
	})
}

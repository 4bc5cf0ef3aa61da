package dnsmock

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestCheckAPIAddr(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"loopback", Config{APIAddr: "127.0.0.1:0"}, true},
		{"ipv6 loopback", Config{APIAddr: "[::1]:0"}, true},
		{"localhost", Config{APIAddr: "localhost:0"}, true},
		{"wildcard", Config{APIAddr: "0.0.0.0:0"}, false},
		{"empty host", Config{APIAddr: ":0"}, false},
		{"other address", Config{APIAddr: "192.0.2.1:0"}, false},
		{"other address with token", Config{APIAddr: "192.0.2.1:0", APIToken: "t"}, true},
		{"other address opted out", Config{APIAddr: "192.0.2.1:0", UnprotectedAPI: true}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.checkAPIAddr()
			if (err == nil) != tc.ok {
				t.Fatalf("err %v, want ok=%v", err, tc.ok)
			}
			if err != nil && !errors.Is(err, errNoAPIToken) {
				t.Fatalf("error %v does not say a token is needed", err)
			}
		})
	}
}

func TestStartRefusesOpenAPIOffLoopback(t *testing.T) {
	s, err := New(Config{APIAddr: "0.0.0.0:0"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); !errors.Is(err, errNoAPIToken) {
		_ = s.Close()
		t.Fatalf("Start: %v, want a refusal", err)
	}
}

func TestAPIBearerToken(t *testing.T) {
	s, err := New(Config{APIToken: "t0ken"})
	if err != nil {
		t.Fatal(err)
	}
	h := s.APIHandler()
	tests := []struct {
		name, auth string
		status     int
	}{
		{"no header", "", http.StatusUnauthorized},
		{"wrong token", "Bearer t0keN", http.StatusUnauthorized},
		{"prefix of token", "Bearer t0ke", http.StatusUnauthorized},
		{"basic scheme", "Basic t0ken", http.StatusUnauthorized},
		{"right token", "Bearer t0ken", http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/history", nil)
			if tc.auth != "" {
				r.Header.Set("Authorization", tc.auth)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tc.status {
				t.Fatalf("HTTP %d, want %d: %s", w.Code, tc.status, w.Body.String())
			}
		})
	}
}

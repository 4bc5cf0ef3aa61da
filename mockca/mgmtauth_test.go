package mockca

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestCheckManagementAddr(t *testing.T) {
	tests := []struct {
		name, addr, token string
		ok                bool
	}{
		{"loopback without token", "127.0.0.1:0", "", true},
		{"localhost without token", "localhost:0", "", true},
		{"wildcard without token", "0.0.0.0:0", "", false},
		{"empty host without token", ":0", "", false},
		{"other address without token", "192.0.2.1:0", "", false},
		{"wildcard with token", "0.0.0.0:0", "t", true},
		{"other address with token", "192.0.2.1:0", "t", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := &Server{cfg: Config{ManagementAddr: tc.addr, ManagementToken: tc.token}}
			err := s.checkManagementAddr()
			if (err == nil) != tc.ok {
				t.Fatalf("err %v, want ok=%v", err, tc.ok)
			}
			if err != nil && !errors.Is(err, errNoManagementToken) {
				t.Fatalf("error %v does not say a token is needed", err)
			}
		})
	}
}

func TestManagementBearerToken(t *testing.T) {
	s, err := New(Config{Seed: 1, ManagementToken: "t0ken"})
	if err != nil {
		t.Fatal(err)
	}
	h := s.managementRoutes()
	tests := []struct {
		name   string
		auth   string
		status int
	}{
		{"no header", "", http.StatusUnauthorized},
		{"wrong token", "Bearer t0keN", http.StatusUnauthorized},
		{"prefix of token", "Bearer t0ke", http.StatusUnauthorized},
		{"token with suffix", "Bearer t0ken0", http.StatusUnauthorized},
		{"basic scheme", "Basic t0ken", http.StatusUnauthorized},
		{"right token", "Bearer t0ken", http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/knobs", nil)
			if tc.auth != "" {
				r.Header.Set("Authorization", tc.auth)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tc.status {
				t.Fatalf("HTTP %d, want %d", w.Code, tc.status)
			}
			if w.Code == http.StatusUnauthorized && w.Header().Get("WWW-Authenticate") == "" {
				t.Fatal("401 without WWW-Authenticate")
			}
		})
	}
}

func TestManagementLoopbackNeedsNoToken(t *testing.T) {
	e := startEnv(t, nil)
	resp, err := http.Get(e.ca.ManagementURL() + "/knobs")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("HTTP %d on loopback without a token", resp.StatusCode)
	}
}

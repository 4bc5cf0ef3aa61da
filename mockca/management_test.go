package mockca

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"testing"
	"time"

	"acmeconform/acme"
)

// mgmt sends a management request and returns status and body.
func mgmt(t *testing.T, e *testEnv, method, path string, body any) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, e.ca.ManagementURL()+path, rd)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func TestManagementAPI(t *testing.T) {
	e := startEnv(t, func(c *Config) { c.Clock = NewFixedClock(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) })
	t.Run("roots and intermediates", func(t *testing.T) {
		for _, p := range []string{"/roots/0", "/intermediates/0"} {
			code, b := mgmt(t, e, "GET", p, nil)
			blk, _ := pem.Decode(b)
			if code != 200 || blk == nil {
				t.Fatalf("%s: HTTP %d", p, code)
			}
			if _, err := x509.ParseCertificate(blk.Bytes); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
		}
		if code, _ := mgmt(t, e, "GET", "/roots/9", nil); code != 404 {
			t.Fatalf("/roots/9: HTTP %d, want 404", code)
		}
	})
	t.Run("clock set and advance", func(t *testing.T) {
		target := time.Date(2028, 2, 3, 4, 5, 6, 0, time.UTC)
		mgmt(t, e, "POST", "/clock", map[string]any{"now": target})
		mgmt(t, e, "POST", "/clock", map[string]any{"advance": "1h"})
		if got := e.ca.Clock().Now(); !got.Equal(target.Add(time.Hour)) {
			t.Fatalf("clock reads %v", got)
		}
		if code, _ := mgmt(t, e, "POST", "/clock", map[string]any{"advance": "soon"}); code != 400 {
			t.Fatalf("bad duration: HTTP %d", code)
		}
	})
	t.Run("knobs", func(t *testing.T) {
		mgmt(t, e, "POST", "/knobs", map[string]any{"finalizeDelay": "2s", "rateLimitNewOrders": 3})
		k := e.ca.Knobs()
		if k.FinalizeDelay != 2*time.Second || k.RateLimitNewOrders != 3 {
			t.Fatalf("knobs %+v", k)
		}
		if code, _ := mgmt(t, e, "POST", "/knobs", map[string]any{"nonceRejectPercent": 101}); code != 400 {
			t.Fatalf("out-of-range percent: HTTP %d", code)
		}
	})
	t.Run("certificate status and reset", func(t *testing.T) {
		e.ca.SetKnobs(Knobs{})
		rc := newRawClient(t, e)
		rc.register()
		_, o, _ := rc.issue(e, "status.example.com")
		serial := rc.leafOf(o).SerialNumber.Text(16)
		code, b := mgmt(t, e, "GET", "/cert-status-by-serial/"+serial, nil)
		var st CertStatus
		_ = json.Unmarshal(b, &st)
		if code != 200 || st.Status != "Valid" {
			t.Fatalf("status HTTP %d %+v", code, st)
		}
		if code, _ := mgmt(t, e, "POST", "/reset", nil); code != 204 {
			t.Fatalf("reset: HTTP %d", code)
		}
		if code, _ := mgmt(t, e, "GET", "/cert-status-by-serial/"+serial, nil); code != 404 {
			t.Fatalf("status after reset: HTTP %d, want 404", code)
		}
		expectProblem(t, rc.post(rc.kid, nil), 400, acme.ProblemAccountDoesNotExist)
	})
}

func TestManagementRefusesNonLoopback(t *testing.T) {
	s, err := New(Config{ManagementAddr: "0.0.0.0:0"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err == nil {
		s.Close()
		t.Fatal("management listener on 0.0.0.0 was accepted")
	}
}

// mustMgmt GETs a management path and returns the body of a 200.
func mustMgmt(t *testing.T, e *testEnv, path string) []byte {
	t.Helper()
	code, b := mgmt(t, e, "GET", path, nil)
	if code != 200 {
		t.Fatalf("%s: HTTP %d", path, code)
	}
	return b
}

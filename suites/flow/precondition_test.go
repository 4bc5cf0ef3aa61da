package flow

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"acmeconform/acme"
	"acmeconform/suites"
	"acmeconform/suites/probe"
)

// TestWaitReadyNamesTheBrokenPrecondition checks that an order showing
// processing or valid before finalize is a PreconditionError for
// ReqOrderReady, while ready passes and invalid is a plain error.
func TestWaitReadyNamesTheBrokenPrecondition(t *testing.T) {
	tests := []struct {
		status       string
		wantErr      bool
		precondition bool
	}{
		{"ready", false, false},
		{"processing", true, true},
		{"valid", true, true},
		{"invalid", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.status, func(t *testing.T) {
			f, acct, url := orderServer(t, tt.status)
			_, err := f.WaitReady(context.Background(), acct, url)
			var pe *PreconditionError
			isPre := errors.As(err, &pe) && pe.Requirement == ReqOrderReady
			if (err != nil) != tt.wantErr || isPre != tt.precondition {
				t.Errorf("WaitReady on a %s order: %v; want error %v, precondition %v",
					tt.status, err, tt.wantErr, tt.precondition)
			}
		})
	}
}

// TestFinalizeNamesAStall checks that an order still processing when the
// poll timeout runs out is a PreconditionError for ReqOrderValid, while a
// valid order passes and an invalid one is a plain error.
func TestFinalizeNamesAStall(t *testing.T) {
	tests := []struct {
		status       string
		wantErr      bool
		precondition bool
	}{
		{"valid", false, false},
		{"processing", true, true},
		{"invalid", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.status, func(t *testing.T) {
			f, acct, url := orderServer(t, tt.status)
			f.cfg.PollTimeout = 300 * time.Millisecond
			_, err := f.Finalize(context.Background(), acct, &Order{URL: url,
				Order: acme.Order{Finalize: url}}, []byte{0x30})
			var pe *PreconditionError
			isPre := errors.As(err, &pe) && pe.Requirement == ReqOrderValid
			if (err != nil) != tt.wantErr || isPre != tt.precondition {
				t.Errorf("Finalize with the order %s: %v; want error %v, precondition %v",
					tt.status, err, tt.wantErr, tt.precondition)
			}
		})
	}
}

// orderServer serves a directory, nonces and one order in status.
func orderServer(t *testing.T, status string) (*Flow, *Account, string) {
	t.Helper()
	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("/dir", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"newNonce": srv.URL + "/nonce"})
	})
	mux.HandleFunc("/nonce", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Replay-Nonce", "n")
	})
	order := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Replay-Nonce", "n")
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"status": status,
			"finalize": srv.URL + "/order", "certificate": srv.URL + "/cert"})
	}
	mux.HandleFunc("/order", order)
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	f := testFlow(t, srv.URL+"/dir")
	return f, &Account{Key: probe.MustKey(jose.ES256), URL: srv.URL + "/acct"}, srv.URL + "/order"
}

// testFlow returns a Flow on the test server's directory.
func testFlow(t *testing.T, dirURL string) *Flow {
	t.Helper()
	p, err := probe.New(probe.Config{DirectoryURL: dirURL})
	if err != nil {
		t.Fatal(err)
	}
	f, err := New(Config{Target: &suites.Target{DirectoryURL: dirURL}, Probe: p})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

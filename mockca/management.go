package mockca

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// managementRoutes serves the management API: plain HTTP, JSON bodies,
// behind a bearer token when Config.ManagementToken is set. Paths for
// roots, intermediates and certificate status follow Pebble's management
// interface.
func (s *Server) managementRoutes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /roots/{n}", s.mgmtPEM(func(c chain) []byte { return c.root.der }))
	mux.HandleFunc("GET /intermediates/{n}",
		s.mgmtPEM(func(c chain) []byte { return c.intermediate.der }))
	mux.HandleFunc("GET /tls-root", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-pem-file")
		_, _ = w.Write(s.tlsRootPEM)
	})
	mux.HandleFunc("GET /cert-status-by-serial/{serial}", s.mgmtCertStatus)
	mux.HandleFunc("GET /crls/{n}", s.mgmtCRL)
	mux.HandleFunc("GET /clock", s.mgmtGetClock)
	mux.HandleFunc("POST /clock", s.mgmtSetClock)
	mux.HandleFunc("GET /knobs", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.Knobs())
	})
	mux.HandleFunc("POST /knobs", s.mgmtSetKnobs)
	mux.HandleFunc("POST /reset", func(w http.ResponseWriter, r *http.Request) {
		s.Reset()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /set-renewal-info/", s.mgmtSetRenewalInfo)
	mux.HandleFunc("GET /seed", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, seedBody{Seed: s.Seed()})
	})
	mux.HandleFunc("POST /seed", s.mgmtSetSeed)
	s.credentialRoutes(mux)
	s.misbehaviourRoutes(mux)
	return bearerOnly(s.cfg.ManagementToken, mux)
}

// writeJSON writes v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// mgmtError writes a JSON error.
func mgmtError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// mgmtPEM serves one certificate of chain n as PEM.
func (s *Server) mgmtPEM(pick func(chain) []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(r.PathValue("n"))
		s.pkiMu.RLock()
		defer s.pkiMu.RUnlock()
		if err != nil || n < 0 || n >= len(s.pki.chains) {
			mgmtError(w, http.StatusNotFound, "no such chain")
			return
		}
		w.Header().Set("Content-Type", "application/x-pem-file")
		_, _ = w.Write(pemCert(pick(s.pki.chains[n])))
	}
}

// CertStatus is the management view of an issued certificate.
type CertStatus struct {
	Serial      string     `json:"Serial"`
	Status      string     `json:"Status"` // "Valid" or "Revoked"
	Reason      *int       `json:"Reason,omitempty"`
	RevokedAt   *time.Time `json:"RevokedAt,omitempty"`
	Certificate string     `json:"Certificate"`
}

// CertStatus returns the status of the certificate with the given serial
// (hex, any case) and whether it exists.
func (s *Server) CertStatus(serialHex string) (CertStatus, bool) {
	serial := strings.TrimLeft(strings.ToLower(serialHex), "0")
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	c := s.store.certs[s.store.bySerial[serial]]
	if c == nil {
		return CertStatus{}, false
	}
	st := CertStatus{Serial: c.serial, Status: "Valid", Certificate: string(pemCert(c.der))}
	if c.revoked {
		reason, at := c.reason, c.revokedAt
		st.Status, st.Reason, st.RevokedAt = "Revoked", &reason, &at
	}
	return st, true
}

func (s *Server) mgmtCertStatus(w http.ResponseWriter, r *http.Request) {
	st, ok := s.CertStatus(r.PathValue("serial"))
	if !ok {
		mgmtError(w, http.StatusNotFound, "no certificate with that serial")
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// clockBody is the management clock request and response.
type clockBody struct {
	Now     *time.Time `json:"now,omitempty"`
	Advance string     `json:"advance,omitempty"` // Go duration, e.g. "24h"
}

func (s *Server) mgmtGetClock(w http.ResponseWriter, r *http.Request) {
	now := s.clock.Now()
	writeJSON(w, http.StatusOK, clockBody{Now: &now})
}

func (s *Server) mgmtSetClock(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.clock.(SettableClock)
	if !ok {
		mgmtError(w, http.StatusConflict, "the configured clock cannot be set")
		return
	}
	var b clockBody
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&b); err != nil {
		mgmtError(w, http.StatusBadRequest, "body must be {\"now\": RFC3339} or {\"advance\": duration}")
		return
	}
	d, err := time.ParseDuration(b.Advance)
	if b.Advance != "" && err != nil {
		mgmtError(w, http.StatusBadRequest, "advance: "+err.Error())
		return
	}
	if b.Now != nil {
		sc.Set(*b.Now)
	}
	sc.Advance(d)
	s.mgmtGetClock(w, r)
}

func (s *Server) mgmtSetKnobs(w http.ResponseWriter, r *http.Request) {
	k := s.Knobs()
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&k); err != nil {
		mgmtError(w, http.StatusBadRequest, "knobs: "+err.Error())
		return
	}
	s.SetKnobs(k)
	writeJSON(w, http.StatusOK, k)
}

// setRenewalInfoBody is Pebble's set-renewal-info request.
type setRenewalInfoBody struct {
	Serial      string          `json:"serial"`
	ARIResponse json.RawMessage `json:"ariResponse"`
}

func (s *Server) mgmtSetRenewalInfo(w http.ResponseWriter, r *http.Request) {
	var b setRenewalInfoBody
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&b); err != nil {
		mgmtError(w, http.StatusBadRequest, "body: "+err.Error())
		return
	}
	if !s.setRenewalInfo(b.Serial, b.ARIResponse) {
		mgmtError(w, http.StatusNotFound, "no certificate with that serial")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) mgmtCRL(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil {
		mgmtError(w, http.StatusNotFound, "no such chain")
		return
	}
	der, err := s.CRL(n)
	if err != nil {
		mgmtError(w, http.StatusNotFound, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/pkix-crl")
	_, _ = w.Write(der)
}

// seedBody is the management view of the knobs' seed.
type seedBody struct {
	Seed int64 `json:"seed"`
}

func (s *Server) mgmtSetSeed(w http.ResponseWriter, r *http.Request) {
	var b seedBody
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&b); err != nil {
		mgmtError(w, http.StatusBadRequest, "body must be {\"seed\": integer}")
		return
	}
	s.SetSeed(b.Seed)
	writeJSON(w, http.StatusOK, b)
}

package dnsmock

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"time"

	"github.com/miekg/dns"
)

const maxAPIBody = 1 << 20

// startAPI binds the management API. Caller holds s.mu.
func (s *Server) startAPI() error {
	if err := s.cfg.checkAPIAddr(); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", s.cfg.APIAddr)
	if err != nil {
		return fmt.Errorf("listen API: %w", err)
	}
	s.api = &http.Server{Handler: s.APIHandler(), ReadHeaderTimeout: 10 * time.Second}
	s.apiURL = "http://" + ln.Addr().String()
	go func() {
		if err := s.api.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("dnsmock: API stopped", "err", err)
		}
	}()
	return nil
}

// APIHandler returns the management API, for mounting on a caller's own
// HTTP server; with Config.APIToken set it requires that bearer token.
// Native endpoints:
//
//	GET    /records?name=N              records at N, zone-file lines
//	POST   /records {"records":[...]}   add zone-file lines
//	DELETE /records?name=N[&type=T]     clear one type or all
//	POST   /ttl {"name","type","ttl"}   set the TTL of a record set
//	POST   /faults {"name","kind","qtype","delay"}   inject a fault
//	DELETE /faults[?name=N]             clear one fault or all
//	POST   /failure-rate {"rate"}       random SERVFAIL share
//	GET    /history[?name=N&type=T]     queries received
//	DELETE /history[?name=N]            forget queries
//	GET    /updates                     RFC 2136 updates received
//
// plus the endpoints of Pebble's challenge test server (see pebble.go).
func (s *Server) APIHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /records", s.apiListRecords)
	mux.HandleFunc("POST /records", s.apiAddRecords)
	mux.HandleFunc("DELETE /records", s.apiClearRecords)
	mux.HandleFunc("POST /ttl", s.apiSetTTL)
	mux.HandleFunc("POST /faults", s.apiSetFault)
	mux.HandleFunc("DELETE /faults", s.apiClearFault)
	mux.HandleFunc("POST /failure-rate", s.apiFailureRate)
	mux.HandleFunc("GET /history", s.apiHistory)
	mux.HandleFunc("DELETE /history", s.apiClearHistory)
	mux.HandleFunc("GET /updates", s.apiUpdates)
	s.pebbleRoutes(mux)
	return bearerOnly(s.cfg.APIToken, mux)
}

func (s *Server) apiListRecords(w http.ResponseWriter, r *http.Request) {
	rrs, err := s.Records(r.URL.Query().Get("name"))
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	lines := make([]string, 0, len(rrs))
	for _, rr := range rrs {
		lines = append(lines, rr.String())
	}
	writeJSON(w, map[string][]string{"records": lines})
}

func (s *Server) apiAddRecords(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Records []string `json:"records"`
	}
	if !decode(w, r, &body) {
		return
	}
	for _, line := range body.Records {
		if err := s.AddRR(line); err != nil {
			writeError(w, http.StatusBadRequest, err)
			return
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiClearRecords(w http.ResponseWriter, r *http.Request) {
	t, err := parseType(r.URL.Query().Get("type"), dns.TypeANY)
	if err == nil {
		err = s.Clear(r.URL.Query().Get("name"), t)
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiSetTTL(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name string `json:"name"`
		Type string `json:"type"`
		TTL  uint32 `json:"ttl"`
	}
	if !decode(w, r, &body) {
		return
	}
	t, err := parseType(body.Type, 0)
	if err == nil {
		err = s.SetTTL(body.Name, t, body.TTL)
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiSetFault(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name  string    `json:"name"`
		Kind  FaultKind `json:"kind"`
		Qtype string    `json:"qtype"`
		Delay string    `json:"delay"`
	}
	if !decode(w, r, &body) {
		return
	}
	f := Fault{Kind: body.Kind}
	t, err := parseType(body.Qtype, 0)
	f.Qtype = t
	if err == nil && body.Delay != "" {
		f.Delay, err = time.ParseDuration(body.Delay)
	}
	if err == nil {
		err = s.SetFault(body.Name, f)
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiClearFault(w http.ResponseWriter, r *http.Request) {
	if err := s.ClearFault(r.URL.Query().Get("name")); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiFailureRate(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Rate float64 `json:"rate"`
	}
	if !decode(w, r, &body) {
		return
	}
	if err := s.SetFailureRate(body.Rate); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiHistory(w http.ResponseWriter, r *http.Request) {
	t, err := parseType(r.URL.Query().Get("type"), 0)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	events := s.History(r.URL.Query().Get("name"), t)
	if events == nil {
		events = []QueryEvent{}
	}
	writeJSON(w, map[string][]QueryEvent{"queries": events})
}

func (s *Server) apiClearHistory(w http.ResponseWriter, r *http.Request) {
	s.ClearHistory(r.URL.Query().Get("name"))
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiUpdates(w http.ResponseWriter, _ *http.Request) {
	events := s.Updates()
	if events == nil {
		events = []UpdateEvent{}
	}
	writeJSON(w, map[string][]UpdateEvent{"updates": events})
}

// parseType reads a type mnemonic ("TXT") or number; "" gives def.
func parseType(v string, def uint16) (uint16, error) {
	if v == "" {
		return def, nil
	}
	if t, ok := dns.StringToType[v]; ok {
		return t, nil
	}
	if n, err := strconv.ParseUint(v, 10, 16); err == nil {
		return uint16(n), nil
	}
	return 0, fmt.Errorf("%w: unknown type %q", ErrBadRecord, v)
}

func parseAddrs(in []string) ([]netip.Addr, error) {
	out := make([]netip.Addr, 0, len(in))
	for _, v := range in {
		a, err := netip.ParseAddr(v)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrBadRecord, err)
		}
		out = append(out, a)
	}
	return out, nil
}

// decode reads a JSON body; on failure it answers 400 and returns false.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxAPIBody)
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, fmt.Errorf("decode JSON body: %w", err))
		return false
	}
	return true
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
}

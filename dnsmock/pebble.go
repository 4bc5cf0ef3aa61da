package dnsmock

import (
	"context"
	"errors"
	"net/http"
	"net/netip"

	"github.com/miekg/dns"
)

// pebbleHost is the body most challenge-test-server endpoints take.
type pebbleHost struct {
	Host      string   `json:"host"`
	Value     string   `json:"value"`
	Target    string   `json:"target"`
	Addresses []string `json:"addresses"`
	Type      string   `json:"type"`
	Policies  []struct {
		Flag  uint8  `json:"flag"`
		Tag   string `json:"tag"`
		Value string `json:"value"`
	} `json:"policies"`
}

// pebbleDNSEvent is one entry of /dns-request-history: the question under
// the field name Pebble uses, plus this server's own fields.
type pebbleDNSEvent struct {
	Question dns.Question
	QueryEvent
}

var errNoResponder = errors.New("dnsmock: no http-01 responder configured")

// pebbleRoutes mounts the endpoints of Pebble's challenge test server, so
// setups written for it can switch. Every one takes a JSON POST body.
func (s *Server) pebbleRoutes(mux *http.ServeMux) {
	hostOp := map[string]func(pebbleHost) error{
		"/set-txt": func(b pebbleHost) error {
			return s.AddTXT(context.Background(), b.Host, b.Value)
		},
		"/clear-txt": func(b pebbleHost) error { return s.Clear(b.Host, dns.TypeTXT) },
		"/add-a":     func(b pebbleHost) error { return s.addPebbleAddrs(b, s.AddA) },
		"/add-aaaa":  func(b pebbleHost) error { return s.addPebbleAddrs(b, s.AddAAAA) },
		"/clear-a":   func(b pebbleHost) error { return s.Clear(b.Host, dns.TypeA) },
		"/clear-aaaa": func(b pebbleHost) error {
			return s.Clear(b.Host, dns.TypeAAAA)
		},
		"/add-caa":        s.addPebbleCAA,
		"/clear-caa":      func(b pebbleHost) error { return s.Clear(b.Host, dns.TypeCAA) },
		"/set-cname":      func(b pebbleHost) error { return s.SetCNAME(b.Host, b.Target) },
		"/clear-cname":    func(b pebbleHost) error { return s.Clear(b.Host, dns.TypeCNAME) },
		"/set-servfail":   func(b pebbleHost) error { return s.SetFault(b.Host, servfail) },
		"/clear-servfail": func(b pebbleHost) error { return s.ClearFault(b.Host) },
	}
	for path, op := range hostOp {
		mux.HandleFunc("POST "+path, func(w http.ResponseWriter, r *http.Request) {
			var b pebbleHost
			if !decode(w, r, &b) {
				return
			}
			if err := op(b); err != nil {
				writeError(w, http.StatusBadRequest, err)
			}
		})
	}
	mux.HandleFunc("POST /set-default-ipv4", s.pebbleDefaultIP(s.SetDefaultIPv4))
	mux.HandleFunc("POST /set-default-ipv6", s.pebbleDefaultIP(s.SetDefaultIPv6))
	mux.HandleFunc("POST /dns-request-history", s.pebbleHistory)
	mux.HandleFunc("POST /clear-request-history", s.pebbleClearHistory)
	mux.HandleFunc("POST /add-http01", s.pebbleHTTP01(true))
	mux.HandleFunc("POST /del-http01", s.pebbleHTTP01(false))
}

var servfail = Fault{Kind: FaultServfail}

func (s *Server) addPebbleAddrs(b pebbleHost, add func(string, ...netip.Addr) error) error {
	ips, err := parseAddrs(b.Addresses)
	if err != nil {
		return err
	}
	return add(b.Host, ips...)
}

func (s *Server) addPebbleCAA(b pebbleHost) error {
	for _, p := range b.Policies {
		if err := s.AddCAA(b.Host, p.Flag, p.Tag, p.Value); err != nil {
			return err
		}
	}
	return nil
}

func (s *Server) pebbleDefaultIP(set func(netip.Addr) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var b struct {
			IP string `json:"ip"`
		}
		if !decode(w, r, &b) {
			return
		}
		var a netip.Addr
		var err error
		if b.IP != "" {
			a, err = netip.ParseAddr(b.IP)
		}
		if err == nil {
			err = set(a)
		}
		if err != nil {
			writeError(w, http.StatusBadRequest, err)
		}
	}
}

func (s *Server) pebbleHistory(w http.ResponseWriter, r *http.Request) {
	var b pebbleHost
	if !decode(w, r, &b) {
		return
	}
	out := []pebbleDNSEvent{}
	for _, ev := range s.History(b.Host, 0) {
		q := dns.Question{Name: ev.Name, Qtype: dns.StringToType[ev.Type], Qclass: dns.ClassINET}
		out = append(out, pebbleDNSEvent{Question: q, QueryEvent: ev})
	}
	writeJSON(w, out)
}

func (s *Server) pebbleClearHistory(w http.ResponseWriter, r *http.Request) {
	var b pebbleHost
	if !decode(w, r, &b) {
		return
	}
	if b.Type != "dns" {
		writeError(w, http.StatusBadRequest,
			errors.New("only the dns request history is kept here"))
		return
	}
	s.ClearHistory(b.Host)
}

func (s *Server) pebbleHTTP01(add bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var b struct {
			Token   string `json:"token"`
			Content string `json:"content"`
		}
		if !decode(w, r, &b) {
			return
		}
		if s.http01 == nil {
			writeError(w, http.StatusConflict, errNoResponder)
			return
		}
		var err error
		if add {
			err = s.http01.AddToken(r.Context(), b.Token, b.Content)
		} else {
			err = s.http01.RemoveToken(r.Context(), b.Token)
		}
		if err != nil {
			writeError(w, http.StatusBadRequest, err)
		}
	}
}

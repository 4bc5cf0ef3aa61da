package dnsmock

import (
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
)

// QueryEvent records one question the server received.
type QueryEvent struct {
	// Time is when the query arrived (Config.Now).
	Time time.Time `json:"time"`
	// Name is the question name, lowercased and fully qualified.
	Name string `json:"name"`
	// Type is the question type, e.g. "TXT".
	Type string `json:"type"`
	// Proto is "udp" or "tcp".
	Proto string `json:"proto"`
	// Remote is the client's address.
	Remote string `json:"remote"`
	// Rcode is the response code sent, e.g. "NOERROR"; "" when no answer
	// was sent (FaultNoAnswer).
	Rcode string `json:"rcode"`
	// Fault names the fault applied, if any.
	Fault FaultKind `json:"fault,omitempty"`
}

// history is a bounded log of queries.
type history struct {
	mu     sync.Mutex
	limit  int
	events []QueryEvent
}

func (h *history) record(ev QueryEvent) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.events) >= h.limit {
		// Drop a tenth at once so a full log costs O(1) per query, amortised.
		drop := len(h.events) - h.limit + max(1, h.limit/10)
		h.events = append(h.events[:0], h.events[drop:]...)
	}
	h.events = append(h.events, ev)
}

func (h *history) list(name string, qtype uint16) []QueryEvent {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []QueryEvent
	for _, ev := range h.events {
		if name != "" && ev.Name != name {
			continue
		}
		if qtype != 0 && ev.Type != dns.TypeToString[qtype] {
			continue
		}
		out = append(out, ev)
	}
	return out
}

func (h *history) clear(name string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if name == "" {
		h.events = nil
		return
	}
	kept := h.events[:0]
	for _, ev := range h.events {
		if ev.Name != name {
			kept = append(kept, ev)
		}
	}
	h.events = kept
}

// History returns the queries received for name (every name when "") of
// type qtype (every type when 0), oldest first.
func (s *Server) History(name string, qtype uint16) []QueryEvent {
	return s.hist.list(historyKey(name), qtype)
}

// ClearHistory forgets the queries for name, or every query when name is "".
func (s *Server) ClearHistory(name string) {
	s.hist.clear(historyKey(name))
}

func historyKey(name string) string {
	if name == "" {
		return ""
	}
	return strings.ToLower(dns.Fqdn(name))
}

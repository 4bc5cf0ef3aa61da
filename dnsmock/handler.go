package dnsmock

import (
	"net"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// exchange carries one request through the handler.
type exchange struct {
	w      dns.ResponseWriter
	req    *dns.Msg
	proto  string
	remote string
	start  time.Time
}

// ServeDNS answers one request. It implements dns.Handler, so the server can
// also be mounted on a caller's own dns.Server.
func (s *Server) ServeDNS(w dns.ResponseWriter, req *dns.Msg) {
	ex := &exchange{w: w, req: req, proto: "udp", start: s.cfg.Now()}
	if a := w.RemoteAddr(); a != nil {
		ex.remote = a.String()
		if _, ok := a.(*net.TCPAddr); ok {
			ex.proto = "tcp"
		}
	}
	if req.Response {
		return // never answer answers
	}
	if req.IsTsig() != nil && w.TsigStatus() != nil {
		s.writeTSIGError(ex, w.TsigStatus())
		return
	}
	if opt := req.IsEdns0(); opt != nil && opt.Version() != 0 {
		// RFC 6891 §6.1.3: unknown EDNS version gets BADVERS with our OPT.
		m := new(dns.Msg).SetRcode(req, dns.RcodeBadVers)
		s.finish(ex, m)
		return
	}
	switch req.Opcode {
	case dns.OpcodeQuery:
		s.serveQuery(ex)
	case dns.OpcodeUpdate:
		s.serveUpdate(ex)
	default:
		s.finish(ex, new(dns.Msg).SetRcode(req, dns.RcodeNotImplemented))
	}
}

func (s *Server) serveQuery(ex *exchange) {
	if len(ex.req.Question) != 1 {
		s.finish(ex, new(dns.Msg).SetRcode(ex.req, dns.RcodeFormatError))
		return
	}
	q := ex.req.Question[0]
	name := strings.ToLower(q.Name)
	ev := QueryEvent{Time: ex.start, Name: name, Type: typeString(q.Qtype),
		Proto: ex.proto, Remote: ex.remote}

	m, ok := s.answerFault(ex, q, &ev)
	if !ok {
		s.recordQuery(ev)
		return
	}
	if m == nil {
		m = s.answer(ex.req, q)
	}
	ev.Rcode = dns.RcodeToString[m.Rcode]
	s.recordQuery(ev) // before the reply, so a client that got it sees it logged
	s.finish(ex, m)
}

// answer builds the normal reply to one question.
func (s *Server) answer(req *dns.Msg, q dns.Question) *dns.Msg {
	m := new(dns.Msg).SetReply(req)
	m.Authoritative = true
	if q.Qclass != dns.ClassINET && q.Qclass != dns.ClassANY {
		m.Rcode = dns.RcodeRefused
		return m
	}
	if q.Qtype == dns.TypeAXFR || q.Qtype == dns.TypeIXFR {
		m.Rcode = dns.RcodeRefused // zone transfers are not offered
		return m
	}
	res := s.st.resolve(q.Name, q.Qtype, s.cfg.TTL)
	m.Rcode = res.rcode
	m.Answer = res.answer
	m.Ns = res.ns
	return m
}

// answerFault applies the fault of the question's name. It returns the
// reply to send (nil for the normal answer) and false when nothing is sent.
func (s *Server) answerFault(ex *exchange, q dns.Question, ev *QueryEvent) (*dns.Msg, bool) {
	f, ok := s.faults.pick(strings.ToLower(q.Name), q.Qtype)
	if !ok {
		return nil, true
	}
	ev.Fault = f.Kind
	switch f.Kind {
	case FaultNoAnswer:
		return nil, false
	case FaultDelay:
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-s.done:
			return nil, false
		}
		return nil, true
	case FaultServfail:
		return new(dns.Msg).SetRcode(ex.req, dns.RcodeServerFailure), true
	case FaultRefused:
		return new(dns.Msg).SetRcode(ex.req, dns.RcodeRefused), true
	case FaultNXDomain:
		m := s.answer(ex.req, q)
		m.Rcode, m.Answer = dns.RcodeNameError, nil
		return m, true
	case FaultTruncate:
		if ex.proto == "udp" {
			m := new(dns.Msg).SetReply(ex.req)
			m.Authoritative, m.Truncated = true, true
			return m, true
		}
	}
	return nil, true
}

// finish adds EDNS0, truncates for UDP, signs with TSIG when the request
// was signed, and writes the reply.
func (s *Server) finish(ex *exchange, m *dns.Msg) {
	m.Compress = true
	size := dns.MinMsgSize // RFC 1035 §4.2.1: 512 octets without EDNS0
	if opt := ex.req.IsEdns0(); opt != nil {
		// RFC 6891 §6.1.1: answer EDNS with EDNS, echo the DO bit.
		m.SetEdns0(ednsBufferSize, opt.Do())
		size = max(dns.MinMsgSize, min(int(opt.UDPSize()), ednsBufferSize))
	}
	if ex.proto == "udp" {
		m.Truncate(size) // sets TC when records had to go (RFC 2181 §9)
	} else {
		m.Truncate(dns.MaxMsgSize)
	}
	if t := ex.req.IsTsig(); t != nil {
		m.SetTsig(t.Hdr.Name, t.Algorithm, 300, s.cfg.Now().Unix())
	}
	if err := ex.w.WriteMsg(m); err != nil {
		s.log.Debug("dnsmock: write reply", "err", err, "remote", ex.remote)
	}
}

func (s *Server) recordQuery(ev QueryEvent) {
	s.hist.record(ev)
	if s.cfg.OnQuery != nil {
		s.cfg.OnQuery(ev)
	}
}

func typeString(t uint16) string {
	if v, ok := dns.TypeToString[t]; ok {
		return v
	}
	return dns.Type(t).String()
}

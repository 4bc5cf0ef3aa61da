package mockca

import (
	"context"
	"sync"

	"github.com/miekg/dns"
)

// maxIdleDNSConns bounds the UDP sockets kept for later queries.
const maxIdleDNSConns = 16

// dnsConns keeps UDP sockets to the configured DNS server between
// queries. A validation makes half a dozen queries (A, AAAA, CAA up the
// tree); a socket of its own for each cost more than answering them.
// Only a socket whose exchange succeeded is kept, so none holds a late
// answer to an earlier question (and the client skips answers whose ID
// does not match anyway).
type dnsConns struct {
	mu     sync.Mutex
	idle   []*dns.Conn
	closed bool
}

// exchange sends m over a kept socket, or a new one, and keeps the socket
// when the exchange succeeds.
func (p *dnsConns) exchange(ctx context.Context, c *dns.Client, m *dns.Msg,
	addr string) (*dns.Msg, error) {
	conn := p.get()
	if conn == nil {
		var err error
		if conn, err = c.DialContext(ctx, addr); err != nil {
			return nil, err
		}
	}
	r, _, err := c.ExchangeWithConnContext(ctx, m, conn)
	if err != nil {
		conn.Close()
		return nil, err
	}
	p.put(conn)
	return r, nil
}

func (p *dnsConns) get() *dns.Conn {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		return c
	}
	return nil
}

func (p *dnsConns) put(c *dns.Conn) {
	p.mu.Lock()
	if !p.closed && len(p.idle) < maxIdleDNSConns {
		p.idle = append(p.idle, c)
		c = nil
	}
	p.mu.Unlock()
	if c != nil {
		c.Close()
	}
}

// close closes the kept sockets (Server.Close).
func (p *dnsConns) close() {
	p.mu.Lock()
	idle := p.idle
	p.idle, p.closed = nil, true
	p.mu.Unlock()
	for _, c := range idle {
		c.Close()
	}
}

// Package ports finds loopback TCP ports for servers the harness's clients
// start, outside the range the kernel hands out to outgoing connections.
//
// A port from "127.0.0.1:0" is an ephemeral port: later, an outgoing
// connection may take it, or the port next to it, as its local port, and a
// client told to listen there then fails with "address in use". A client
// such as Caddy listens on a block of ports (http-01, HTTPS, its admin
// endpoint), so the block must stay free for the whole run.
package ports

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
)

// Default bounds of the search when the kernel's ephemeral range cannot
// be read: below Linux's default range (32768-60999).
const (
	low           = 20000
	defaultHigh   = 32768
	rangeFile     = "/proc/sys/net/ipv4/ip_local_port_range"
	probesAllowed = 2000
)

// Block returns the first port p such that p to p+n-1 all accept a
// listener on 127.0.0.1 at this moment, searching below the ephemeral
// range from a start that depends on the process id, so that processes
// running side by side start their searches apart.
func Block(n int) (int, error) {
	if n < 1 {
		return 0, fmt.Errorf("ports: a block of %d ports", n)
	}
	high := ephemeralStart()
	span := high - low - n
	if span <= 0 {
		return 0, fmt.Errorf("ports: no room below the ephemeral range (starts at %d)", high)
	}
	start := os.Getpid() * 97 % span
	for i := range min(span, probesAllowed) {
		p := low + (start+i*n)%span
		if free(p, n) {
			return p, nil
		}
	}
	return 0, fmt.Errorf("ports: no %d free ports in a row between %d and %d", n, low, high)
}

// ephemeralStart reads the start of the kernel's ephemeral port range.
func ephemeralStart() int {
	b, err := os.ReadFile(rangeFile)
	if err != nil {
		return defaultHigh
	}
	f := strings.Fields(string(b))
	if len(f) < 1 {
		return defaultHigh
	}
	v, err := strconv.Atoi(f[0])
	if err != nil || v <= low {
		return defaultHigh
	}
	return v
}

// free reports whether ports p to p+n-1 all accept a listener now.
func free(p, n int) bool {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			_ = l.Close()
		}
	}()
	for q := p; q < p+n; q++ {
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(q)))
		if err != nil {
			return false
		}
		ls = append(ls, l)
	}
	return true
}

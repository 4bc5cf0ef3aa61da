package ports

import (
	"fmt"
	"net"
)

// Free returns n distinct loopback TCP ports that were free a moment ago,
// for a server the caller starts next (a child process, a test server).
// They are ephemeral ports; a client that must keep a block of ports free
// for a whole run takes it from Block instead.
func Free(n int) ([]int, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			_ = l.Close()
		}
	}()
	ports := make([]int, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("reserve port: %w", err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

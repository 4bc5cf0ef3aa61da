package clients

import (
	"fmt"
	"net"
	"net/http"
	"time"
)

// serveWebroot serves dir over plain HTTP on 127.0.0.1:port, as the web
// server a webroot client would sit behind (RFC 8555 §8.3 fetches
// /.well-known/acme-challenge/TOKEN). It returns a function that stops it.
func serveWebroot(dir string, port int) (func(), error) {
	if port <= 0 {
		return nil, fmt.Errorf("serve webroot: port %d", port)
	}
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return nil, fmt.Errorf("serve webroot: %w", err)
	}
	srv := &http.Server{
		Handler:           http.FileServer(http.Dir(dir)),
		ReadHeaderTimeout: 10 * time.Second,
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln) // ends with http.ErrServerClosed on stop
	}()
	return func() {
		_ = srv.Close()
		<-done
	}, nil
}

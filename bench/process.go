package bench

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// target is an ACME server running as a child process.
type target struct {
	name    string // "mockca" or "pebble"
	dirURL  string
	mgmtURL string // plain-HTTP management base; "" when there is none
	dnsAddr string // the DNS server inside the process; "" when none
	pool    *x509.CertPool
	rootPEM string // file holding the HTTPS trust anchor
	startup time.Duration
	cmd     *exec.Cmd
	log     *os.File
}

// pid returns the process id of the server.
func (t *target) pid() int { return t.cmd.Process.Pid }

// stop interrupts the server, then kills it if it has not exited within
// two seconds.
func (t *target) stop() {
	if t.cmd == nil || t.cmd.Process == nil {
		return
	}
	_ = t.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = t.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		_ = t.cmd.Process.Kill()
		<-done
	}
	if t.log != nil {
		_ = t.log.Close()
	}
}

// launch starts cmd with its output in dir/name.log and waits until ready
// succeeds, returning the time from start to that success.
func launch(ctx context.Context, cmd *exec.Cmd, dir, name string,
	ready func(context.Context) error) (*os.File, time.Duration, error) {
	log, err := os.Create(filepath.Join(dir, name+".log"))
	if err != nil {
		return nil, 0, err
	}
	cmd.Stdout, cmd.Stderr = log, log
	// A server must not outlive the benchmark, even one killed outright.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, 0, fmt.Errorf("start %s: %w", name, err)
	}
	if err := poll(ctx, 20*time.Second, ready); err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		log.Close()
		return nil, 0, fmt.Errorf("%s did not answer: %w", name, err)
	}
	return log, time.Since(start), nil
}

// poll calls ready every millisecond until it succeeds or within passes.
func poll(ctx context.Context, within time.Duration, ready func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	for {
		err := ready(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return errors.Join(ctx.Err(), err)
		case <-time.After(time.Millisecond):
		}
	}
}

// httpReady succeeds when url answers 200. It does not check the
// certificate: the trust anchor may not be written yet.
func httpReady(url string) func(context.Context) error {
	hc := &http.Client{Timeout: time.Second, Transport: &http.Transport{
		TLSClientConfig:   &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // readiness only
		DisableKeepAlives: true,
	}}
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("%s: HTTP %d", url, resp.StatusCode)
		}
		return nil
	}
}

// loadPool reads a PEM trust anchor file into a pool.
func loadPool(file string) (*x509.CertPool, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("no certificate in %s", file)
	}
	return pool, nil
}

// splitPort returns the host and numeric port of addr.
func splitPort(addr string) (string, int, error) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, err
	}
	n, err := strconv.Atoi(p)
	return host, n, err
}

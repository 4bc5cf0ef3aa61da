package mockca

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"

	"acmeconform/acme"
)

// http01MaxRedirects bounds the redirects followed (RFC 8555 §8.3 lets the
// server follow them; the bound keeps a loop from hanging validation).
const http01MaxRedirects = 10

// http01BodyLimit is how much of the response body is read.
const http01BodyLimit = 1024

// httpValidator returns the client http-01 validation uses: names resolve
// through the configured DNS server and port 80 maps to HTTP01Port.
func (s *Server) httpValidator() *http.Client {
	dialer := &net.Dialer{}
	tr := &http.Transport{
		DisableKeepAlives: true,
		// Certificates of https redirect targets are not checked, as the
		// token, not the TLS identity, is what http-01 proves.
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return s.dialName(ctx, dialer, addr)
		},
	}
	return &http.Client{
		Transport: tr,
		CheckRedirect: func(r *http.Request, via []*http.Request) error {
			if len(via) >= http01MaxRedirects {
				return acme.NewProblem(acme.ProblemConnection, "more than %d redirects",
					http01MaxRedirects)
			}
			if r.URL.Scheme != "http" && r.URL.Scheme != "https" {
				return acme.NewProblem(acme.ProblemConnection,
					"redirect to unsupported scheme %q", r.URL.Scheme)
			}
			return nil
		},
	}
}

// dialName resolves the host of addr through the CA's DNS server and dials
// the first address that answers.
func (s *Server) dialName(ctx context.Context, d *net.Dialer, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if port == "80" {
		port = strconv.Itoa(s.cfg.HTTP01Port)
	}
	ips, p := s.resolveHost(ctx, host)
	if p != nil {
		return nil, p
	}
	var last error
	for _, ip := range ips {
		c, err := d.DialContext(ctx, "tcp", netip.AddrPortFrom(ip, mustPort(port)).String())
		if err == nil {
			return c, nil
		}
		last = err
	}
	return nil, acme.NewProblem(acme.ProblemConnection, "connect to %s: %v", host, last)
}

// mustPort parses a port number, 0 when it is not one.
func mustPort(p string) uint16 {
	n, _ := strconv.ParseUint(p, 10, 16)
	return uint16(n)
}

// validateHTTP01 fetches http://NAME/.well-known/acme-challenge/TOKEN and
// compares the body, trailing whitespace removed, with the key
// authorization (RFC 8555 §8.3).
func (s *Server) validateHTTP01(ctx context.Context, job validationJob) *acme.Problem {
	host := job.ident.Value
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	url := fmt.Sprintf("http://%s/.well-known/acme-challenge/%s", host, job.token)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return acme.NewProblem(acme.ProblemServerInternal, "build request: %v", err)
	}
	req.Header.Set("User-Agent", "mockca-validator")
	resp, err := s.httpClient.Do(req)
	if err != nil {
		var p *acme.Problem
		if errors.As(err, &p) {
			return p
		}
		return acme.NewProblem(acme.ProblemConnection, "fetch %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, http01BodyLimit))
	if err != nil {
		return acme.NewProblem(acme.ProblemConnection, "read %s: %v", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return acme.NewProblem(acme.ProblemUnauthorized, "fetch %s: HTTP %d", url, resp.StatusCode)
	}
	if strings.TrimRight(string(body), " \t\r\n") != job.keyAuth {
		return acme.NewProblem(acme.ProblemIncorrectResponse,
			"the body at %s is not the key authorization", url)
	}
	return nil
}

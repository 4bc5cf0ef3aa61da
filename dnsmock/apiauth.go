package dnsmock

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
)

// errNoAPIToken refuses a management API off loopback that anyone on the
// network could drive.
var errNoAPIToken = errors.New("an API listener off loopback needs an APIToken")

// checkAPIAddr allows the API listener on loopback, anywhere with a token,
// or anywhere when the configuration explicitly opts out.
func (c Config) checkAPIAddr() error {
	if c.APIToken != "" || c.UnprotectedAPI {
		return nil
	}
	host, _, err := net.SplitHostPort(c.APIAddr)
	if err != nil {
		return fmt.Errorf("API address %q: %w", c.APIAddr, err)
	}
	if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
		return nil
	}
	return fmt.Errorf("%w: %q is not loopback", errNoAPIToken, c.APIAddr)
}

// bearerOnly passes requests carrying "Authorization: Bearer token"
// (RFC 6750 §2.1) to h and answers the rest 401. An empty token passes
// every request. The comparison takes the same time whatever matches.
func bearerOnly(token string, h http.Handler) http.Handler {
	if token == "" {
		return h
	}
	want := []byte(token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="dnsmock"`)
			writeError(w, http.StatusUnauthorized, errors.New("bearer token required"))
			return
		}
		h.ServeHTTP(w, r)
	})
}

package mockca

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// errNoManagementToken refuses a management listener off loopback that
// anyone on the network could drive.
var errNoManagementToken = errors.New("a management listener off loopback needs a ManagementToken")

// checkManagementAddr allows the management listener on loopback, or
// anywhere when a token protects it.
func (s *Server) checkManagementAddr() error {
	err := requireLoopback(s.cfg.ManagementAddr)
	if err == nil || s.cfg.ManagementToken != "" {
		return nil
	}
	return fmt.Errorf("%w: %w", errNoManagementToken, err)
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
			w.Header().Set("WWW-Authenticate", `Bearer realm="mockca management"`)
			mgmtError(w, http.StatusUnauthorized, "management API: bearer token required")
			return
		}
		h.ServeHTTP(w, r)
	})
}

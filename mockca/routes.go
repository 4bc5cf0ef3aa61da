package mockca

import "net/http"

// Paths of the ACME resources. Resource URLs are the server's base URL
// followed by these.
const (
	pathDirectory       = "/directory"
	pathPebbleDirectory = "/dir"
	pathNonce           = "/nonce"
	pathNewAccount      = "/new-account"
	pathAccount         = "/account/"
	pathNewOrder        = "/new-order"
	pathOrder           = "/order/"
	pathAuthz           = "/authz/"
	pathChallenge       = "/chall/"
	pathCert            = "/cert/"
	pathRevoke          = "/revoke-cert"
	pathKeyChange       = "/key-change"
	pathRenewalInfo     = "/renewal-info"
)

// routes maps every ACME path to its endpoint, each wrapped in the shared
// rules of RFC 8555 §6.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	add := func(pattern string, ep endpoint) { mux.Handle(pattern, s.wrap(ep)) }
	add(pathDirectory, endpoint{get: s.getDirectory, postAsGet: true})
	// Pebble's directory path, so setups written for Pebble switch without
	// changing their URLs.
	add(pathPebbleDirectory, endpoint{get: s.getDirectory, postAsGet: true})
	add(pathNonce, endpoint{get: s.getNonce, postAsGet: true})
	add(pathNewAccount, endpoint{auth: authJWK, post: s.postNewAccount})
	for _, prefix := range []string{pathAccount, pathAccountElsewhere} {
		only := s.servesAccountPath(prefix)
		add(prefix+"{id}", endpoint{auth: authKID, post: s.postAccount, only: only})
		add(prefix+"{id}/orders", endpoint{auth: authKID, post: s.postOrdersList, only: only})
	}
	add(pathNewOrder, endpoint{auth: authKID, post: s.postNewOrder})
	add(pathOrder+"{id}", endpoint{auth: authKID, post: s.postOrder})
	add(pathOrder+"{id}/finalize", endpoint{auth: authKID, post: s.postFinalize})
	add(pathAuthz+"{id}", endpoint{auth: authKID, post: s.postAuthz})
	add(pathChallenge+"{id}", endpoint{auth: authKID, post: s.postChallenge})
	add(pathCert+"{id}", endpoint{auth: authKID, post: s.postCertificate})
	add(pathCert+"{id}/alt/{n}", endpoint{auth: authKID, post: s.postCertificate})
	add(pathRevoke, endpoint{auth: authEither, post: s.postRevoke})
	add(pathKeyChange, endpoint{auth: authKID, post: s.postKeyChange})
	add(pathRenewalInfo+"/{certid}", endpoint{get: s.getRenewalInfo})
	add("/", endpoint{missing: true})
	return mux
}

// url returns the absolute URL of a resource path.
func (s *Server) url(path string) string { return s.base + path }

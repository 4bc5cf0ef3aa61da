package mockca

import "net/http"

// corsExposed are the response headers a browser-based ACME client must be
// able to read: the nonce, links, the new resource's URL and the polling
// interval (RFC 8555 §6.5, §7.1, §7.3, §8.2).
const corsExposed = "Replay-Nonce, Link, Location, Retry-After"

// setCORS lets browser-based clients use the CA from any origin (RFC 8555
// §6.1: a generally accessible server SHOULD send Access-Control-Allow-
// Origin "*"). Requests carry no cookies, so no credentials are allowed.
func setCORS(h http.Header) {
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", corsExposed)
}

// setPreflight adds what a CORS preflight answer needs beyond setCORS: the
// methods of the endpoint and the Content-Type header a JWS POST sends.
func setPreflight(h http.Header, methods string) {
	h.Set("Access-Control-Allow-Methods", methods)
	h.Set("Access-Control-Allow-Headers", "Content-Type")
	h.Set("Access-Control-Max-Age", "86400")
}

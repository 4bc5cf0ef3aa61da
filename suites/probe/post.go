package probe

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"acmeconform/acme"
)

// Request is one signed POST to an ACME resource (RFC 8555 §6.2).
type Request struct {
	// URL is where the request goes and, unless a variant changes it, the
	// url header value (§6.4).
	URL string
	// Payload is the JSON payload; nil sends the empty payload of a
	// POST-as-GET (§6.3).
	Payload []byte
	// Key signs the request.
	Key *Key
	// KID is the account URL; empty embeds the public key as jwk instead
	// (newAccount, revokeCert by certificate key).
	KID string
	// Variant breaks the request in one way a server must refuse.
	Variant Variant
	// Nonce, when set, is sent instead of one from the pool.
	Nonce string
	// Header adds or overrides protected header members; a nil value
	// removes the member.
	Header map[string]any
	// Accept sets the Accept header (e.g. for certificate downloads).
	Accept string
}

// PostJSON signs v as the payload and sends it.
func (c *Client) PostJSON(ctx context.Context, url string, key *Key, kid string,
	v any) (*Response, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("post %s: encode payload: %w", url, err)
	}
	return c.Post(ctx, Request{URL: url, Payload: b, Key: key, KID: kid})
}

// PostAsGet fetches a resource with a signed empty payload (§6.3).
func (c *Client) PostAsGet(ctx context.Context, url string, key *Key,
	kid string) (*Response, error) {
	return c.Post(ctx, Request{URL: url, Key: key, KID: kid})
}

// Post builds, signs and sends req, applying its variant.
func (c *Client) Post(ctx context.Context, req Request) (*Response, error) {
	if req.Key == nil {
		return nil, errors.New("post: request has no key")
	}
	header, err := c.header(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("post %s: %w", req.URL, err)
	}
	body, err := c.body(req, header)
	if err != nil {
		return nil, fmt.Errorf("post %s: %w", req.URL, err)
	}
	ctype := acme.MediaJOSE
	switch req.Variant {
	case VariantContentTypeJSON:
		ctype = acme.MediaJSON
	case VariantContentTypeMissing:
		ctype = ""
	}
	var h http.Header
	if req.Accept != "" {
		h = http.Header{"Accept": {req.Accept}}
	}
	if n, ok := header["nonce"].(string); ok {
		c.mu.Lock()
		c.lastUsed = n
		c.mu.Unlock()
	}
	resp, err := c.Do(ctx, http.MethodPost, req.URL, ctype, body, h)
	if resp != nil {
		resp.SentNonce, _ = header["nonce"].(string)
	}
	return resp, err
}

// header builds the protected header members other than alg.
func (c *Client) header(ctx context.Context, req Request) (map[string]any, error) {
	h := map[string]any{"url": req.URL}
	if req.KID != "" {
		h["kid"] = req.KID
	} else {
		h["jwk"] = req.Key.JWK()
	}
	var err error
	switch {
	case req.Nonce != "":
		h["nonce"] = req.Nonce
		c.dropNonce(req.Nonce)
	case req.Variant == VariantNonceReused:
		if h["nonce"] = c.LastUsedNonce(); h["nonce"] == "" {
			return nil, errNoUsedNonce
		}
	case req.Variant == VariantNonceMadeUp:
		h["nonce"] = b64([]byte(rand.Text()))
	case req.Variant != VariantNonceMissing:
		h["nonce"], err = c.Nonce(ctx)
	}
	if err != nil {
		return nil, err
	}
	c.applyHeaderVariant(req, h)
	for k, v := range req.Header {
		if v == nil {
			delete(h, k)
		} else {
			h[k] = v
		}
	}
	return h, nil
}

func (c *Client) applyHeaderVariant(req Request, h map[string]any) {
	switch req.Variant {
	case VariantURLMismatch:
		h["url"] = otherURL(req.URL, c.cfg.DirectoryURL)
	case VariantURLMissing:
		delete(h, "url")
	case VariantKIDUnknown:
		h["kid"] = unknownKID(req.KID, c.cfg.DirectoryURL)
		delete(h, "jwk")
	case VariantJWKAndKID:
		h["jwk"] = req.Key.JWK()
		if req.KID == "" {
			h["kid"] = unknownKID("", c.cfg.DirectoryURL)
		}
	case VariantJWKForKID:
		h["jwk"] = req.Key.JWK()
		delete(h, "kid")
	}
}

// body signs the request and applies variants that change the envelope.
func (c *Client) body(req Request, header map[string]any) ([]byte, error) {
	payload := req.Payload
	if req.Variant == VariantOversized {
		payload = pad(payload, c.cfg.OversizeBytes)
	}
	var (
		jws *JWS
		err error
	)
	switch req.Variant {
	case VariantAlgNone:
		jws, err = Unsigned(header, payload)
	case VariantAlgHMAC:
		jws, err = signHMACConfused(req.Key, header, payload)
	case VariantWrongJSONTypes:
		return []byte(`{"protected":42,"payload":["a"],"signature":true}`), nil
	case VariantNotJSON:
		return []byte("this is not a JWS {"), nil
	case VariantUnencodedPayload:
		return unencoded(req.Key, header, payload)
	default:
		jws, err = Sign(req.Key, header, payload)
	}
	if err != nil {
		return nil, err
	}
	switch req.Variant {
	case VariantBadSignature:
		jws.Signature = flipSignature(jws.Signature)
	case VariantBrokenBase64:
		jws.Protected = breakBase64(jws.Protected)
	case VariantPaddedBase64:
		jws.Signature = padBase64(jws.Signature)
	case VariantCompact:
		return []byte(jws.Compact()), nil
	case VariantTwoSignatures:
		return twoSignatures(req.Key, header, payload, jws)
	case VariantUnprotectedHeader:
		return withUnprotected(req.Key, header, payload)
	}
	return jws.Marshal(), nil
}

// pad grows a JSON object payload to at least size bytes with a filler
// member; a nil payload becomes an object holding only the filler.
func pad(payload []byte, size int) []byte {
	obj := map[string]any{}
	if len(payload) > 0 {
		_ = json.Unmarshal(payload, &obj) // non-objects are replaced
	}
	obj["padding"] = strings.Repeat("A", max(size-len(payload), 1))
	b, _ := json.Marshal(obj) // strings and decoded JSON always marshal
	return b
}

func otherURL(url, dir string) string {
	if url != dir {
		return dir
	}
	return dir + "/elsewhere"
}

// unknownKID makes an account URL the server never issued, shaped like kid
// when there is one.
func unknownKID(kid, dir string) string {
	base := dir
	if i := strings.LastIndex(kid, "/"); i > 0 {
		base = kid[:i]
	}
	return base + "/" + strings.ToLower(rand.Text())
}

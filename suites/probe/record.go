package probe

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
)

// Redacted replaces secrets in recorded exchanges.
const Redacted = "[redacted]"

// privateJWKMembers are JWK members that hold private or symmetric key
// material (RFC 7518 §6.2.2, §6.3.2, §6.4.1); they never appear in
// evidence.
var privateJWKMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

// Exchange is one recorded HTTP request and its response, bodies bounded
// and secrets redacted.
type Exchange struct {
	Method         string
	URL            string
	RequestHeader  http.Header
	RequestBody    string
	Status         int
	ResponseHeader http.Header
	ResponseBody   string
	Duration       time.Duration
	Err            string
}

// String renders the exchange as readable text.
func (e Exchange) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "> %s %s\n", e.Method, e.URL)
	writeHeader(&b, "> ", e.RequestHeader)
	if e.RequestBody != "" {
		fmt.Fprintf(&b, ">\n%s\n", indent(e.RequestBody, "> "))
	}
	if e.Err != "" {
		fmt.Fprintf(&b, "< error after %s: %s\n", e.Duration.Round(time.Millisecond), e.Err)
		return b.String()
	}
	fmt.Fprintf(&b, "< HTTP %d (%s)\n", e.Status, e.Duration.Round(time.Millisecond))
	writeHeader(&b, "< ", e.ResponseHeader)
	if e.ResponseBody != "" {
		fmt.Fprintf(&b, "<\n%s\n", indent(e.ResponseBody, "< "))
	}
	return b.String()
}

func writeHeader(b *strings.Builder, prefix string, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			fmt.Fprintf(b, "%s%s: %s\n", prefix, k, v)
		}
	}
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// recorder keeps the newest exchanges. The Client's mutex guards it.
type recorder struct {
	max       int
	bodyLimit int
	secrets   []string
	list      []Exchange
}

func (r *recorder) add(e Exchange) {
	if len(r.list) >= r.max {
		r.list = append(r.list[:0], r.list[1:]...)
	}
	r.list = append(r.list, e)
}

func (r *recorder) clean(s string) string {
	for _, sec := range r.secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, Redacted)
		}
	}
	if len(s) > r.bodyLimit {
		s = s[:r.bodyLimit] + fmt.Sprintf("\n[... %d more bytes]", len(s)-r.bodyLimit)
	}
	return s
}

func (c *Client) record(req *http.Request, body []byte, resp *Response, err error,
	d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := Exchange{
		Method:        req.Method,
		URL:           req.URL.String(),
		RequestHeader: redactHeader(req.Header),
		RequestBody:   c.rec.clean(describeJWS(body)),
		Duration:      d,
	}
	if err != nil {
		e.Err = c.rec.clean(err.Error())
	} else {
		e.Status = resp.Status
		e.ResponseHeader = redactHeader(resp.Header)
		e.ResponseBody = c.rec.clean(string(resp.Body))
	}
	c.rec.add(e)
	c.log.Debug("acme exchange", "method", e.Method, "url", e.URL, "status", e.Status)
}

// AddSecret makes the recorder replace s (e.g. an EAB MAC key, in every
// encoding the caller passes) with Redacted in every later exchange.
func (c *Client) AddSecret(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rec.secrets = append(c.rec.secrets, s)
}

// Exchanges returns a copy of the recorded exchanges, oldest first.
func (c *Client) Exchanges() []Exchange {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Exchange(nil), c.rec.list...)
}

// ResetExchanges forgets the recorded exchanges.
func (c *Client) ResetExchanges() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rec.list = nil
}

// Transcript renders the last n exchanges (all when n <= 0) as text.
func (c *Client) Transcript(n int) string {
	list := c.Exchanges()
	if n > 0 && len(list) > n {
		list = list[len(list)-n:]
	}
	parts := make([]string, len(list))
	for i, e := range list {
		parts[i] = e.String()
	}
	return strings.Join(parts, "\n")
}

func redactHeader(h http.Header) http.Header {
	out := h.Clone()
	for _, k := range []string{"Authorization", "Cookie", "Set-Cookie"} {
		if out.Get(k) != "" {
			out.Set(k, Redacted)
		}
	}
	return out
}

// describeJWS renders a JWS body with its protected header and payload
// decoded, private key members redacted. Other bodies are returned as is.
func describeJWS(body []byte) string {
	var j JWS
	if len(body) == 0 || json.Unmarshal(body, &j) != nil || j.Protected == "" {
		return string(body)
	}
	prot := decodePart(j.Protected)
	payload := decodePart(j.Payload)
	if j.Payload == "" {
		payload = `"" (POST-as-GET)`
	}
	return fmt.Sprintf("protected: %s\npayload: %s\nsignature: %s", prot, payload,
		j.Signature)
}

// decodePart decodes one base64url JWS part into redacted JSON text, or
// says why it could not.
func decodePart(s string) string {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return fmt.Sprintf("%q (not base64url: %v)", s, err)
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return fmt.Sprintf("%q", raw)
	}
	redactJSON(v)
	out, _ := json.Marshal(v) // decoded JSON always marshals
	return string(out)
}

// redactJSON replaces private and symmetric JWK members anywhere in v.
func redactJSON(v any) {
	switch t := v.(type) {
	case map[string]any:
		for _, k := range privateJWKMembers {
			if _, ok := t[k]; ok {
				t[k] = Redacted
			}
		}
		for _, c := range t {
			redactJSON(c)
		}
	case []any:
		for _, c := range t {
			redactJSON(c)
		}
	}
}

package mockca

import (
	"fmt"
	"slices"
	"sort"
	"sync"
)

// Quirk names one robustness scenario: server behaviour RFC 8555 allows
// but clients rarely meet. Unlike a Misbehaviour, a quirk breaks no
// requirement; a conforming client copes with it. Quirks are switched on
// like misbehaviours: Config.Quirks, the management API (/quirks) or per
// account.
type Quirk string

// The quirks.
const (
	QuirkBadNonceFirst    Quirk = "badnonce-on-first-post"
	QuirkUnavailable      Quirk = "neworder-503-retry-after"
	QuirkRateLimitSecs    Quirk = "neworder-429-retry-after-seconds"
	QuirkRateLimitDate    Quirk = "neworder-429-retry-after-date"
	QuirkPrettyJSON       Quirk = "pretty-json-unknown-fields"
	QuirkNoMeta           Quirk = "directory-without-meta"
	QuirkAuthzValid       Quirk = "authorizations-already-valid"
	QuirkCertMediaParam   Quirk = "certificate-media-type-parameters"
	QuirkSlowFinalize     Quirk = "order-processing-3s"
	QuirkAltChains        Quirk = "alternate-chains"
	QuirkAccountElsewhere Quirk = "account-url-unrelated-path"
)

// QuirkInfo describes one quirk and the rule that makes it legal.
type QuirkInfo struct {
	Name        Quirk  `json:"name"`
	Description string `json:"description"`
	Allowed     string `json:"allowed"` // where the RFCs allow it
}

var quirkTable = []QuirkInfo{
	{QuirkBadNonceFirst, "the first signed request of every account key gets badNonce",
		"RFC 8555 §6.5: a server may refuse any nonce; the client retries with the fresh one"},
	{QuirkUnavailable, "the first newOrder of every account gets 503 with Retry-After: 1",
		"RFC 9110 §15.6.4 and §10.2.3: a temporary overload, retried after the delay"},
	{QuirkRateLimitSecs, "the first newOrder of every account gets 429 rateLimited, Retry-After: 1",
		"RFC 8555 §6.6: rate limits with Retry-After in delay-seconds"},
	{QuirkRateLimitDate,
		"the first newOrder of every account gets 429 rateLimited, Retry-After as an HTTP date",
		"RFC 8555 §6.6 and RFC 9110 §10.2.3: Retry-After may be an HTTP-date"},
	{QuirkPrettyJSON, "JSON bodies are indented and carry members clients do not know",
		"RFC 8555 §7.1: clients ignore unknown fields; JSON allows any white space"},
	{QuirkNoMeta, "the directory has no meta object", "RFC 8555 §7.1.1: meta is optional"},
	{QuirkAuthzValid, "new orders come with valid authorizations and are ready at once",
		"RFC 8555 §7.1.3, §7.4: the server may hold earlier validations"},
	{QuirkSlowFinalize, "finalized orders stay processing for 3 seconds",
		"RFC 8555 §7.4: the client polls the order, honouring Retry-After"},
	{QuirkCertMediaParam, "the certificate comes as application/pem-certificate-chain; charset=utf-8",
		"RFC 8555 §7.4.2 and RFC 9110 §8.3.1: media type parameters"},
	{QuirkAltChains, "the certificate links (rel=alternate) to the same leaf under another root",
		"RFC 8555 §7.4.2: the server may offer alternate chains; the client may pick one"},
	{QuirkAccountElsewhere,
		"account URLs live under " + pathAccountElsewhere + ", a path unrelated to newAccount's",
		"RFC 8555 §7.3: the account URL is the Location of the newAccount response"},
}

// Quirks lists every quirk, sorted by name.
func Quirks() []QuirkInfo {
	out := slices.Clone(quirkTable)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ParseQuirks reads a comma-separated list of quirk names.
func ParseQuirks(list string) ([]Quirk, error) {
	var out []Quirk
	for _, f := range splitList(list) {
		if !knownQuirk(f) {
			return nil, fmt.Errorf("unknown quirk %q (docs/misbehaviours.md lists them)", f)
		}
		out = append(out, Quirk(f))
	}
	return out, nil
}

func knownQuirk(n string) bool {
	return slices.ContainsFunc(quirkTable, func(q QuirkInfo) bool { return string(q.Name) == n })
}

// quirks holds the switched-on quirks and the accounts and keys that
// already met the ones that fire once.
type quirks struct {
	switches
	mu   sync.Mutex
	seen map[string]bool // quirk name + "/" + account id or key thumbprint
}

func newQuirks(names []Quirk) (*quirks, error) {
	q := &quirks{seen: map[string]bool{}}
	q.known = knownQuirk
	if err := q.set("", toStrings(names)); err != nil {
		return nil, fmt.Errorf("quirk: %w", err)
	}
	return q, nil
}

// once reports whether quirk name is on for acctID and fires for the
// first time for key.
func (q *quirks) once(name Quirk, acctID, key string) bool {
	if !q.on(string(name), acctID) {
		return false
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	k := string(name) + "/" + key
	if q.seen[k] {
		return false
	}
	q.seen[k] = true
	return true
}

// SetQuirks replaces the quirks switched on for every request.
func (s *Server) SetQuirks(names []Quirk) error { return s.mis.quirks.set("", toStrings(names)) }

// SetAccountQuirks replaces the quirks switched on for one account, named
// by its id or URL.
func (s *Server) SetAccountQuirks(account string, names []Quirk) error {
	id, err := s.accountID(account)
	if err != nil {
		return err
	}
	return s.mis.quirks.set(id, toStrings(names))
}

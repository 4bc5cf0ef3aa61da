package mockca

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Misbehaviour names one deliberate defect the mock CA can be switched
// into. Each breaks exactly one requirement of the catalog, so that a
// conformance suite run against the defective CA proves it notices the
// defect and blames nothing else. A CA with no misbehaviour switched on is
// the well-behaved default.
type Misbehaviour string

// MisbehaviourInfo describes one misbehaviour.
type MisbehaviourInfo struct {
	// Name switches the misbehaviour on (Config.Misbehave, the management
	// API, the --misbehave flag).
	Name Misbehaviour `json:"name"`
	// Requirement is the catalog id of the one requirement it breaks.
	Requirement string `json:"requirement"`
	// Profile is the built-in profile under which the requirement is
	// checked; "" means any profile will do.
	Profile string `json:"profile,omitempty"`
	// Description says in one line what the CA does wrong.
	Description string `json:"description"`
}

// ParseMisbehaviours reads a comma-separated list of misbehaviour names
// ("" is the empty list) and refuses unknown names.
func ParseMisbehaviours(list string) ([]Misbehaviour, error) {
	var out []Misbehaviour
	for _, f := range splitList(list) {
		if _, ok := LookupMisbehaviour(Misbehaviour(f)); !ok {
			return nil, fmt.Errorf("unknown misbehaviour %q (docs/misbehaviours.md lists them)", f)
		}
		out = append(out, Misbehaviour(f))
	}
	return out, nil
}

// splitList splits a comma-separated list, dropping empty entries.
func splitList(list string) []string {
	var out []string
	for _, f := range strings.Split(list, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// LookupMisbehaviour returns the description of the misbehaviour name.
func LookupMisbehaviour(name Misbehaviour) (MisbehaviourInfo, bool) {
	for _, m := range misbehaviourTable {
		if m.Name == name {
			return m, true
		}
	}
	return MisbehaviourInfo{}, false
}

// Misbehaviours lists every misbehaviour, sorted by name.
func Misbehaviours() []MisbehaviourInfo {
	out := slices.Clone(misbehaviourTable)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// switches is a set of named switches that are on for the whole CA or
// for single accounts: the misbehaviours, or the robustness quirks.
type switches struct {
	mu       sync.Mutex
	known    func(string) bool
	global   map[string]bool
	accounts map[string]map[string]bool
	any      bool // fast path: nothing is switched on anywhere
}

// set replaces the switches that are on for acctID ("" for the CA).
func (w *switches) set(acctID string, names []string) error {
	set := map[string]bool{}
	for _, n := range names {
		if !w.known(n) {
			return fmt.Errorf("unknown name %q", n)
		}
		set[n] = true
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case acctID == "":
		w.global = set
	case len(set) == 0:
		delete(w.accounts, acctID)
	default:
		if w.accounts == nil {
			w.accounts = map[string]map[string]bool{}
		}
		w.accounts[acctID] = set
	}
	w.any = len(w.global) > 0 || len(w.accounts) > 0
	return nil
}

// on reports whether name is on for the CA or for the account acctID.
func (w *switches) on(name, acctID string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.any && (w.global[name] || (acctID != "" && w.accounts[acctID][name]))
}

// active reports whether any switch is on anywhere.
func (w *switches) active() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.any
}

// names returns the switches on for the CA and those on per account.
func (w *switches) names() ([]string, map[string][]string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	sorted := func(s map[string]bool) []string {
		out := make([]string, 0, len(s))
		for n := range s {
			out = append(out, n)
		}
		slices.Sort(out)
		return out
	}
	accts := map[string][]string{}
	for id, s := range w.accounts {
		accts[id] = sorted(s)
	}
	return sorted(w.global), accts
}

// misbehaviours holds the switched-on misbehaviours and what the front
// end learnt about requests in flight.
type misbehaviours struct {
	switches
	inflight sync.Map // *http.Request -> *misRequest
	used     usedNonces
	oldKeys  map[string]string // account id -> JWK of the replaced key
	orders   map[string]string // account id -> orders URL a client wrote
	quirks   *quirks
}

// is reports whether misbehaviour name is on for the CA or acctID.
func (m *misbehaviours) is(name Misbehaviour, acctID string) bool {
	return m.on(string(name), acctID)
}

// newMisbehaviours checks names and returns the state with them and the
// quirks qs on.
func newMisbehaviours(names []Misbehaviour, qs []Quirk) (*misbehaviours, error) {
	q, err := newQuirks(qs)
	if err != nil {
		return nil, err
	}
	m := &misbehaviours{oldKeys: map[string]string{}, orders: map[string]string{}, quirks: q}
	m.known = func(n string) bool { _, ok := LookupMisbehaviour(Misbehaviour(n)); return ok }
	if err := m.set("", toStrings(names)); err != nil {
		return nil, fmt.Errorf("misbehaviour: %w", err)
	}
	return m, nil
}

// toStrings converts a list of named strings.
func toStrings[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}

// fromStrings converts a list of strings to named strings.
func fromStrings[T ~string](in []string) []T {
	out := make([]T, len(in))
	for i, v := range in {
		out[i] = T(v)
	}
	return out
}

// misbehaves reports whether name is switched on for the whole CA.
func (s *Server) misbehaves(name Misbehaviour) bool { return s.mis.is(name, "") }

// misbehavesReq reports whether name is on for the CA or for the account
// that signed req.
func (s *Server) misbehavesReq(req *request, name Misbehaviour) bool {
	return s.mis.is(name, req.acctID)
}

// SetMisbehaviours replaces the misbehaviours switched on for every
// request; an empty list restores the well-behaved CA.
func (s *Server) SetMisbehaviours(names []Misbehaviour) error {
	return s.mis.set("", toStrings(names))
}

// SetAccountMisbehaviours replaces the misbehaviours switched on for the
// requests of one account, named by its id or its URL.
func (s *Server) SetAccountMisbehaviours(account string, names []Misbehaviour) error {
	id, err := s.accountID(account)
	if err != nil {
		return err
	}
	return s.mis.set(id, toStrings(names))
}

// ActiveMisbehaviours returns the misbehaviours switched on for every
// request and those switched on per account id.
func (s *Server) ActiveMisbehaviours() ([]Misbehaviour, map[string][]Misbehaviour) {
	on, accts := s.mis.names()
	out := map[string][]Misbehaviour{}
	for id, n := range accts {
		out[id] = fromStrings[Misbehaviour](n)
	}
	return fromStrings[Misbehaviour](on), out
}

// accountID reads an account id or account URL.
func (s *Server) accountID(account string) (string, error) {
	id := strings.TrimPrefix(account, s.url(s.accountPath()))
	if id == "" || strings.Contains(id, "/") {
		return "", fmt.Errorf("account %q is neither an account id nor an account URL", account)
	}
	return id, nil
}

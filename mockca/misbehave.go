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

// misbehaviourSet is a set of switched-on misbehaviours.
type misbehaviourSet map[Misbehaviour]bool

// ParseMisbehaviours reads a comma-separated list of misbehaviour names
// ("" is the empty list) and refuses unknown names.
func ParseMisbehaviours(list string) ([]Misbehaviour, error) {
	var out []Misbehaviour
	for _, f := range strings.Split(list, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if _, ok := LookupMisbehaviour(Misbehaviour(f)); !ok {
			return nil, fmt.Errorf("unknown misbehaviour %q (see Misbehaviours())", f)
		}
		out = append(out, Misbehaviour(f))
	}
	return out, nil
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

// misbehaviours holds the switched-on misbehaviours: global ones and
// per account, and what the front end learnt about requests in flight.
type misbehaviours struct {
	mu       sync.Mutex
	global   misbehaviourSet
	accounts map[string]misbehaviourSet
	any      bool // fast path: nothing is switched on anywhere

	inflight sync.Map // *http.Request -> *misRequest
	used     usedNonces
	oldKeys  map[string]string // account id -> thumbprint of the replaced key
	orders   map[string]string // account id -> orders URL a client wrote
}

// newMisbehaviours checks names and returns the state with them on.
func newMisbehaviours(names []Misbehaviour) (*misbehaviours, error) {
	m := &misbehaviours{accounts: map[string]misbehaviourSet{},
		oldKeys: map[string]string{}, orders: map[string]string{}}
	if err := m.setGlobal(names); err != nil {
		return nil, err
	}
	return m, nil
}

// checkNames refuses unknown misbehaviours.
func checkNames(names []Misbehaviour) (misbehaviourSet, error) {
	set := misbehaviourSet{}
	for _, n := range names {
		if _, ok := LookupMisbehaviour(n); !ok {
			return nil, fmt.Errorf("unknown misbehaviour %q", n)
		}
		set[n] = true
	}
	return set, nil
}

func (m *misbehaviours) setGlobal(names []Misbehaviour) error {
	set, err := checkNames(names)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.global = set
	m.any = len(set) > 0 || len(m.accounts) > 0
	return nil
}

func (m *misbehaviours) setAccount(acctID string, names []Misbehaviour) error {
	set, err := checkNames(names)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(set) == 0 {
		delete(m.accounts, acctID)
	} else {
		m.accounts[acctID] = set
	}
	m.any = len(m.global) > 0 || len(m.accounts) > 0
	return nil
}

// on reports whether name is on globally or for the account acctID.
func (m *misbehaviours) on(name Misbehaviour, acctID string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.any {
		return false
	}
	return m.global[name] || (acctID != "" && m.accounts[acctID][name])
}

// names returns the global set and the per-account sets, sorted.
func (m *misbehaviours) names() ([]Misbehaviour, map[string][]Misbehaviour) {
	m.mu.Lock()
	defer m.mu.Unlock()
	sorted := func(s misbehaviourSet) []Misbehaviour {
		out := make([]Misbehaviour, 0, len(s))
		for n := range s {
			out = append(out, n)
		}
		slices.Sort(out)
		return out
	}
	accts := map[string][]Misbehaviour{}
	for id, s := range m.accounts {
		accts[id] = sorted(s)
	}
	return sorted(m.global), accts
}

// misbehaves reports whether name is switched on for the whole CA.
func (s *Server) misbehaves(name Misbehaviour) bool { return s.mis.on(name, "") }

// misbehavesReq reports whether name is on for the CA or for the account
// that signed req.
func (s *Server) misbehavesReq(req *request, name Misbehaviour) bool {
	return s.mis.on(name, req.acctID)
}

// SetMisbehaviours replaces the misbehaviours switched on for every
// request; an empty list restores the well-behaved CA.
func (s *Server) SetMisbehaviours(names []Misbehaviour) error {
	return s.mis.setGlobal(names)
}

// SetAccountMisbehaviours replaces the misbehaviours switched on for the
// requests of one account, named by its id or its URL.
func (s *Server) SetAccountMisbehaviours(account string, names []Misbehaviour) error {
	id := strings.TrimPrefix(account, s.url(pathAccount))
	if id == "" || strings.Contains(id, "/") {
		return fmt.Errorf("account %q is neither an account id nor an account URL", account)
	}
	return s.mis.setAccount(id, names)
}

// ActiveMisbehaviours returns the misbehaviours switched on for every
// request and those switched on per account id.
func (s *Server) ActiveMisbehaviours() ([]Misbehaviour, map[string][]Misbehaviour) {
	return s.mis.names()
}

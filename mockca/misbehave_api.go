package mockca

import (
	"encoding/json"
	"net/http"
)

// misbehaviourState is the management view of the misbehaviours.
type misbehaviourState struct {
	Available []MisbehaviourInfo        `json:"available"`
	Enabled   []Misbehaviour            `json:"enabled"`
	Accounts  map[string][]Misbehaviour `json:"accounts"`
}

// misbehaviourUpdate replaces the misbehaviours of the whole CA, or of one
// account when Account (an id or account URL) is set.
type misbehaviourUpdate struct {
	Names   []Misbehaviour `json:"names"`
	Account string         `json:"account,omitempty"`
}

// misbehaviourRoutes adds the misbehaviour endpoints to the management API:
// GET /misbehaviours lists them and what is on; POST /misbehaviours with
// {"names": [...], "account": "..."} replaces a set.
func (s *Server) misbehaviourRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /misbehaviours", s.mgmtMisbehaviours)
	mux.HandleFunc("POST /misbehaviours", s.mgmtSetMisbehaviours)
	mux.HandleFunc("GET /quirks", s.mgmtQuirks)
	mux.HandleFunc("POST /quirks", s.mgmtSetQuirks)
}

// quirkState is the management view of the quirks.
type quirkState struct {
	Available []QuirkInfo         `json:"available"`
	Enabled   []string            `json:"enabled"`
	Accounts  map[string][]string `json:"accounts"`
}

func (s *Server) mgmtQuirks(w http.ResponseWriter, r *http.Request) {
	on, accts := s.mis.quirks.names()
	writeJSON(w, http.StatusOK, quirkState{Available: Quirks(), Enabled: on, Accounts: accts})
}

func (s *Server) mgmtSetQuirks(w http.ResponseWriter, r *http.Request) {
	var u struct {
		Names   []Quirk `json:"names"`
		Account string  `json:"account,omitempty"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&u); err != nil {
		mgmtError(w, http.StatusBadRequest, `body must be {"names": [...], "account": "..."}`)
		return
	}
	var err error
	if u.Account != "" {
		err = s.SetAccountQuirks(u.Account, u.Names)
	} else {
		err = s.SetQuirks(u.Names)
	}
	if err != nil {
		mgmtError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.mgmtQuirks(w, r)
}

func (s *Server) mgmtMisbehaviours(w http.ResponseWriter, r *http.Request) {
	on, accts := s.ActiveMisbehaviours()
	writeJSON(w, http.StatusOK, misbehaviourState{Available: Misbehaviours(), Enabled: on,
		Accounts: accts})
}

func (s *Server) mgmtSetMisbehaviours(w http.ResponseWriter, r *http.Request) {
	var u misbehaviourUpdate
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&u); err != nil {
		mgmtError(w, http.StatusBadRequest, `body must be {"names": [...], "account": "..."}`)
		return
	}
	var err error
	if u.Account != "" {
		err = s.SetAccountMisbehaviours(u.Account, u.Names)
	} else {
		err = s.SetMisbehaviours(u.Names)
	}
	if err != nil {
		mgmtError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.mgmtMisbehaviours(w, r)
}

package mockca

import "strings"

// pathAccountElsewhere is where accounts live while the account URL quirk
// is on: a path that shares nothing with newAccount's, so that a client
// can only learn it from the Location header.
const pathAccountElsewhere = "/x/reg-9f3a/"

// accountPath is the path prefix of account URLs now. RFC 8555 §7.3: the
// account URL is whatever the Location header of newAccount says; with
// QuirkAccountElsewhere on for the CA, accounts move under
// pathAccountElsewhere and their usual paths are not served. The quirk
// is read for the CA only (not per account), since a client learns its
// account URL before the account could have quirks of its own.
func (s *Server) accountPath() string {
	if s.mis.quirks.on(string(QuirkAccountElsewhere), "") {
		return pathAccountElsewhere
	}
	return pathAccount
}

// accountURL is the URL of account id.
func (s *Server) accountURL(id string) string { return s.url(s.accountPath() + id) }

// accountIDOf returns the account id an account URL names, and false
// when u is not an account URL of this CA as it is now.
func (s *Server) accountIDOf(u string) (string, bool) {
	id, ok := strings.CutPrefix(u, s.url(s.accountPath()))
	if !ok || id == "" || strings.Contains(id, "/") {
		return "", false
	}
	return id, true
}

// servesAccountPath returns the condition under which routes under prefix
// answer: the account paths answer only while they are the current ones.
func (s *Server) servesAccountPath(prefix string) func() bool {
	return func() bool { return s.accountPath() == prefix }
}

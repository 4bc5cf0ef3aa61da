package mockca

import (
	"net/http"

	"acmeconform/acme"
)

// getDirectory serves the directory object (RFC 8555 §7.1.1) with meta
// fields from the profile (termsOfService, website, caaIdentities,
// externalAccountRequired, profiles).
func (s *Server) getDirectory(r *http.Request) (*response, error) {
	p := s.profile
	meta := &acme.DirectoryMeta{
		TermsOfService:          p.TermsOfService,
		Website:                 p.Website,
		CAAIdentities:           p.CAAIdentities,
		ExternalAccountRequired: p.EABRequired,
	}
	if len(p.OrderProfiles) > 0 {
		meta.Profiles = map[string]string{}
		for name, op := range p.OrderProfiles {
			meta.Profiles[name] = op.Description
		}
	}
	dir := acme.Directory{
		NewNonce:    s.url(pathNonce),
		NewAccount:  s.url(pathNewAccount),
		NewOrder:    s.url(pathNewOrder),
		RevokeCert:  s.url(pathRevoke),
		KeyChange:   s.url(pathKeyChange),
		RenewalInfo: s.url(pathRenewalInfo),
		Meta:        meta,
	}
	return &response{body: dir}, nil
}

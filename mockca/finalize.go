package mockca

import (
	"crypto/x509"
	"encoding/base64"
	"time"

	"acmeconform/acme"
)

// orderSnapshot is what issuance needs from an order, copied out of the
// store.
type orderSnapshot struct {
	id          string
	accountID   string
	identifiers []acme.Identifier
	notBefore   *time.Time
	notAfter    *time.Time
	profile     string
}

// postFinalize accepts a CSR for a ready order (RFC 8555 §7.4). A non-ready
// order gets orderNotReady and is left unchanged; a refused CSR gets badCSR
// and leaves the order ready. With the FinalizeDelay knob the order stays
// processing for that long.
func (s *Server) postFinalize(req *request) (*response, error) {
	var p acme.FinalizeRequest
	if err := decodePayload(req.payload, &p); err != nil {
		return nil, err
	}
	der, err := base64.RawURLEncoding.DecodeString(p.CSR)
	if err != nil || len(der) == 0 {
		return nil, malformed("csr must be base64url-encoded DER without padding")
	}
	snap, err := s.readyOrder(req)
	if err != nil {
		return nil, err
	}
	csr, err := s.misParseCSR(req, der, snap.identifiers)
	if err != nil {
		return nil, err
	}
	if err := s.recheckCAA(req.http.Context(), snap.id); err != nil {
		return nil, err
	}
	if err := s.markProcessing(req, snap.id); err != nil {
		return nil, err
	}
	switch d := s.quirkFinalizeDelay(req); {
	case s.mis.is(MisOrderStaysProc, req.acctID):
		// The misbehaviour: the order stays processing, and no
		// certificate is ever issued.
	case d > 0:
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-t.C:
				s.completeOrder(csr, snap)
			case <-s.ctx.Done(): // closing: the order goes with the server
			}
		}()
	default:
		s.completeOrder(csr, snap)
	}
	return s.postOrder(&request{http: req.http, acctID: req.acctID, postAsGet: true})
}

// readyOrder returns a snapshot of the account's order if it is ready.
func (s *Server) readyOrder(req *request) (orderSnapshot, error) {
	now := s.clock.Now()
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	o, err := s.ownOrder(req)
	if err != nil {
		return orderSnapshot{}, err
	}
	s.refreshOrder(o, now)
	if o.status != acme.StatusReady {
		return orderSnapshot{}, acme.NewProblem(acme.ProblemOrderNotReady,
			"order is %s, not ready", o.status)
	}
	return orderSnapshot{id: o.id, accountID: o.accountID, identifiers: o.identifiers,
		notBefore: o.notBefore, notAfter: o.notAfter, profile: o.profile}, nil
}

// markProcessing moves a ready order to processing; a concurrent finalize
// that got there first leaves this one with orderNotReady.
func (s *Server) markProcessing(req *request, id string) error {
	now := s.clock.Now()
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	o := s.store.orders[id]
	if o == nil {
		return notFoundProblem("order")
	}
	s.refreshOrder(o, now)
	if o.status != acme.StatusReady {
		return acme.NewProblem(acme.ProblemOrderNotReady, "order is %s, not ready", o.status)
	}
	o.status, o.touched = acme.StatusProcessing, now
	return nil
}

// completeOrder issues the certificate and moves the order to valid, or to
// invalid with an error when issuance fails (never stuck in processing).
func (s *Server) completeOrder(csr *x509.CertificateRequest, snap orderSnapshot) {
	leaf, err := s.issue(csr, snap)
	now := s.clock.Now()
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	o := s.store.orders[snap.id]
	if o == nil {
		return
	}
	o.touched = now
	if err != nil {
		s.log.Error("issuance failed", "order", snap.id, "err", err)
		o.status = acme.StatusInvalid
		o.err = acme.NewProblem(acme.ProblemServerInternal, "issuance failed")
		return
	}
	c := newCertificate(newID(), snap.accountID, snap.id, leaf)
	s.store.certs[c.id] = c
	s.store.bySerial[c.serial] = c.id
	o.certID, o.status = c.id, acme.StatusValid
}

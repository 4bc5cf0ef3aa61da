package mockca

import (
	"crypto/x509"
	"encoding/base64"
	"strconv"
	"strings"
	"testing"

	"acmeconform/acme"
)

func TestRevocationRules(t *testing.T) {
	e := startEnv(t, nil)
	owner := newRawClient(t, e)
	owner.register()
	_, o, _ := owner.issue(e, "rev.example.com")
	leaf := owner.leafOf(o)
	certB64 := base64.RawURLEncoding.EncodeToString(leaf.Raw)
	reason := func(n int) *int { return &n }

	for _, r := range []int{2, 7, 99} {
		p := expectProblem(t, owner.post(owner.dir.RevokeCert,
			acme.RevokeRequest{Certificate: certB64, Reason: reason(r)}),
			400, acme.ProblemBadRevocationReason)
		// RFC 8555 §7.6: the detail SHOULD list the allowed reasons.
		for _, allowed := range e.ca.Profile().RevocationReasons {
			if !strings.Contains(p.Detail, strconv.Itoa(allowed)) {
				t.Errorf("reason %d: detail %q does not list %d", r, p.Detail, allowed)
			}
		}
		if st, _ := e.ca.CertStatus(leaf.SerialNumber.Text(16)); st.Status == "Revoked" {
			t.Fatalf("reason %d revoked the certificate", r)
		}
	}
	stranger := newRawClient(t, e)
	stranger.register()
	expectProblem(t, stranger.post(stranger.dir.RevokeCert, acme.RevokeRequest{Certificate: certB64}),
		403, acme.ProblemUnauthorized)

	// An account that holds valid authorizations for every name may revoke.
	_, o2 := stranger.newOrder("rev.example.com")
	stranger.authorize(e, o2)
	resp := stranger.post(stranger.dir.RevokeCert,
		acme.RevokeRequest{Certificate: certB64, Reason: reason(4)})
	if resp.StatusCode != 200 {
		t.Fatalf("revoke by authorized account: %v", problemOf(t, resp))
	}
	resp.Body.Close()
	expectProblem(t, owner.post(owner.dir.RevokeCert, acme.RevokeRequest{Certificate: certB64}),
		400, acme.ProblemAlreadyRevoked)
	if st, _ := e.ca.CertStatus(leaf.SerialNumber.Text(16)); st.Status != "Revoked" || *st.Reason != 4 {
		t.Fatalf("status %+v, want Revoked with reason 4", st)
	}
	code, der := mgmt(t, e, "GET", "/crls/0", nil)
	crl, err := x509.ParseRevocationList(der)
	if code != 200 || err != nil {
		t.Fatalf("CRL: HTTP %d %v", code, err)
	}
	inter := parsePEMBytes(t, mustMgmt(t, e, "/intermediates/0"))[0]
	if err := crl.CheckSignatureFrom(inter); err != nil {
		t.Fatalf("CRL signature: %v", err)
	}
	if len(crl.RevokedCertificateEntries) != 1 ||
		crl.RevokedCertificateEntries[0].SerialNumber.Cmp(leaf.SerialNumber) != 0 ||
		crl.RevokedCertificateEntries[0].ReasonCode != 4 {
		t.Fatalf("CRL entries %+v", crl.RevokedCertificateEntries)
	}
}

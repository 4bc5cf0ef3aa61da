package server

import (
	"errors"
	"net/http"
	"regexp"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/acme"
	"acmeconform/suites/flow"
)

// revokeMoreSpecs covers the other revocation authorities (RFC 8555 §7.6).
func revokeMoreSpecs(h *harness) {
	Describe("revokeCert by other authorities", func() {
		h.setup()

		It("lets an account that validated every name revoke",
			labels("rfc8555:7.6", "MUST", "revoke-by-authorized-account"), func() {
				name := h.issueName()
				iss := h.issue(name)
				other := h.newAccount()
				_, err := h.f.ReadyOrder(h.ctx, other, name)
				if errors.Is(err, flow.ErrNotReused) {
					Skip("the second account does not share the validation of " + name)
				}
				skipNoSolver(err, "validate the name for a second account")
				resp, err := h.f.SendRevoke(h.ctx, other, nil, iss.Chain[0], nil)
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(resp, http.StatusOK)
			})

		It("names the allowed reason codes when refusing one",
			labels("rfc8555:7.6", "SHOULD", "revoke-bad-reason-lists"), func() {
				iss := h.issue()
				reason := 99
				resp, err := h.f.SendRevoke(h.ctx, h.account(), nil, iss.Chain[0], &reason)
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, 0, acme.ProblemBadRevocationReason)
				codes := regexp.MustCompile(`\d+`).FindAllString(resp.Problem().Detail, -1)
				Expect(len(codes)).To(BeNumerically(">=", 2), "detail names no reason codes")
			})
	})
}

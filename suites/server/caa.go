package server

import (
	"context"
	"errors"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/acme"
	"acmeconform/suites/flow"
)

// CAAControl is implemented by a suites.DNSControl that can also publish
// CAA records (RFC 8659) where the target resolves; dnsmock's client has
// this shape. CAA specs skip on targets whose DNS control lacks it.
type CAAControl interface {
	// AddCAA adds one CAA record at host; flag 128 marks it critical.
	AddCAA(ctx context.Context, host string, flag uint8, tag, value string) error
	// ClearCAA removes every CAA record at host.
	ClearCAA(ctx context.Context, host string) error
}

// caaRecord is one CAA record a spec publishes.
type caaRecord struct {
	flag       uint8
	tag, value string
}

// caaSpecs covers CAA checking (RFC 8659, RFC 8657) on targets that
// resolve through the harness's DNS.
func caaSpecs(h *harness) {
	Describe("CAA", Label("rfc8659"), func() {
		h.setup()
		var caa CAAControl
		var self string
		BeforeEach(func() {
			h.needValidation()
			var ok bool
			if caa, ok = h.target.DNS.(CAAControl); !ok {
				Skip("target does not resolve through DNS the harness can write CAA to")
			}
			if m := h.dir().Meta; m != nil && len(m.CAAIdentities) > 0 {
				self = m.CAAIdentities[0]
			}
		})
		needSelf := func() {
			if self == "" {
				Skip("directory lists no caaIdentities")
			}
		}

		It("refuses issuance when only another CA may issue",
			labels("rfc8659:3", "MUST", "caa-other-ca-blocks"), func() {
				expectCAABlocked(h.issueUnderCAA(caa, "", caaRecord{0, "issue", "other-ca.invalid"}))
			})

		It("names the caa error type when CAA blocks issuance",
			labels("rfc8555:6.7", "SHOULD", "caa-problem-type"), func() {
				err := h.issueUnderCAA(caa, "", caaRecord{0, "issue", "other-ca.invalid"})
				Expect(err).To(HaveOccurred())
				Expect(problemTypes(err)).To(ContainElement(acme.ProblemCAA))
			})

		It("issues when the CA's own caaIdentity is authorized",
			labels("rfc8659:4.2", "MUST", "caa-self-allows", "directory-caa-identities"), func() {
				needSelf()
				Expect(h.issueUnderCAA(caa, "", caaRecord{0, "issue", self})).To(Succeed())
			})

		It("issues when the record set holds only iodef",
			labels("rfc8659:4.3", "MUST", "caa-iodef-only-allows"), func() {
				rec := caaRecord{0, "iodef", "mailto:caa@acmeconform.test"}
				Expect(h.issueUnderCAA(caa, "", rec)).To(Succeed())
			})

		It("lets issue cover wildcards when there is no issuewild",
			labels("rfc8659:4.3", "MUST", "caa-issuewild-fallback"), func() {
				needSelf()
				Expect(h.issueUnderCAA(caa, "*.", caaRecord{0, "issue", self})).To(Succeed())
			})

		It("refuses a wildcard when issuewild names another CA",
			labels("rfc8659:4.3", "MUST", "caa-issuewild-blocks"), func() {
				needSelf()
				expectCAABlocked(h.issueUnderCAA(caa, "*.", caaRecord{0, "issue", self},
					caaRecord{0, "issuewild", "other-ca.invalid"}))
			})

		It("refuses issuance under an unknown critical property",
			labels("rfc8659:4.1", "MUST", "caa-critical-unknown-blocks"), func() {
				needSelf()
				expectCAABlocked(h.issueUnderCAA(caa, "", caaRecord{0, "issue", self},
					caaRecord{128, "acmeconformtag", "x"}))
			})

		It("finds the record set of the closest ancestor",
			labels("rfc8659:3", "MUST", "caa-tree-climb"), func() {
				expectCAABlocked(h.issueUnderCAA(caa, "www.",
					caaRecord{0, "issue", "other-ca.invalid"}))
			})

		It("honours accounturi naming another account",
			labels("rfc8657:3", "SHOULD", "caa-accounturi"), func() {
				needSelf()
				val := self + "; accounturi=" + h.newAccount().URL
				expectCAABlocked(h.issueUnderCAA(caa, "", caaRecord{0, "issue", val}))
			})

		It("honours validationmethods that exclude the method used",
			labels("rfc8657:4", "SHOULD", "caa-validationmethods"), func() {
				needSelf()
				val := self + "; validationmethods=tls-alpn-01"
				expectCAABlocked(h.issueUnderCAA(caa, "", caaRecord{0, "issue", val}))
			})
	})
}

// issueUnderCAA publishes recs at a fresh name and tries to issue for
// prefix+name (prefix "*." asks for a wildcard, "www." for a child).
func (h *harness) issueUnderCAA(caa CAAControl, prefix string, recs ...caaRecord) error {
	GinkgoHelper()
	h.needValidation()
	name := h.name()
	for _, r := range recs {
		Expect(caa.AddCAA(h.ctx, name, r.flag, r.tag, r.value)).To(Succeed())
	}
	DeferCleanup(func() { _ = caa.ClearCAA(context.Background(), name) })
	_, err := h.f.Issue(h.ctx, h.account(), prefix+name)
	if errors.Is(err, flow.ErrNoSolver) {
		Skip(err.Error())
	}
	skipInconclusive(err)
	return err
}

// expectCAABlocked asserts that issuance failed.
func expectCAABlocked(err error) {
	GinkgoHelper()
	Expect(err).To(HaveOccurred(), "certificate issued despite CAA")
}

// problemTypes lists the problem types in err's chain and subproblems.
func problemTypes(err error) []acme.ProblemType {
	var p *acme.Problem
	if !errors.As(err, &p) {
		return nil
	}
	out := []acme.ProblemType{p.Type}
	for _, sp := range p.Subproblems {
		out = append(out, sp.Type)
	}
	return out
}

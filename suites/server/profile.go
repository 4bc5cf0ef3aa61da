package server

import (
	"encoding/json"
	"sort"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/acme"
)

// profileSpecs covers certificate profiles (the ACME profiles extension)
// when the directory lists some.
func profileSpecs(h *harness) {
	Describe("Profiles", Label("acme-profiles"), func() {
		h.setup()
		var names []string
		BeforeEach(func() {
			names = nil
			if m := h.dir().Meta; m != nil {
				for n := range m.Profiles {
					names = append(names, n)
				}
			}
			if len(names) == 0 {
				Skip("directory lists no profiles")
			}
			sort.Strings(names)
		})

		It("describes each profile with a string",
			labels("acme-profiles:3", "MUST", "profile-meta-object"), func() {
				raw := h.rawDirectory()
				var meta struct {
					Profiles map[string]string `json:"profiles"`
				}
				Expect(json.Unmarshal(raw["meta"], &meta)).To(Succeed(), "meta.profiles")
				Expect(meta.Profiles).To(HaveLen(len(names)))
			})

		It("records the requested profile in the order",
			labels("acme-profiles:4", "MUST", "profile-order-echo"), func() {
				req := newOrderReq(h.name())
				req.Profile = names[len(names)-1]
				o, err := h.f.NewOrder(h.ctx, h.account(), req)
				Expect(err).NotTo(HaveOccurred())
				Expect(o.Profile).To(Equal(req.Profile))
			})

		It("refuses an unknown profile with invalidProfile",
			labels("acme-profiles:4", "MUST", "profile-unknown-refused"), func() {
				req := newOrderReq(h.name())
				req.Profile = "acmeconform-no-such-profile"
				_, resp, err := h.f.CreateOrder(h.ctx, h.account(), req)
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, 0, acme.ProblemInvalidProfile)
			})

		It("issues under the requested profile",
			labels("acme-profiles:4", "MUST", "profile-issuance"), func() {
				h.needValidation()
				name := h.name()
				req := newOrderReq(name)
				req.Profile = names[0]
				o, err := h.f.ReadyOrderFor(h.ctx, h.account(), req)
				skipNoSolver(err, "ready order with a profile")
				done, err := h.f.Finalize(h.ctx, h.account(), o, h.csr(name))
				skipNoSolver(err, "finalize the order")
				Expect(done.Profile).To(Equal(req.Profile))
			})
	})
}

package server

import (
	"encoding/json"
	"fmt"
	"net/http"

	jose "github.com/go-jose/go-jose/v4"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/acme"
	"acmeconform/suites/flow"
	"acmeconform/suites/probe"
)

// rollover describes one keyChange request (RFC 8555 §7.3.5); specs
// change single parts to break it.
type rollover struct {
	newKey   *probe.Key
	signer   *probe.Key // signs the inner JWS; normally newKey
	innerURL string
	account  string
	oldKey   jose.JSONWebKey
	header   map[string]any // extra inner header members
}

// newRollover returns a well-formed rollover of a to a fresh key.
func (h *harness) newRollover(a *flow.Account) *rollover {
	k := probe.MustKey(jose.ES256)
	return &rollover{newKey: k, signer: k, innerURL: h.dir().KeyChange, account: a.URL,
		oldKey: a.Key.JWK()}
}

// send signs the inner JWS and posts it with the account's old key.
func (r *rollover) send(h *harness, a *flow.Account) *probe.Response {
	GinkgoHelper()
	hdr := map[string]any{"jwk": r.newKey.JWK(), "url": r.innerURL}
	for k, v := range r.header {
		hdr[k] = v
	}
	payload, err := json.Marshal(map[string]any{"account": r.account, "oldKey": r.oldKey})
	Expect(err).NotTo(HaveOccurred())
	inner, err := probe.Sign(r.signer, hdr, payload)
	Expect(err).NotTo(HaveOccurred())
	resp, err := h.p.Post(h.ctx, a.Request(h.dir().KeyChange, inner.Marshal()))
	Expect(err).NotTo(HaveOccurred())
	return resp
}

// rolledAccount rolls the spec's account over to a fresh key with a
// well-formed keyChange and makes the moved account the spec's. It skips
// the spec when the server refuses that rollover: a server that refuses
// every keyChange would pass every refusal spec without checking anything
// (keychange-rollover reports the refusal itself).
func (h *harness) rolledAccount() *flow.Account {
	GinkgoHelper()
	a := h.account()
	r := h.newRollover(a)
	if resp := r.send(h, a); resp.Status != http.StatusOK {
		Skip(fmt.Sprintf("server refuses a well-formed keyChange (HTTP %d: %v), so its "+
			"refusal of a broken one checks nothing", resp.Status, resp.Err()))
	}
	h.acct = &flow.Account{Key: r.newKey, URL: a.URL}
	return h.acct
}

// keyChangeSpecs covers account key rollover (RFC 8555 §7.3.5).
func keyChangeSpecs(h *harness) {
	Describe("keyChange", func() {
		h.setup()

		It("switches the account to the new key, inner JWS without nonce",
			labels("rfc8555:7.3.5", "MUST", "keychange-rollover", "keychange-inner-no-nonce"),
			func() {
				a := h.account()
				r := h.newRollover(a)
				expectSuccess(r.send(h, a), http.StatusOK)
				moved := &flow.Account{Key: r.newKey, URL: a.URL}
				_, resp, err := h.f.FetchAccount(h.ctx, moved)
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(resp, http.StatusOK)
			})

		It("refuses the old key after a rollover",
			labels("rfc8555:7.3.5", "MUST", "keychange-old-key-refused"), func() {
				a := h.account()
				expectSuccess(h.newRollover(a).send(h, a), http.StatusOK)
				resp, err := h.p.PostAsGet(h.ctx, a.URL, a.Key, a.URL)
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, 0)
			})

		It("keeps pending orders usable after a rollover",
			labels("rfc8555:7.3.5", "MUST", "keychange-keeps-orders"), func() {
				a := h.account()
				o, err := h.f.NewOrder(h.ctx, a, newOrderReq(h.name()))
				Expect(err).NotTo(HaveOccurred())
				r := h.newRollover(a)
				expectSuccess(r.send(h, a), http.StatusOK)
				got, err := h.f.FetchOrder(h.ctx, &flow.Account{Key: r.newKey, URL: a.URL}, o.URL)
				Expect(err).NotTo(HaveOccurred())
				Expect(got.Status).To(Equal(acme.StatusPending))
			})

		DescribeTable("refuses a broken rollover and keeps the old key",
			func(breakIt func(r *rollover, a *flow.Account)) {
				a := h.rolledAccount()
				r := h.newRollover(a)
				breakIt(r, a)
				expectProblem(r.send(h, a), 0)
				_, resp, err := h.f.FetchAccount(h.ctx, a)
				Expect(err).NotTo(HaveOccurred(), "old key no longer works")
				expectSuccess(resp, http.StatusOK)
			},
			Entry("when the inner url differs", labels("rfc8555:7.3.5", "MUST",
				"keychange-inner-url"), func(r *rollover, _ *flow.Account) {
				r.innerURL = h.dir().NewOrder
			}),
			Entry("when the inner JWS is signed by another key", labels("rfc8555:7.3.5",
				"MUST", "keychange-inner-signature"), func(r *rollover, _ *flow.Account) {
				r.signer = probe.MustKey(jose.ES256)
			}),
			Entry("when account names another account", labels("rfc8555:7.3.5", "MUST",
				"keychange-account-match"), func(r *rollover, _ *flow.Account) {
				r.account = h.newAccount().URL
			}),
			Entry("when oldKey is not the account key", labels("rfc8555:7.3.5", "MUST",
				"keychange-oldkey-match"), func(r *rollover, _ *flow.Account) {
				r.oldKey = probe.MustKey(jose.ES256).JWK()
			}),
		)

		It("refuses a new key that another account holds",
			labels("rfc8555:7.3.5", "MUST", "keychange-conflict-refused"), func() {
				a := h.rolledAccount()
				other := h.newAccount()
				r := h.newRollover(a)
				r.newKey, r.signer = other.Key, other.Key
				resp := r.send(h, a)
				const msg = "rollover to a taken key answered %d"
				Expect(resp.Status).To(BeNumerically(">=", 400), msg, resp.Status)
				// A 5xx says nothing was checked, so it is no refusal.
				Expect(resp.Status).To(BeNumerically("<", 500), msg, resp.Status)
				_, got, err := h.f.FetchAccount(h.ctx, a)
				Expect(err).NotTo(HaveOccurred(), "old key no longer works")
				expectSuccess(got, http.StatusOK)
			})

		It("answers 409 with the other account when the new key is taken",
			labels("rfc8555:7.3.5", "SHOULD", "keychange-conflict"), func() {
				a := h.rolledAccount()
				other := h.newAccount()
				r := h.newRollover(a)
				r.newKey, r.signer = other.Key, other.Key
				resp := r.send(h, a)
				expectProblem(resp, http.StatusConflict)
				Expect(resp.Location()).To(Equal(other.URL))
			})
	})
}

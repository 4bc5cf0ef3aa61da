package server

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"

	jose "github.com/go-jose/go-jose/v4"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/acme"
	"acmeconform/suites/flow"
	"acmeconform/suites/probe"
)

func accountOpts(k *probe.Key) flow.AccountOptions { return flow.AccountOptions{Key: k} }

// accountSpecs covers account creation and lookup (RFC 8555 §7.3, §7.3.1)
// and the account object (§7.1.2).
func accountSpecs(h *harness) {
	Describe("newAccount", func() {
		h.setup()
		BeforeEach(func() { h.canCreateAccounts() })

		It("creates an account with 201 and its URL in Location",
			labels("rfc8555:7.3", "MUST", "account-create-201"), func() {
				_, resp, err := h.f.CreateAccount(h.ctx, flow.AccountOptions{})
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(resp, http.StatusCreated)
				Expect(resp.Location()).NotTo(BeEmpty())
			})

		It("returns a valid account object with an orders URL",
			labels("rfc8555:7.1.2", "MUST", "account-object-fields"), func() {
				a := h.account()
				Expect(a.Object.Status).To(Equal(acme.StatusValid))
				Expect(a.Object.Orders).NotTo(BeEmpty(), "account object has no orders URL")
			})

		It("answers a known key with 200 and the existing account URL",
			labels("rfc8555:7.3.1", "MUST", "account-existing-key-200"), func() {
				a := h.account()
				again, resp, err := h.f.CreateAccount(h.ctx, accountOpts(a.Key))
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(resp, http.StatusOK)
				Expect(again.URL).To(Equal(a.URL))
			})

		It("ignores the fields of a newAccount for a known key",
			labels("rfc8555:7.3.1", "MUST", "account-existing-ignores-fields"), func() {
				a := h.account()
				_, resp, err := h.f.CreateAccount(h.ctx, flow.AccountOptions{Key: a.Key,
					Contact: []string{"mailto:changed@" + h.name()}})
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(resp, http.StatusOK)
				got, _, err := h.f.FetchAccount(h.ctx, a)
				Expect(err).NotTo(HaveOccurred())
				Expect(got.Contact).To(Equal(a.Object.Contact))
			})

		It("refuses onlyReturnExisting for an unknown key with accountDoesNotExist",
			labels("rfc8555:7.3.1", "MUST", "account-lookup-unknown"), func() {
				_, resp, err := h.f.CreateAccount(h.ctx,
					flow.AccountOptions{OnlyReturnExisting: true})
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, http.StatusBadRequest, acme.ProblemAccountDoesNotExist)
			})

		It("returns the existing account for onlyReturnExisting",
			labels("rfc8555:7.3.1", "MUST", "account-lookup-known"), func() {
				a := h.account()
				again, resp, err := h.f.CreateAccount(h.ctx,
					flow.AccountOptions{Key: a.Key, OnlyReturnExisting: true})
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(resp, http.StatusOK)
				Expect(again.URL).To(Equal(a.URL))
			})

		It("does not echo onlyReturnExisting or unknown fields",
			labels("rfc8555:7.3", "MUST", "account-no-reflect-unknown"), func() {
				a := h.account()
				body := []byte(`{"onlyReturnExisting":true,"acmeconformUnknown":"x"}`)
				resp, err := h.p.Post(h.ctx, probe.Request{
					URL: h.dir().NewAccount, Payload: body, Key: a.Key,
				})
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(resp, http.StatusOK)
				var obj map[string]json.RawMessage
				Expect(resp.Decode(&obj)).To(Succeed())
				Expect(obj).NotTo(HaveKey("onlyReturnExisting"))
				Expect(obj).NotTo(HaveKey("acmeconformUnknown"))
			})

		It("refuses a contact URL of an unsupported scheme with unsupportedContact",
			labels("rfc8555:7.3", "MUST", "account-contact-unsupported"), func() {
				_, resp, err := h.f.CreateAccount(h.ctx,
					flow.AccountOptions{Contact: []string{"gopher://contact.example"}})
				Expect(err).NotTo(HaveOccurred())
				if resp.Status < 300 {
					Skip("server accepts or ignores any contact scheme")
				}
				expectProblem(resp, 0, acme.ProblemUnsupportedContact)
			})

		It("accepts mailto contacts and returns them",
			labels("rfc8555:7.3", "MUST", "account-contact-mailto"), func() {
				contact := []string{"mailto:admin@" + h.name()}
				a, resp, err := h.f.CreateAccount(h.ctx, flow.AccountOptions{Contact: contact})
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(resp, http.StatusCreated)
				Expect(a.Object.Contact).To(Equal(contact))
			})

		It("refuses an account that does not agree to the advertised terms",
			labels("rfc8555:7.3", "MUST", "account-tos-required"), func() {
				if m := h.dir().Meta; m == nil || m.TermsOfService == "" {
					Skip("directory names no terms of service")
				}
				_, resp, err := h.f.CreateAccount(h.ctx, flow.AccountOptions{RefuseTerms: true})
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, 0)
			})

		It("refuses a key it does not accept with badPublicKey",
			labels("rfc8555:6.2", "MUST", "jws-key-refused-badpublickey"), func() {
				key, err := weakRSAKey()
				Expect(err).NotTo(HaveOccurred())
				_, resp, err := h.f.CreateAccount(h.ctx, accountOpts(key))
				Expect(err).NotTo(HaveOccurred())
				if resp.Status < 300 {
					Skip("server accepts 1024-bit RSA account keys")
				}
				expectProblem(resp, http.StatusBadRequest, acme.ProblemBadPublicKey)
			})
	})

	accountResourceSpecs(h)
}

// weakRSAKey returns a 1024-bit RSA key, which most CAs refuse.
func weakRSAKey() (*probe.Key, error) {
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		return nil, err
	}
	return &probe.Key{Signer: k, Alg: jose.RS256}, nil
}

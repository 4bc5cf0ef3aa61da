package server

import (
	"encoding/json"
	"net/http"

	jose "github.com/go-jose/go-jose/v4"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/acme"
	"acmeconform/suites"
	"acmeconform/suites/flow"
	"acmeconform/suites/probe"
)

// binding describes one external account binding (RFC 8555 §7.3.4);
// specs change single parts to break it.
type binding struct {
	alg     jose.SignatureAlgorithm
	secret  []byte
	signer  *probe.Key // when set, signs instead of the MAC
	kid     string
	url     string
	payload jose.JSONWebKey
	header  map[string]any
}

// newBinding returns a well-formed binding of acctKey with credentials e.
func (h *harness) newBinding(e *suites.EAB, acctKey *probe.Key) *binding {
	GinkgoHelper()
	secret, err := flow.DecodeMACKey(e.HMACKey)
	Expect(err).NotTo(HaveOccurred())
	return &binding{alg: jose.HS256, secret: secret, kid: e.KID, url: h.dir().NewAccount,
		payload: acctKey.JWK()}
}

// send signs the binding and posts newAccount with acctKey.
func (b *binding) send(h *harness, acctKey *probe.Key) *probe.Response {
	GinkgoHelper()
	hdr := map[string]any{"kid": b.kid, "url": b.url}
	for k, v := range b.header {
		hdr[k] = v
	}
	payload, err := json.Marshal(&b.payload)
	Expect(err).NotTo(HaveOccurred())
	var jws *probe.JWS
	if b.signer != nil {
		jws, err = probe.Sign(b.signer, hdr, payload)
	} else {
		jws, err = probe.SignMAC(b.alg, b.secret, hdr, payload)
	}
	Expect(err).NotTo(HaveOccurred())
	resp, err := h.p.PostJSON(h.ctx, h.dir().NewAccount, acctKey, "", map[string]any{
		"termsOfServiceAgreed": true, "externalAccountBinding": jws,
	})
	Expect(err).NotTo(HaveOccurred())
	return resp
}

// eabSpecs covers external account binding (RFC 8555 §7.3.4). They need
// the target's credentials and skip without them.
func eabSpecs(h *harness) {
	Describe("External account binding", func() {
		h.setup()
		var creds *suites.EAB
		BeforeEach(func() {
			if creds = h.target.EAB; creds == nil {
				Skip("target has no EAB credentials")
			}
			h.p.AddSecret(creds.HMACKey)
		})

		It("creates an account for a correct HS256 binding and echoes it",
			labels("rfc8555:7.3.4", "MUST", "eab-accepted", "eab-echoed"), func() {
				k := probe.MustKey(jose.ES256)
				resp := h.newBinding(creds, k).send(h, k)
				expectSuccess(resp, http.StatusCreated)
				var obj map[string]json.RawMessage
				Expect(resp.Decode(&obj)).To(Succeed())
				Expect(obj).To(HaveKey("externalAccountBinding"))
			})

		It("accepts bindings MACed with HS384 and HS512",
			labels("rfc8555:7.3.4", "SHOULD", "eab-hs384-hs512"), func() {
				tried := 0
				for alg, size := range map[jose.SignatureAlgorithm]int{jose.HS384: 48, jose.HS512: 64} {
					k := probe.MustKey(jose.ES256)
					b := h.newBinding(creds, k)
					if len(b.secret) < size {
						continue // RFC 7518 §3.2: the key must be as long as the hash
					}
					b.alg = alg
					expectSuccess(b.send(h, k), http.StatusCreated)
					tried++
				}
				if tried == 0 {
					Skip("the target's MAC key is too short for HS384 and HS512")
				}
			})

		DescribeTable("refuses a broken binding",
			func(breakIt func(b *binding)) {
				k := probe.MustKey(jose.ES256)
				b := h.newBinding(creds, k)
				breakIt(b)
				expectProblem(b.send(h, k), 0)
			},
			Entry("signed with the account key instead of a MAC", labels("rfc8555:7.3.4",
				"MUST", "eab-mac-alg-only"), func(b *binding) { b.signer = probe.MustKey(jose.ES256) }),
			Entry("whose MAC does not verify", labels("rfc8555:7.3.4", "MUST", "eab-bad-mac"),
				func(b *binding) { b.secret = []byte("acmeconform-wrong-mac-key-0123456789") }),
			Entry("over another key than the account's", labels("rfc8555:7.3.4", "MUST",
				"eab-key-mismatch"), func(b *binding) { b.payload = probe.MustKey(jose.ES256).JWK() }),
			Entry("naming an unknown key id", labels("rfc8555:7.3.4", "MUST", "eab-unknown-kid"),
				func(b *binding) { b.kid = "acmeconform-unknown-kid" }),
			Entry("whose url differs from the outer url", labels("rfc8555:7.3.4", "MUST",
				"eab-url-match"), func(b *binding) { b.url = h.dir().NewOrder }),
			Entry("carrying a nonce", labels("rfc8555:7.3.4", "MUST", "eab-nonce-forbidden"),
				func(b *binding) { b.header = map[string]any{"nonce": "AAAAAAAAAAAAAAAAAAAAAA"} }),
		)

		It("finds an existing account by key without a binding",
			labels("rfc8555:7.3.4", "SHOULD", "eab-lookup-without-binding"), func() {
				a := h.account()
				found, resp, err := h.f.CreateAccount(h.ctx,
					flow.AccountOptions{Key: a.Key, OnlyReturnExisting: true, NoEAB: true})
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(resp, http.StatusOK)
				Expect(found.URL).To(Equal(a.URL))
			})
	})

	Describe("Account creation without a binding", func() {
		h.setup()

		It("is refused only by servers that advertise externalAccountRequired",
			labels("rfc8555:7.3.4", "MUST", "directory-eab-advertised"), func() {
				_, resp, err := h.f.CreateAccount(h.ctx, flow.AccountOptions{NoEAB: true})
				Expect(err).NotTo(HaveOccurred())
				if resp.Problem() == nil || resp.ProblemType() != acme.ProblemExternalAccountRequired {
					Skip("server does not ask for a binding")
				}
				Expect(h.dir().Meta).NotTo(BeNil())
				Expect(h.dir().Meta.ExternalAccountRequired).To(BeTrue())
			})

		It("is refused with externalAccountRequired where EAB is required",
			labels("rfc8555:7.3.4", "SHOULD", "eab-required-problem"), func() {
				if m := h.dir().Meta; m == nil || !m.ExternalAccountRequired {
					Skip("directory does not require EAB")
				}
				_, resp, err := h.f.CreateAccount(h.ctx, flow.AccountOptions{NoEAB: true})
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, 0, acme.ProblemExternalAccountRequired)
			})
	})
}

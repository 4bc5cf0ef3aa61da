package server

import (
	"context"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/acme"
	"acmeconform/suites/probe"
)

// dns01Specs checks that the server really validates (RFC 8555 §8.3,
// §8.4): wrong answers fail, a right answer among decoys passes.
func dns01Specs(h *harness) {
	Describe("Validation", func() {
		h.setup()

		It("fails dns-01 when the TXT record holds a wrong digest",
			labels("rfc8555:8.4", "MUST", "dns01-wrong-value-invalid",
				"challenge-error-means-invalid"), func() {
				a := h.answerWith(acme.ChallengeDNS01, func(string) []string {
					return []string{probe.DNS01Value("wrong.key-authorization")}
				})
				Expect(a.Status).To(Equal(acme.StatusInvalid))
				expectFailedChallenge(a, acme.ChallengeDNS01)
			})

		It("passes dns-01 when one of several TXT values matches",
			labels("rfc8555:8.4", "MUST", "dns01-any-value-matches"), func() {
				a := h.answerWith(acme.ChallengeDNS01, func(keyAuth string) []string {
					return []string{probe.DNS01Value("decoy"), probe.DNS01Value(keyAuth)}
				})
				Expect(a.Status).To(Equal(acme.StatusValid))
			})

		It("passes http-01 served with token, dot and key thumbprint",
			labels("rfc8555:8.1", "MUST", "key-authorization-thumbprint"), func() {
				a := h.answerWith(acme.ChallengeHTTP01, func(keyAuth string) []string {
					return []string{keyAuth}
				})
				Expect(a.Status).To(Equal(acme.StatusValid))
			})

		It("explains a failed validation in the challenge error",
			labels("rfc8555:8", "SHOULD", "challenge-invalid-has-error"), func() {
				_, c := h.answer(acme.ChallengeDNS01, func(string) []string {
					return []string{probe.DNS01Value("wrong.key-authorization")}
				})
				Expect(c.Error).NotTo(BeNil(), "invalid challenge carries no error")
			})

		It("fails http-01 when the served key authorization is wrong",
			labels("rfc8555:8.3", "MUST", "http01-wrong-value-invalid",
				"challenge-error-means-invalid"), func() {
				a := h.answerWith(acme.ChallengeHTTP01, func(string) []string {
					return []string{"wrong.key-authorization"}
				})
				Expect(a.Status).To(Equal(acme.StatusInvalid))
				expectFailedChallenge(a, acme.ChallengeHTTP01)
			})
	})
}

// Bounds of a validation spec's waits: for the challenge to finish, then
// for its authorization to follow.
const (
	challengeWait = 15 * time.Second
	authzSettle   = 2 * time.Second
)

// answerWith answers the challenge of type typ of a fresh authorization
// (for name, or a fresh name) with the values answer derives from the
// right key authorization, then returns the authorization once the
// challenge has finished.
func (h *harness) answerWith(typ string, answer func(keyAuth string) []string,
	name ...string) *acme.Authorization {
	GinkgoHelper()
	a, _ := h.answer(typ, answer, name...)
	return a
}

// answer is answerWith that also returns the challenge as polled. It
// waits on the challenge, not on the authorization: a server that leaves
// the authorization pending after a failed challenge is seen at once.
func (h *harness) answer(typ string, answer func(keyAuth string) []string,
	name ...string) (*acme.Authorization, *acme.Challenge) {
	GinkgoHelper()
	h.needChallenge(typ)
	acct := h.account()
	if len(name) == 0 {
		name = []string{h.name()}
	}
	az, url := h.pendingAuthz(name[0])
	ch := findChallenge(az, typ)
	if ch == nil {
		Skip("server does not offer " + typ)
	}
	keyAuth, err := acct.Key.KeyAuthorization(ch.Token)
	Expect(err).NotTo(HaveOccurred())
	for _, v := range answer(keyAuth) {
		Expect(h.publish(typ, name[0], ch.Token, v)).To(Succeed())
	}
	Expect(h.f.Respond(h.ctx, acct, ch.URL)).To(Succeed())
	c, err := h.f.WaitChallenge(h.ctx, acct, ch.URL, challengeWait)
	Expect(err).NotTo(HaveOccurred(), "the %s challenge did not finish", typ)
	got, err := h.f.SettleAuthz(h.ctx, acct, url, authzSettle)
	Expect(err).NotTo(HaveOccurred())
	return got, c
}

// needChallenge skips the spec when the harness cannot answer typ.
func (h *harness) needChallenge(typ string) {
	h.needValidation()
	if typ == acme.ChallengeDNS01 && h.target.DNS == nil ||
		typ != acme.ChallengeDNS01 && h.target.HTTP01 == nil {
		Skip("target gives the harness no control for " + typ)
	}
}

// publish puts one value where typ's validation looks and removes it when
// the spec ends.
func (h *harness) publish(typ, name, token, value string) error {
	if typ == acme.ChallengeTLSALPN01 {
		ctl := h.target.HTTP01.(TLSALPNControl)
		DeferCleanup(func() { _ = ctl.RemoveTLSALPN(context.Background(), name) })
		return ctl.AddTLSALPN(h.ctx, name, value)
	}
	if typ == acme.ChallengeHTTP01 {
		DeferCleanup(func() { _ = h.target.HTTP01.RemoveToken(context.Background(), token) })
		return h.target.HTTP01.AddToken(h.ctx, token, value)
	}
	fqdn := "_acme-challenge." + strings.TrimPrefix(name, "*.") + "."
	DeferCleanup(func() { _ = h.target.DNS.ClearTXT(context.Background(), fqdn) })
	return h.target.DNS.AddTXT(h.ctx, fqdn, value)
}

func findChallenge(a *acme.Authorization, typ string) *acme.Challenge {
	for i := range a.Challenges {
		if a.Challenges[i].Type == typ {
			return &a.Challenges[i]
		}
	}
	return nil
}

// expectFailedChallenge asserts the attempted challenge ended invalid
// with an error document (RFC 8555 §8: an error implies invalid).
func expectFailedChallenge(a *acme.Authorization, typ string) {
	GinkgoHelper()
	c := findChallenge(a, typ)
	Expect(c).NotTo(BeNil(), "failed authz no longer lists the %s challenge", typ)
	Expect(c.Status).To(Equal(acme.StatusInvalid))
	for _, ch := range a.Challenges {
		if ch.Error != nil {
			Expect(ch.Status).To(Equal(acme.StatusInvalid), "challenge %s has an error", ch.Type)
		}
	}
}

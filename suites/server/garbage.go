package server

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/suites/probe"
)

// garbageSpecs sends well-signed requests whose payloads are nonsense for
// the resource; the server must answer with a 4xx problem, never a 5xx and
// never success (RFC 8555 §6.7).
func garbageSpecs(h *harness) {
	Describe("Bad payloads", func() {
		h.setup()

		DescribeTable("get a 4xx problem",
			func(build func() probe.Request) {
				resp, err := h.p.Post(h.ctx, build())
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, 0)
			},
			Entry("newAccount with a number as contact", garbageLabels("errors-no-5xx-on-bad-input"),
				func() probe.Request {
					return probe.Request{URL: h.dir().NewAccount, Key: probe.MustKey("ES256"),
						Payload: []byte(`{"contact":5,"termsOfServiceAgreed":true}`)}
				}),
			Entry("newAccount with an array payload", garbageLabels("errors-no-5xx-on-bad-input"),
				func() probe.Request {
					return probe.Request{URL: h.dir().NewAccount, Key: probe.MustKey("ES256"),
						Payload: []byte(`[]`)}
				}),
			Entry("newOrder with an empty dns name", garbageLabels("errors-no-5xx-on-bad-input"),
				func() probe.Request {
					return h.account().Request(h.dir().NewOrder,
						[]byte(`{"identifiers":[{"type":"dns","value":""}]}`))
				}),
			Entry("account update with a string contact", garbageLabels("errors-no-5xx-on-bad-input"),
				func() probe.Request {
					a := h.account()
					return a.Request(a.URL, []byte(`{"contact":"mailto:x@example.com"}`))
				}),
			Entry("keyChange with a payload that is no JWS", garbageLabels("errors-no-5xx-on-bad-input"),
				func() probe.Request {
					return h.account().Request(h.dir().KeyChange, []byte(`{"account":1}`))
				}),
			Entry("finalize with a csr outside base64url", garbageLabels("finalize-csr-garbage"),
				func() probe.Request {
					o := h.readyOrder()
					return h.account().Request(o.Finalize, []byte(`{"csr":"!!not base64!!"}`))
				}),
			Entry("finalize with a csr that is not DER", garbageLabels("finalize-csr-garbage"),
				func() probe.Request {
					o := h.readyOrder()
					return h.account().Request(o.Finalize, []byte(`{"csr":"AAAAAAAA"}`))
				}),
			Entry("revokeCert with a certificate that is not DER",
				garbageLabels("revoke-garbage-cert"), func() probe.Request {
					return h.account().Request(h.dir().RevokeCert,
						[]byte(`{"certificate":"AAAAAAAA"}`))
				}),
			Entry("revokeCert without a certificate", garbageLabels("revoke-garbage-cert"),
				func() probe.Request {
					return h.account().Request(h.dir().RevokeCert, []byte(`{"reason":1}`))
				}),
		)
	})
}

// garbageLabels returns the labels of one entry by its requirement.
func garbageLabels(id string) Labels {
	switch id {
	case "finalize-csr-garbage":
		return labels("rfc8555:7.4", "MUST", id)
	case "revoke-garbage-cert":
		return labels("rfc8555:7.6", "MUST", id)
	}
	return labels("rfc8555:6.7", "SHOULD", id)
}

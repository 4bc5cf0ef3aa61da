package server

import (
	"encoding/json"

	jose "github.com/go-jose/go-jose/v4"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/suites/probe"
)

// keyChangeGarbageSpecs sends keyChange requests whose outer JWS is sound
// and whose inner JWS (RFC 8555 §7.3.5) is malformed in one part; the
// server must answer with a 4xx problem, never a 5xx (§6.7).
func keyChangeGarbageSpecs(h *harness) {
	Describe("Bad keyChange payloads", func() {
		h.setup()

		DescribeTable("get a 4xx problem",
			func(inner func() []byte) {
				a := h.account()
				resp, err := h.p.Post(h.ctx, a.Request(h.dir().KeyChange, inner()))
				Expect(err).NotTo(HaveOccurred())
				expectProblem(resp, 0)
			},
			Entry("with an inner JWS whose parts are not base64url", garbageLabels(noFiveXX),
				func() []byte {
					return []byte(`{"protected":"!!","payload":"!!","signature":"!!"}`)
				}),
			Entry("with an inner JWS in compact form", garbageLabels(noFiveXX), func() []byte {
				return []byte(`"eyJhbGciOiJFUzI1NiJ9.e30.AAAA"`)
			}),
			Entry("with an inner payload that is not JSON", garbageLabels(noFiveXX),
				func() []byte { return h.innerJWS(nil, []byte("not json")) }),
			Entry("with inner payload members of the wrong types", garbageLabels(noFiveXX),
				func() []byte { return h.innerJWS(nil, []byte(`{"account":5,"oldKey":"x"}`)) }),
			Entry("with an inner JWS that carries no jwk", garbageLabels(noFiveXX),
				func() []byte {
					return h.innerJWS(map[string]any{"jwk": nil}, h.innerPayload())
				}),
			Entry("with an inner jwk that is no point on its curve", garbageLabels(noFiveXX),
				func() []byte {
					bad := map[string]any{"kty": "EC", "crv": "P-256", "x": "AAAA", "y": "AAAA"}
					return h.innerJWS(map[string]any{"jwk": bad}, h.innerPayload())
				}),
			Entry("with an inner JWS signed with alg none", garbageLabels(noFiveXX),
				func() []byte {
					jws, err := probe.Unsigned(map[string]any{"url": h.dir().KeyChange,
						"jwk": probe.MustKey(jose.ES256).JWK()}, h.innerPayload())
					Expect(err).NotTo(HaveOccurred())
					return jws.Marshal()
				}),
		)
	})
}

// noFiveXX is the requirement the bad keyChange payloads check.
const noFiveXX = "errors-no-5xx-on-bad-input"

// innerPayload is a well-formed keyChange payload for the spec's account.
func (h *harness) innerPayload() []byte {
	a := h.account()
	b, err := json.Marshal(map[string]any{"account": a.URL, "oldKey": a.Key.JWK()})
	Expect(err).NotTo(HaveOccurred())
	return b
}

// innerJWS signs payload with a fresh key under a well-formed inner header
// changed by hdr: a nil value removes a member.
func (h *harness) innerJWS(hdr map[string]any, payload []byte) []byte {
	k := probe.MustKey(jose.ES256)
	full := map[string]any{"jwk": k.JWK(), "url": h.dir().KeyChange}
	for name, v := range hdr {
		if v == nil {
			delete(full, name)
			continue
		}
		full[name] = v
	}
	jws, err := probe.Sign(k, full, payload)
	Expect(err).NotTo(HaveOccurred())
	return jws.Marshal()
}

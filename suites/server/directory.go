package server

import (
	"encoding/json"
	"net/http"
	"net/url"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/acme"
)

// directorySpecs covers the directory resource (RFC 8555 §7.1.1).
func directorySpecs(h *harness) {
	Describe("Directory", func() {
		h.setup()

		It("answers GET with 200 and a JSON object",
			labels("rfc8555:7.1.1", "MUST", "directory-get-json"), func() {
				resp, err := h.p.Get(h.ctx, h.target.DirectoryURL)
				Expect(err).NotTo(HaveOccurred())
				Expect(resp.Status).To(Equal(http.StatusOK))
				Expect(resp.MediaType()).To(Equal(acme.MediaJSON))
				var obj map[string]json.RawMessage
				Expect(json.Unmarshal(resp.Body, &obj)).To(Succeed(), "directory is a JSON object")
			})

		It("lists newNonce, newAccount, newOrder, revokeCert and keyChange",
			labels("rfc8555:7.1.1", "MUST", "directory-required-resources"), func() {
				d := h.dir()
				for name, u := range map[string]string{
					"newNonce": d.NewNonce, "newAccount": d.NewAccount, "newOrder": d.NewOrder,
					"revokeCert": d.RevokeCert, "keyChange": d.KeyChange,
				} {
					Expect(u).NotTo(BeEmpty(), "directory field %s", name)
				}
			})

		It("gives every resource as an absolute https URL",
			labels("rfc8555:6.1", "MUST", "transport-https"), func() {
				raw := h.rawDirectory()
				for name, v := range raw {
					if name == "meta" {
						continue
					}
					var s string
					Expect(json.Unmarshal(v, &s)).To(Succeed(), "field %s is a string", name)
					u, err := url.Parse(s)
					Expect(err).NotTo(HaveOccurred(), "field %s", name)
					Expect(u.Scheme).To(Equal("https"), "field %s: %s", name, s)
					Expect(u.Host).NotTo(BeEmpty(), "field %s: %s", name, s)
				}
			})

		It("gives meta as an object with correctly typed fields",
			labels("rfc8555:7.1.1", "MUST", "directory-meta-types"), func() {
				raw := h.rawDirectory()
				m, ok := raw["meta"]
				if !ok {
					Skip("directory has no meta object")
				}
				var meta map[string]json.RawMessage
				Expect(json.Unmarshal(m, &meta)).To(Succeed(), "meta is an object")
				checkMetaTypes(meta)
			})

		It("answers POST-as-GET like GET",
			labels("rfc8555:6.3", "MUST", "directory-post-as-get"), func() {
				h.canCreateAccounts()
				a := h.account()
				resp, err := h.p.PostAsGet(h.ctx, h.target.DirectoryURL, a.Key, a.URL)
				Expect(err).NotTo(HaveOccurred())
				expectSuccess(resp, http.StatusOK)
				var d acme.Directory
				Expect(resp.Decode(&d)).To(Succeed())
				Expect(d.NewOrder).To(Equal(h.dir().NewOrder))
			})
	})
}

// rawDirectory returns the directory as raw JSON members.
func (h *harness) rawDirectory() map[string]json.RawMessage {
	resp, err := h.p.Get(h.ctx, h.target.DirectoryURL)
	Expect(err).NotTo(HaveOccurred())
	Expect(resp.Err()).NotTo(HaveOccurred())
	var obj map[string]json.RawMessage
	Expect(resp.Decode(&obj)).To(Succeed())
	return obj
}

// checkMetaTypes asserts the JSON types of the meta fields RFC 8555 §7.1.1
// and the profiles extension define.
func checkMetaTypes(meta map[string]json.RawMessage) {
	GinkgoHelper()
	check := func(name string, into any) {
		if v, ok := meta[name]; ok {
			Expect(json.Unmarshal(v, into)).To(Succeed(), "meta.%s has the wrong type", name)
		}
	}
	var s string
	var list []string
	var b bool
	var profiles map[string]string
	check("termsOfService", &s)
	check("website", &s)
	check("caaIdentities", &list)
	check("externalAccountRequired", &b)
	check("profiles", &profiles)
}

package clients

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	drivers "acmeconform/clients"
)

// problemURN starts every ACME error type (RFC 8555 §6.7).
const problemURN = "urn:ietf:params:acme:error:"

// problemSpecs: the CA refuses, and the client must show why.
func problemSpecs(c *client) {
	Describe("CA errors", func() {
		It("shows the CA's badCSR for a CSR that requests EKUs",
			Label("scenario:csr-eku", "req:client-shows-problem"), func(ctx SpecContext) {
				if !c.env.Features.RejectsEKU {
					Skip("the CA under test accepts CSRs that request EKUs")
				}
				need := drivers.Need{Challenge: drivers.ChallengeHTTP01, CSR: true}
				req := c.scenario(ctx, "eku", need)
				req.Domains = []string{c.env.name("eku")}
				req.CSR = ekuCSR(req.Domains)
				out := c.run(ctx, "obtain", req, obtain)
				Expect(out.ExitCode).NotTo(BeZero(), "the client reported success")
				Expect(out.Output).To(ContainSubstring(problemURN+"badCSR"),
					"the client hid the CA's problem type")
			}, NodeTimeout(opTimeout))

		It("shows the CA's refusal of a spoiled EAB key",
			Label("scenario:eab-spoiled", "req:client-shows-problem"), func(ctx SpecContext) {
				if c.env.SpoiledEAB == nil {
					Skip("no spoiled EAB credentials for the CA under test")
				}
				req := c.scenario(ctx, "eab-spoiled", drivers.Need{
					Challenge: drivers.ChallengeHTTP01, EAB: true,
				})
				eab, err := c.env.SpoiledEAB(ctx)
				Expect(err).NotTo(HaveOccurred(), "make spoiled EAB credentials")
				req.EAB = eab
				req.Domains = []string{c.env.name("eab-spoiled")}
				out := c.run(ctx, "register", req, register)
				Expect(out.ExitCode).NotTo(BeZero(), "the client reported success")
				Expect(out.Output).To(ContainSubstring(problemURN),
					"the client hid the CA's problem type")
			}, NodeTimeout(opTimeout))
	})
}

// ekuCSR returns a PEM CSR for names with a fresh P-256 key that asks for
// the serverAuth and clientAuth extended key usages.
func ekuCSR(names []string) []byte {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	Expect(err).NotTo(HaveOccurred())
	eku, err := asn1.Marshal([]asn1.ObjectIdentifier{
		{1, 3, 6, 1, 5, 5, 7, 3, 1}, {1, 3, 6, 1, 5, 5, 7, 3, 2},
	})
	Expect(err).NotTo(HaveOccurred())
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
		Subject:  pkix.Name{CommonName: names[0]},
		DNSNames: names,
		ExtraExtensions: []pkix.Extension{
			{Id: asn1.ObjectIdentifier{2, 5, 29, 37}, Value: eku},
		},
	}, key)
	Expect(err).NotTo(HaveOccurred())
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der})
}

package clients

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	drivers "acmeconform/clients"
)

// problemSpecs: the CA refuses, and the client must show why.
func problemSpecs(c *client) {
	Describe("CA errors", func() {
		It("shows the CA's badCSR for a CSR that requests EKUs",
			Label("scenario:csr-eku", "req:client-shows-problem"), func(ctx SpecContext) {
				if c.env.EKURefusal == nil {
					Skip("the CA under test is not known to refuse CSRs that request EKUs")
				}
				need := drivers.Need{Challenge: drivers.ChallengeHTTP01, CSR: true}
				req := c.scenario(ctx, "eku", need)
				req.Domains = []string{c.orderName("eku")}
				req.CSR = ekuCSR(req.Domains)
				out := c.run(ctx, "obtain", req, obtain)
				expectShown(out, *c.env.EKURefusal)
			}, NodeTimeout(opTimeout))

		It("shows the CA's refusal of a spoiled EAB key",
			Label("scenario:eab-spoiled", "req:client-shows-problem"), func(ctx SpecContext) {
				if c.env.SpoiledEAB == nil {
					Skip("no spoiled EAB credentials for the CA under test")
				}
				req := c.scenario(ctx, "eab-spoiled", drivers.Need{
					Challenge: drivers.ChallengeHTTP01, EAB: true,
				})
				eab, refusal, err := c.env.SpoiledEAB(ctx)
				Expect(err).NotTo(HaveOccurred(), "make spoiled EAB credentials")
				req.EAB = eab
				req.Domains = []string{c.orderName("eab-spoiled")}
				out := c.run(ctx, "register", req, register)
				expectShown(out, refusal)
			}, NodeTimeout(opTimeout))
	})
}

// expectShown checks that the client failed and showed the CA's problem
// detail; whether it also showed the problem type is recorded.
func expectShown(out drivers.Outcome, r Refusal) {
	Expect(out.ExitCode).NotTo(BeZero(), "the client reported success")
	text := strings.ToLower(out.Output)
	AddReportEntry("problem type shown", r.Type != "" &&
		strings.Contains(text, strings.ToLower(r.Type)))
	Expect(text).To(ContainSubstring(strings.ToLower(r.Detail)),
		"the client did not show the CA's problem detail")
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

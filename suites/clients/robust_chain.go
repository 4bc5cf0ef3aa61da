package clients

import (
	"crypto/x509"
	"fmt"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	drivers "acmeconform/clients"
)

// quirkAltChains is the quirk under which the CA offers the certificate
// under a second root as well (RFC 8555 §7.4.2).
const quirkAltChains = "alternate-chains"

// preferAlternate returns the alternate root, the second of
// Env.IssuerRootsPEM, and asks a client that can choose a chain by root
// name for the chain under it. A client without that option gets no
// preference: it must still install a valid chain and not stumble over
// the Link headers. The spec is skipped when the CA has no second root.
func (c *client) preferAlternate(req *drivers.Request) *x509.Certificate {
	roots, err := parseChain(c.env.IssuerRootsPEM)
	if err != nil || len(roots) < 2 {
		Skip("the CA of this run names no alternate root")
	}
	alt := roots[1]
	if !c.d.Capabilities().PreferredChain {
		By(c.name + " cannot choose a chain by root name; any valid chain will do")
		AddReportEntry("preferred chain", "none: "+c.name+" has no such option")
		return alt
	}
	req.PreferredChain = alt.Subject.CommonName
	By("asking for the chain under " + req.PreferredChain)
	AddReportEntry("preferred chain", req.PreferredChain)
	return alt
}

// expectUnderRoot checks that the stored chain is the one under root:
// its topmost certificate was issued by root and the chain verifies with
// root as the only trust anchor.
func expectUnderRoot(chainPEM []byte, root *x509.Certificate) {
	chain, err := parseChain(chainPEM)
	Expect(err).NotTo(HaveOccurred(), "the client stored no readable chain")
	top := chain[len(chain)-1]
	Expect(top.Issuer.CommonName).To(Equal(root.Subject.CommonName),
		"issuer of the topmost certificate of the stored chain")
	roots := x509.NewCertPool()
	roots.AddCert(root)
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	_, err = chain[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
	Expect(err).NotTo(HaveOccurred(), fmt.Sprintf("the chain does not verify to %s alone",
		root.Subject.CommonName))
}

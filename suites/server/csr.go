package server

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"

	. "github.com/onsi/gomega"
)

// Object identifiers of the CSR extensions specs build by hand.
var (
	oidSAN        = asn1.ObjectIdentifier{2, 5, 29, 17}
	oidEKU        = asn1.ObjectIdentifier{2, 5, 29, 37}
	oidServerAuth = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 1}
	oidClientAuth = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 2}
)

// csrOptions describes an unusual CSR.
type csrOptions struct {
	key      crypto.Signer
	sigAlg   x509.SignatureAlgorithm
	cnOnly   bool     // the first name goes only into the subject common name
	ekuFirst bool     // an EKU extension precedes the SAN extension
	extraSAN []string // with cnOnly: names for the SAN extension
	rawSAN   []string // SAN dNSNames written as given, even non-ASCII
}

// buildCSR makes a CSR for names according to o; a nil key means a fresh
// RSA-2048 key.
func buildCSR(o csrOptions, names ...string) []byte {
	key := o.key
	if key == nil {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		Expect(err).NotTo(HaveOccurred())
		key = k
	}
	tmpl := &x509.CertificateRequest{SignatureAlgorithm: o.sigAlg, DNSNames: names}
	switch {
	case len(o.rawSAN) > 0:
		tmpl.DNSNames = nil
		tmpl.ExtraExtensions = []pkix.Extension{sanExtension(o.rawSAN)}
	case o.cnOnly:
		tmpl.DNSNames = o.extraSAN
		tmpl.Subject = pkix.Name{CommonName: names[0]}
	case o.ekuFirst:
		tmpl.DNSNames = nil
		tmpl.ExtraExtensions = []pkix.Extension{ekuExtension(), sanExtension(names)}
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, tmpl, key)
	Expect(err).NotTo(HaveOccurred())
	return der
}

func ekuExtension() pkix.Extension {
	v, err := asn1.Marshal([]asn1.ObjectIdentifier{oidServerAuth, oidClientAuth})
	Expect(err).NotTo(HaveOccurred())
	return pkix.Extension{Id: oidEKU, Value: v}
}

// sanExtension encodes dNSName general names (RFC 5280 §4.2.1.6).
func sanExtension(names []string) pkix.Extension {
	var gns []asn1.RawValue
	for _, n := range names {
		gns = append(gns, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 2,
			Bytes: []byte(n)})
	}
	v, err := asn1.Marshal(gns)
	Expect(err).NotTo(HaveOccurred())
	return pkix.Extension{Id: oidSAN, Value: v}
}

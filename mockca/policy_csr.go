package mockca

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"slices"
	"strings"
)

// checkCSRPolicy applies the profile's CSR rules (RFC 8555 §7.4: the CA
// refuses a CSR it will not issue for with badCSR): the key type and size,
// the signature algorithm, and no requested extended key usages. Every
// detail names the rule and what the CSR carries.
func (s *Server) checkCSRPolicy(csr *x509.CertificateRequest) error {
	kt := keyType(csr.PublicKey)
	if csr.PublicKey == nil {
		kt = "of an unsupported type (" + csr.PublicKeyAlgorithm.String() + ")"
	}
	if !slices.Contains(s.profile.CSRKeyTypes, kt) {
		return badCSR("CSR key is %s; rule csr.keyTypes allows only %s",
			kt, strings.Join(s.profile.CSRKeyTypes, ", "))
	}
	if !s.csrSigAlgAllowed(csr.SignatureAlgorithm) {
		return badCSR("CSR is signed with %s; rule csr.signatureAlgorithms allows only %s",
			csrSigAlgName(csr), strings.Join(s.csrSigAlgList(), ", "))
	}
	if s.profile.RejectCSREKU {
		if ekus, ok := requestedEKUs(csr); ok {
			return badCSR("CSR requests extended key usages (%s); rule csr.refuseEKU: this CA "+
				"sets the serverAuth EKU itself and refuses CSRs that request any",
				strings.Join(ekus, ", "))
		}
	}
	return nil
}

// csrSigAlgAllowed reports whether the profile accepts alg; a profile
// listing none accepts the built-in set.
func (s *Server) csrSigAlgAllowed(alg x509.SignatureAlgorithm) bool {
	if len(s.profile.CSRSignatureAlgorithms) == 0 {
		return slices.Contains(csrSigAlgs, alg)
	}
	for _, name := range s.profile.CSRSignatureAlgorithms {
		if csrSigAlgNames[name] == alg {
			return true
		}
	}
	return false
}

// csrSigAlgList names the accepted signature algorithms.
func (s *Server) csrSigAlgList() []string {
	if len(s.profile.CSRSignatureAlgorithms) > 0 {
		return s.profile.CSRSignatureAlgorithms
	}
	var out []string
	for _, a := range csrSigAlgs {
		out = append(out, sigAlgName(a))
	}
	return out
}

// csrSigAlgName names the CSR's signature algorithm, also one Go cannot
// use (read from the outer AlgorithmIdentifier, RFC 2986 §4.2).
func csrSigAlgName(csr *x509.CertificateRequest) string {
	if csr.SignatureAlgorithm != x509.UnknownSignatureAlgorithm {
		return sigAlgName(csr.SignatureAlgorithm)
	}
	var outer struct {
		Info asn1.RawValue
		Alg  pkix.AlgorithmIdentifier
		Sig  asn1.BitString
	}
	if _, err := asn1.Unmarshal(csr.Raw, &outer); err != nil {
		return "an unreadable algorithm"
	}
	if n, ok := sigAlgOIDNames[outer.Alg.Algorithm.String()]; ok {
		return n
	}
	return "the algorithm " + outer.Alg.Algorithm.String()
}

// sigAlgOIDNames names signature algorithms Go does not parse.
var sigAlgOIDNames = map[string]string{
	"1.2.840.113549.1.1.10":  "RSASSA-PSS (with parameters Go does not accept)",
	"1.3.101.113":            "Ed448",
	"1.2.840.113549.1.1.4":   "md5WithRSAEncryption",
	"1.2.840.10040.4.3":      "dsa-with-sha1",
	"2.16.840.1.101.3.4.3.2": "dsa-with-sha256",
}

// sigAlgName gives a signature algorithm its RFC name where it has one.
func sigAlgName(alg x509.SignatureAlgorithm) string {
	switch alg {
	case x509.SHA1WithRSA:
		return "sha1WithRSAEncryption"
	case x509.ECDSAWithSHA1:
		return "ecdsa-with-SHA1"
	case x509.MD5WithRSA:
		return "md5WithRSAEncryption"
	}
	for name, a := range csrSigAlgNames {
		if a == alg {
			return name
		}
	}
	return alg.String()
}

// ekuNames names the common extended key usages (RFC 5280 §4.2.1.12).
var ekuNames = map[string]string{
	"1.3.6.1.5.5.7.3.1": "serverAuth",
	"1.3.6.1.5.5.7.3.2": "clientAuth",
	"1.3.6.1.5.5.7.3.3": "codeSigning",
	"1.3.6.1.5.5.7.3.4": "emailProtection",
	"1.3.6.1.5.5.7.3.8": "timeStamping",
	"1.3.6.1.5.5.7.3.9": "OCSPSigning",
	"2.5.29.37.0":       "anyExtendedKeyUsage",
}

// requestedEKUs returns the names of the EKUs a CSR requests and whether
// it carries the extension at all (an unparsable one counts).
func requestedEKUs(csr *x509.CertificateRequest) ([]string, bool) {
	for _, e := range csr.Extensions {
		if !e.Id.Equal(oidExtKeyUsage) {
			continue
		}
		var oids []asn1.ObjectIdentifier
		if _, err := asn1.Unmarshal(e.Value, &oids); err != nil || len(oids) == 0 {
			return []string{"unreadable extension"}, true
		}
		var out []string
		for _, o := range oids {
			if n, ok := ekuNames[o.String()]; ok {
				out = append(out, n)
			} else {
				out = append(out, o.String())
			}
		}
		return out, true
	}
	return nil, false
}

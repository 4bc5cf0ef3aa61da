package server_test

import (
	"os"
	"strings"
	"testing"
)

// pebbleKey lists requirements whose specs must pass on Pebble: the
// walking-skeleton path every ACME server implements.
var pebbleKey = []string{
	"directory-get-json", "directory-required-resources", "nonce-single-use",
	"account-create-201", "order-create-201", "order-finalize-valid",
	"revoke-by-issuer-account", "jws-signature-verified",
}

// pebbleDeviations maps each requirement Pebble v2.10.3 is known to break
// to a short note; docs/known-deviations.md explains each one.
var pebbleDeviations = map[string]string{
	"nonce-no-store":               "newNonce sends no-cache, not no-store",
	"jws-url-match":                "url mismatch answered malformed, not unauthorized",
	"jws-badsigalg-algorithms":     "badSignatureAlgorithm lists algorithms only in detail",
	"jws-eddsa-supported":          "EdDSA account keys are refused",
	"robust-oversized-body":        "a megabyte-sized JWS payload is processed",
	"account-deactivated-refused":  "deactivated account answered 403, not 401",
	"finalize-csr-mismatch":        "names differing from the order get unauthorized",
	"finalize-csr-cn-only":         "a name given only as common name is refused",
	"finalize-csr-weak-key":        "a CSR with an RSA-1024 key is accepted",
	"keychange-conflict":           "rollover to a taken key answers 200, empty body",
	"keychange-conflict-refused":   "rollover to a taken key answers 200, empty body",
	"order-invalid-dns-name":       "a name with an empty label is accepted",
	"idn-xn-labels-verified":       "an xn-- label that is not valid punycode is accepted",
	"revoke-by-authorized-account": "only the issuing account may revoke",
	"revoke-bad-reason-lists":      "badRevocationReason detail lists no allowed codes",
	"caa-other-ca-blocks":          "no CAA checking",
	"caa-problem-type":             "no CAA checking",
	"caa-issuewild-blocks":         "no CAA checking",
	"caa-critical-unknown-blocks":  "no CAA checking",
	"caa-tree-climb":               "no CAA checking",
	"caa-accounturi":               "no CAA checking",
	"caa-validationmethods":        "no CAA checking",
}

// atlasDeviations and leDeviations list requirements the mock CA breaks
// today in each profile. Every entry is an open defect of the mock CA that
// this suite found; the lists must shrink to empty.
var atlasDeviations = map[string]string{}

var leDeviations = map[string]string{}

// deviationsDoc is where the deviations of real servers are explained.
const deviationsDoc = "../../docs/known-deviations.md"

func TestDeviationsAreDocumented(t *testing.T) {
	b, err := os.ReadFile(deviationsDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for id := range pebbleDeviations {
		family, _, _ := strings.Cut(id, "-")
		if !strings.Contains(doc, "`"+id+"`") && !strings.Contains(doc, "`"+family+"-*`") {
			t.Errorf("%s lists Pebble deviation %s without explaining it", deviationsDoc, id)
		}
	}
}

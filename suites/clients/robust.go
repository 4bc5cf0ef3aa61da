package clients

import (
	"crypto/x509"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	drivers "acmeconform/clients"
)

// LabelRobustness marks the robustness scenarios: server behaviour the
// RFCs allow but clients rarely meet. Reports gather them into the
// robustness matrix.
const LabelRobustness = "robustness"

// ScenarioRobustPrefix starts the scenario name of every robustness
// scenario; the rest is the name of the CA quirk it switches on.
const ScenarioRobustPrefix = "robust-"

// RobustScenario is one robustness scenario: the CA quirk switched on
// while the client obtains a certificate, and the requirement of the
// catalog that says how a client copes with it.
type RobustScenario struct {
	// Quirk is the CA behaviour's name, as Env.SetQuirks takes it.
	Quirk string
	// Title is the spec's description.
	Title string
	// Requirement is the catalog id of the rule the client follows.
	Requirement string
}

// RobustScenarios lists the robustness scenarios, one per CA quirk.
func RobustScenarios() []RobustScenario {
	return []RobustScenario{
		{"badnonce-on-first-post", "retries with the fresh nonce after badNonce",
			"client-badnonce-retry"},
		{"neworder-503-retry-after", "retries newOrder after 503 and Retry-After",
			"client-retry-after-503"},
		{"neworder-429-retry-after-seconds", "retries newOrder after 429, Retry-After in seconds",
			"client-rate-limit-retry-seconds"},
		{"neworder-429-retry-after-date", "retries newOrder after 429, Retry-After as a date",
			"client-rate-limit-retry-date"},
		{"order-processing-3s", "polls an order that stays processing",
			"client-poll-processing"},
		{"directory-without-meta", "works with a directory without meta",
			"client-directory-meta-optional"},
		{"pretty-json-unknown-fields", "reads indented JSON with unknown members",
			"client-ignore-unknown-fields"},
		{"authorizations-already-valid", "finalizes an order whose authorizations are valid",
			"client-skip-valid-authz"},
		{"certificate-media-type-parameters", "downloads a chain whose media type has parameters",
			"client-media-type-params"},
		{quirkAltChains, "installs the chain it prefers among the alternates",
			"client-alternate-chains"},
		{"account-url-unrelated-path", "signs with the account URL from Location",
			"client-account-url-location"},
	}
}

// robustnessSpecs: one certificate by http-01 under each quirk.
func robustnessSpecs(c *client) {
	Describe("robustness", Label(LabelRobustness), func() {
		for _, sc := range RobustScenarios() {
			It(sc.Title, Label("scenario:"+ScenarioRobustPrefix+sc.Quirk, "req:"+sc.Requirement,
				"challenge:http-01"), func(ctx SpecContext) {
				c.obtainUnderQuirk(ctx, sc.Quirk)
			}, NodeTimeout(opTimeout))
		}
	})
}

// obtainUnderQuirk switches quirk on for this spec alone and has the
// client obtain a certificate for a fresh name by http-01; the spec
// passes when the client stored a valid chain for it.
func (c *client) obtainUnderQuirk(ctx SpecContext, quirk string) {
	if c.env.SetQuirks == nil {
		Skip("the CA of this run cannot be switched into unusual behaviour")
	}
	req := c.scenario(ctx, "robust-"+quirk, drivers.Need{Challenge: drivers.ChallengeHTTP01})
	req.Domains = []string{c.orderName("robust")}
	var alt *x509.Certificate
	if quirk == quirkAltChains {
		alt = c.preferAlternate(&req)
	}

	By("switching the CA quirk " + quirk + " on")
	Expect(c.env.SetQuirks(ctx, []string{quirk})).To(Succeed(), "switch quirk %s on", quirk)
	DeferCleanup(func(ctx SpecContext) {
		Expect(c.env.SetQuirks(ctx, nil)).To(Succeed(), "switch quirk %s off", quirk)
	}, NodeTimeout(opTimeout))
	AddReportEntry("quirk", quirk)

	out := c.runOK(ctx, "obtain", req, obtain)
	c.env.expectCert(out.Chain, req.Domains)
	if alt != nil && req.PreferredChain != "" {
		expectUnderRoot(out.Chain, alt)
	}
}

package clients

import (
	"fmt"
	"strings"

	. "github.com/onsi/ginkgo/v2"
)

// KnownDeviation is a defect of one client version that a scenario
// rightly exposes. The scenario is skipped for that version with the
// reason, so a run shows what the client cannot do without failing on a
// bug that is not the target's; any other version runs the scenario, so a
// fixed client is noticed.
type KnownDeviation struct {
	Client, Version, Scenario, Why string
}

// KnownDeviations lists the client defects the suite found, by client
// version (the version string the driver reports).
var KnownDeviations = []KnownDeviation{
	{"certbot", "2.1.0", "csr-eku", "certbot 2.1.0 crashes (\"AttributeError: can't set " +
		"attribute\") when finalize is refused, so the CA's badCSR detail never reaches the user"},
	{"uacme", "1.7.4", "eab-padded", "uacme 1.7.4 refuses an EAB MAC key written with " +
		"base64 padding; RFC 7515 §2 keys decode the same with or without it"},
}

// skipKnownDeviation skips the running spec when the client version has a
// known defect that the spec's scenario (its "scenario:" label) exposes.
func (c *client) skipKnownDeviation() {
	scenario := currentScenario()
	for _, d := range KnownDeviations {
		if d.Client == c.name && d.Scenario == scenario && strings.HasPrefix(c.version, d.Version) {
			Skip(fmt.Sprintf("known deviation of %s %s: %s", c.name, c.version, d.Why))
		}
	}
}

// currentScenario returns the running spec's scenario: the value of its
// "scenario:" label.
func currentScenario() string {
	var scenario string
	for _, l := range CurrentSpecReport().Labels() {
		if v, ok := strings.CutPrefix(l, "scenario:"); ok {
			scenario = v
		}
	}
	return scenario
}

package server

import (
	"acmeconform/catalog"
	"acmeconform/suites"

	. "github.com/onsi/ginkgo/v2"
)

// EvidencePrefix starts the name of every report entry the runner turns
// into report evidence.
const EvidencePrefix = "evidence:"

// Define registers every server spec for target t. Call it before
// ginkgo.RunSpecs, at the top level or inside a container (to run the specs
// against several targets in one suite). The fields of *t are read only
// while specs run, so they may be filled in by a BeforeSuite.
func Define(t *suites.Target) {
	h := &harness{target: t}
	directorySpecs(h)
	nonceSpecs(h)
	transportSpecs(h)
	jwsSpecs(h)
	accountSpecs(h)
	moreAccountSpecs(h)
	eabSpecs(h)
	keyChangeSpecs(h)
	keyChangeGarbageSpecs(h)
	orderSpecs(h)
	orderWindowSpecs(h)
	preauthSpecs(h)
	authzSpecs(h)
	challengeSpecs(h)
	tlsALPNSpecs(h)
	finalizeSpecs(h)
	certSpecs(h)
	revocationSpecs(h)
	revokeMoreSpecs(h)
	ariSpecs(h)
	profileSpecs(h)
	caaSpecs(h)
	ipSpecs(h)
	atlasSpecs(h)
	atlasEABSpecs(h)
	finalizeNameSpecs(h)
	loadSpecs(h)
}

// labels builds the labels of a spec: its section (e.g. "rfc8555:6.5"),
// its level and one "req:" label per requirement id.
func labels(section, level string, reqs ...string) Labels {
	l := Labels{section, "level:" + level}
	for _, r := range reqs {
		l = append(l, catalog.LabelPrefix+r)
	}
	return l
}

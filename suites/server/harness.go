package server

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/acme"
	"acmeconform/catalog"
	"acmeconform/suites"
	"acmeconform/suites/flow"
	"acmeconform/suites/probe"
)

// Bounds of one spec and of its evidence.
const (
	specTimeout       = 45 * time.Second
	evidenceExchanges = 24
	// The suite polls a few times quickly before it honours a server's
	// Retry-After, and then only up to maxRetryAfter.
	pollInterval  = 50 * time.Millisecond
	quickPolls    = 4
	maxRetryAfter = time.Second
)

// harness is the per-target state the specs of one Define call share. Its
// per-spec fields are replaced before every spec by begin.
type harness struct {
	target *suites.Target

	ctx  context.Context
	p    *probe.Client
	f    *flow.Flow
	acct *flow.Account
}

// setup registers, in the calling container, the per-spec preparation:
// a fresh probe client and flow, a deadline and the evidence hook.
func (h *harness) setup() {
	BeforeEach(h.begin)
}

func (h *harness) begin() {
	// A spec waits for an authorization and then for an order; a longer
	// poll timeout makes room for both.
	ctx, cancel := context.WithTimeout(context.Background(),
		max(specTimeout, 2*h.target.PollTimeout+15*time.Second))
	DeferCleanup(cancel)
	p, err := probe.New(probe.Config{
		DirectoryURL: h.target.DirectoryURL, HTTPClient: h.target.HTTPClient,
	})
	Expect(err).NotTo(HaveOccurred())
	f, err := flow.New(flow.Config{Target: h.target, Probe: p, PollInterval: pollInterval,
		PollTimeout: h.target.PollTimeout, MaxRetryAfter: maxRetryAfter, QuickPolls: quickPolls})
	Expect(err).NotTo(HaveOccurred())
	h.ctx, h.p, h.f, h.acct = ctx, p, f, nil
	DeferCleanup(func() { attachEvidence(p) })
}

// attachEvidence adds the recorded exchanges of a failed spec to its
// report under an "evidence:" name.
func attachEvidence(p *probe.Client) {
	if !CurrentSpecReport().Failed() {
		return
	}
	AddReportEntry(EvidencePrefix+"http", p.Transcript(evidenceExchanges),
		ReportEntryVisibilityFailureOrVerbose)
}

// dir returns the directory or fails the spec.
func (h *harness) dir() *acme.Directory {
	d, err := h.p.Directory(h.ctx)
	Expect(err).NotTo(HaveOccurred(), "fetch directory")
	return d
}

// canCreateAccounts skips the spec when the server demands EAB and the
// target has no credentials.
func (h *harness) canCreateAccounts() {
	d := h.dir()
	if d.Meta != nil && d.Meta.ExternalAccountRequired && h.target.EAB == nil {
		Skip("server requires external account binding; target has no EAB credentials")
	}
}

// account returns the spec's account, creating it on first use.
func (h *harness) account() *flow.Account {
	if h.acct != nil {
		return h.acct
	}
	h.acct = h.newAccount()
	return h.acct
}

// newAccount creates a fresh account or fails the spec.
func (h *harness) newAccount() *flow.Account {
	h.canCreateAccounts()
	a, err := h.f.NewAccount(h.ctx)
	Expect(err).NotTo(HaveOccurred(), "create account")
	return a
}

// needValidation skips the spec when the harness cannot answer challenges:
// specs that need a fresh challenge exchange call it.
func (h *harness) needValidation() {
	if ok, why := h.f.CanValidate(); !ok {
		Skip(why)
	}
}

// issueName returns a name the spec can get a certificate for: a fresh
// one when the harness answers challenges, otherwise one of the target's
// validated names (RFC 8555 §7.1.4: the server may reuse a validation);
// it skips the spec when there is neither.
func (h *harness) issueName() string {
	if ok, why := h.f.CanValidate(); !ok {
		if len(h.target.ValidatedNames) == 0 {
			Skip(why)
		}
		return h.target.ValidatedName()
	}
	return h.name()
}

// issuable returns the names an issuing spec orders: names, or one from
// issueName when none are given. Names of the spec's own need challenges
// unless the target lists them all as validated.
func (h *harness) issuable(names []string) []string {
	if len(names) == 0 {
		return []string{h.issueName()}
	}
	for _, n := range names {
		if !h.target.IsValidated(n) {
			h.needValidation()
		}
	}
	return names
}

// name returns a fresh DNS name under the target's domain, distinct
// across parallel Ginkgo processes too.
func (h *harness) name() string {
	if h.target.Domain == "" {
		Skip("target has no Domain to make fresh names under")
	}
	return h.target.NewName(fmt.Sprintf("c%d", GinkgoParallelProcess()))
}

// skipNoSolver skips on flow.ErrNoSolver and otherwise fails on err. A
// name listed as validated that needs a challenge after all fails the
// spec with the name: the run's premise is wrong, and a skip would let it
// pass without testing anything. A flow precondition the server broke
// skips the spec as inconclusive (skipInconclusive).
func skipNoSolver(err error, what string) {
	GinkgoHelper()
	if errors.Is(err, flow.ErrNoSolver) {
		Skip(err.Error())
	}
	skipInconclusive(err)
	if errors.Is(err, flow.ErrNotReused) {
		Fail(what + ": " + err.Error() + "; check --validated-names and the account " +
			"(EAB credentials) the names were validated for")
	}
	Expect(err).NotTo(HaveOccurred(), what)
}

// skipInconclusive skips the spec when err is a flow precondition the
// server broke (flow.PreconditionError), unless the spec checks that very
// requirement: the defect is blamed on the spec of its requirement, not on
// every spec that needed the state the flow could not reach.
func skipInconclusive(err error) {
	var pe *flow.PreconditionError
	if !errors.As(err, &pe) ||
		slices.Contains(CurrentSpecReport().Labels(), catalog.LabelPrefix+pe.Requirement) {
		return
	}
	Skip("inconclusive: " + pe.Error())
}

// readyOrder returns an order in state ready for names, or for a name
// from issueName.
func (h *harness) readyOrder(names ...string) *flow.Order {
	names = h.issuable(names)
	o, err := h.f.ReadyOrder(h.ctx, h.account(), names...)
	skipNoSolver(err, "get an order to ready")
	return o
}

// issue obtains a certificate for names, or for a name from issueName.
func (h *harness) issue(names ...string) *flow.Issued {
	names = h.issuable(names)
	iss, err := h.f.Issue(h.ctx, h.account(), names...)
	skipNoSolver(err, "issue a certificate")
	return iss
}

// expectProblem asserts that resp is an error with a problem document
// (RFC 8555 §6.7) of one of the given types. status 0 accepts any 4xx.
func expectProblem(resp *probe.Response, status int, types ...acme.ProblemType) {
	GinkgoHelper()
	if status != 0 {
		Expect(resp.Status).To(Equal(status), "HTTP status")
	} else {
		Expect(resp.Status).To(BeNumerically(">=", 400), "HTTP status")
		Expect(resp.Status).To(BeNumerically("<", 500), "HTTP status")
	}
	p := resp.Problem()
	Expect(p).NotTo(BeNil(), "error response is not a problem document: %v", resp.Err())
	if len(types) > 0 {
		Expect(p.Type).To(BeElementOf(types), "problem type")
	}
}

// expectSuccess asserts a 2xx response with the given status (0: any).
func expectSuccess(resp *probe.Response, status int) {
	GinkgoHelper()
	Expect(resp.Err()).NotTo(HaveOccurred())
	if status != 0 {
		Expect(resp.Status).To(Equal(status), "HTTP status")
	}
	Expect(resp.Status).To(BeNumerically("<", 300), "HTTP status")
}

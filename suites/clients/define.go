package clients

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	drivers "acmeconform/clients"
)

// opTimeout bounds one client operation.
const opTimeout = 3 * time.Minute

// Define builds the client suite's spec tree: every scenario for every
// client of drivers.Names(), then for every other client among
// env.Drivers at this moment (clients of manifests), labelled
// "client:NAME" and "scenario:NAME". Call it while the tree is built (at
// package level or before RunSpecs); the rest of env is read only when
// the specs run. It returns true so that it can be called as
// "var _ = Define(env)".
func Define(env *Env) bool {
	names := drivers.Names()
	for _, d := range env.Drivers {
		if !slices.Contains(names, d.Name()) {
			names = append(names, d.Name())
		}
	}
	for _, name := range names {
		describeClient(env, name)
	}
	return true
}

// client is the per-client state shared by the specs of one client.
type client struct {
	env     *Env
	name    string
	d       drivers.Driver
	version string
	probed  bool
	bad     error
	// validated is set while a scenario orders ValidatedNames because
	// its challenge type does not reach the clients.
	validated bool
}

func describeClient(env *Env, name string) {
	c := &client{env: env, name: name}
	Describe("client "+name, Label("client:"+name), func() {
		BeforeEach(func(ctx SpecContext) { c.prepare(ctx) }, NodeTimeout(time.Minute))
		accountSpecs(c)
		issuanceSpecs(c)
		lifecycleSpecs(c)
		problemSpecs(c)
		renewalInfoSpecs(c)
		robustnessSpecs(c)
	})
}

// prepare fails on a broken Env, skips a client that is not configured or
// cannot run here, and records which client version ran.
func (c *client) prepare(ctx SpecContext) {
	Expect(c.env.check()).To(Succeed())
	c.d = c.env.driver(c.name)
	if c.d == nil {
		Skip(fmt.Sprintf("%s: not among the clients of this run", c.name))
	}
	if !c.probed {
		c.version, c.bad = c.d.Version(ctx)
		c.probed = true
	}
	if c.bad != nil {
		Skip(fmt.Sprintf("%s: not usable here: %v", c.name, c.bad))
	}
	AddReportEntry("client", map[string]string{
		"name": c.name, "version": c.version, "mode": string(c.d.Mode()),
		"target": c.env.Target,
	})
}

// scenario skips the spec unless the client meets need, then returns a
// request with a fresh state directory. When the CA requires EAB, the
// request carries fresh credentials.
func (c *client) scenario(ctx SpecContext, slug string, need drivers.Need) drivers.Request {
	if c.env.MintEAB != nil {
		need.EAB = true
	}
	scenario := currentScenario()
	if f, ok := c.d.(drivers.ScenarioFilter); ok {
		if err := f.CanRun(scenario); err != nil {
			Skip(fmt.Sprintf("%s: %v", c.name, err))
		}
	}
	if err := c.d.Capabilities().Check(need); err != nil {
		Skip(fmt.Sprintf("%s: %v", c.name, err))
	}
	c.skipKnownDeviation()
	c.useValidated(need.Challenge)
	dir := filepath.Join(c.env.WorkDir, c.name, fmt.Sprintf("%s-%d", slug, c.env.seq.Add(1)))
	Expect(os.MkdirAll(dir, 0o700)).To(Succeed())

	req := drivers.Request{
		Target: drivers.Target{
			DirectoryURL: c.env.DirectoryURL, CACertFile: c.env.CACertFile,
			DNSAddr: c.env.DNSAddr, DNSAPIURL: c.env.DNSAPIURL, HTTP01Port: c.env.HTTP01Port,
			TSIG: c.env.TSIG,
		},
		Dir:       dir,
		Email:     "acme-admin@" + c.env.Domain,
		Challenge: need.Challenge,
		DNS:       need.DNS,
		Key:       need.Key,
		Scenario:  scenario,
	}
	if c.env.MintEAB != nil {
		eab, err := c.env.MintEAB(ctx)
		Expect(err).NotTo(HaveOccurred(), "mint EAB credentials")
		req.EAB = eab
	}
	return req
}

// opFunc is one driver operation.
type opFunc func(d drivers.Driver, ctx SpecContext, r drivers.Request) (drivers.Outcome, error)

// run performs one operation, records its command line and output as
// report evidence, and fails the spec when the client could not be run.
func (c *client) run(ctx SpecContext, step string, req drivers.Request, f opFunc) drivers.Outcome {
	By(fmt.Sprintf("%s: %s %s", c.name, step, strings.Join(req.Domains, " ")))
	out, err := f(c.d, ctx, req)
	evidence := fmt.Sprintf("$ %s\nexit %d\n%s", strings.Join(out.Argv, " "), out.ExitCode,
		out.Output)
	AddReportEntry(c.name+" "+step, redact(evidence, req), ReportEntryVisibilityFailureOrVerbose)
	Expect(err).NotTo(HaveOccurred(), "%s %s could not run", c.name, step)
	return out
}

// redact hides the request's secrets (EAB MAC key, TSIG secret) in text
// bound for a report.
func redact(text string, req drivers.Request) string {
	var secrets []string
	if req.EAB != nil {
		k := strings.TrimRight(req.EAB.HMACKey, "=")
		secrets = append(secrets, req.EAB.HMACKey, padded(k), k)
	}
	if req.Target.TSIG != nil {
		secrets = append(secrets, req.Target.TSIG.Secret)
	}
	for _, s := range secrets {
		if s != "" {
			text = strings.ReplaceAll(text, s, "[redacted]")
		}
	}
	return text
}

// runOK is run plus the expectation that the client exited with status 0.
func (c *client) runOK(ctx SpecContext, step string, req drivers.Request,
	f opFunc) drivers.Outcome {
	out := c.run(ctx, step, req, f)
	Expect(out.ExitCode).To(BeZero(), "%s %s failed:\n%s", c.name, step,
		redact(tail(out.Output, 3000), req))
	return out
}

// Operations, in the shape run takes.
func register(d drivers.Driver, ctx SpecContext, r drivers.Request) (drivers.Outcome, error) {
	return d.Register(ctx, r)
}

func obtain(d drivers.Driver, ctx SpecContext, r drivers.Request) (drivers.Outcome, error) {
	return d.Obtain(ctx, r)
}

func renew(d drivers.Driver, ctx SpecContext, r drivers.Request) (drivers.Outcome, error) {
	return d.Renew(ctx, r)
}

func revoke(d drivers.Driver, ctx SpecContext, r drivers.Request) (drivers.Outcome, error) {
	return d.Revoke(ctx, r)
}

// tail returns the last n bytes of s.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}

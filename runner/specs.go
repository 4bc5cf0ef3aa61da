package runner

import (
	"fmt"
	"hash/fnv"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/formatter"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"

	"acmeconform/catalog"
	"acmeconform/reports"
)

// Label keys the runner reads from specs.
const (
	labelTarget   = "target:"
	labelClient   = "client:"
	labelScenario = "scenario:"
	evidencePre   = "evidence:"
	shardSkip     = "acmeconform: spec belongs to another shard"
)

// testingT is the minimal GinkgoTestingT: RunSpecs only reports failure.
type testingT struct{ failed bool }

func (t *testingT) Fail() { t.failed = true }

// runSpecs runs every spec registered so far and returns their reports. Ginkgo
// allows one run per process, so Run may be called once per process too.
func runSpecs(cfg Config) (types.Report, error) {
	shardI, shardN, _ := parseShard(cfg.Shard)
	if shardN > 1 {
		ginkgo.BeforeEach(func() {
			if !inShard(ginkgo.CurrentSpecReport().FullText(), shardI, shardN) {
				ginkgo.Skip(shardSkip)
			}
		})
	}
	var result types.Report
	ginkgo.ReportAfterSuite("acmeconform collect", func(r ginkgo.Report) { result = r })
	p := newProgress(cfg.Progress)
	ginkgo.ReportBeforeSuite(func(r ginkgo.Report) { p.start(r.PreRunStats.SpecsThatWillRun) })
	ginkgo.ReportAfterEach(func(r ginkgo.SpecReport) {
		if !leftOut(r) {
			p.done(r)
		}
	})

	sc, rc := ginkgo.GinkgoConfiguration()
	sc.RandomSeed = cfg.Seed
	sc.RandomizeAllSpecs = true
	sc.LabelFilter = cfg.LabelFilter
	sc.Timeout = cfg.Timeout
	sc.PollProgressAfter = 0
	rc.NoColor = true
	rc.Succinct = true
	formatter.ColorableStdOut = writerOr(cfg.SpecLog)
	formatter.ColorableStdErr = writerOr(cfg.SpecLog)

	gomega.RegisterFailHandler(ginkgo.Fail)
	ginkgo.RunSpecs(&testingT{}, "acmeconform", sc, rc)
	p.finish()
	// A timeout or an interrupt ends the run before its verdicts are whole.
	if len(result.SpecialSuiteFailureReasons) > 0 {
		return result, &InfraError{Err: fmt.Errorf("run specs: %s",
			strings.Join(result.SpecialSuiteFailureReasons, "; "))}
	}
	return result, nil
}

func writerOr(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}

// inShard splits specs deterministically by a hash of their full text, so
// every shard of the same build sees the same split whatever the seed.
func inShard(text string, i, n int) bool {
	h := fnv.New32a()
	h.Write([]byte(text))
	return int(h.Sum32()%uint32(n)) == i-1
}

// specResults converts Ginkgo's spec reports into report specs, leaving out
// setup nodes and specs that belong to another shard.
func specResults(r types.Report) []reports.Spec {
	var out []reports.Spec
	for _, s := range r.SpecReports {
		if s.LeafNodeType != types.NodeTypeIt {
			continue
		}
		if leftOut(s) {
			continue
		}
		out = append(out, specResult(s))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// leftOut tells specs the label filter or the shard left out: they did not
// run here and are absent from this report, not skipped.
func leftOut(s types.SpecReport) bool {
	return s.State == types.SpecStateSkipped && (s.Failure.Message == shardSkip || s.Failure.Message == "")
}

func specResult(s types.SpecReport) reports.Spec {
	labels := s.Labels()
	spec := reports.Spec{
		Name:         s.FullText(),
		Target:       labelValue(labels, labelTarget),
		Client:       labelValue(labels, labelClient),
		Scenario:     labelValue(labels, labelScenario),
		Requirements: catalog.IDsFromLabels(labels),
		Labels:       labels,
		State:        s.State.String(),
		Duration:     s.RunTime.Round(time.Millisecond),
	}
	if s.State.Is(types.SpecStateFailureStates | types.SpecStateSkipped) {
		spec.Message = s.Failure.Message
		if s.Failure.ForwardedPanic != "" {
			spec.Message += ": " + s.Failure.ForwardedPanic
		}
	}
	for _, e := range s.ReportEntries {
		if name, ok := strings.CutPrefix(e.Name, evidencePre); ok {
			spec.Evidence = append(spec.Evidence, reports.Evidence{Name: name, Value: e.StringRepresentation()})
		}
	}
	return spec
}

// clientsFrom collects the client versions the client suite recorded in
// "client" report entries, one per client and mode.
func clientsFrom(r types.Report) []reports.Client {
	seen := map[string]reports.Client{}
	for _, s := range r.SpecReports {
		for _, e := range s.ReportEntries {
			if e.Name != "client" {
				continue
			}
			m, ok := e.GetRawValue().(map[string]string)
			if !ok || m["version"] == "" {
				continue
			}
			c := reports.Client{Name: m["name"], Version: m["version"], Mode: m["mode"]}
			seen[c.Name+"/"+c.Mode] = c
		}
	}
	out := make([]reports.Client, 0, len(seen))
	for _, c := range seen {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name+out[i].Mode < out[j].Name+out[j].Mode })
	return out
}

func labelValue(labels []string, prefix string) string {
	for _, l := range labels {
		if v, ok := strings.CutPrefix(l, prefix); ok {
			return v
		}
	}
	return ""
}

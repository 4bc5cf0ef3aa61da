package server

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"acmeconform/suites/flow"
	"acmeconform/suites/probe"
)

// Bounds of the load spec: workers issuing at once, how long they issue,
// and when one issuance counts as a stall (and is abandoned at twice that).
const (
	loadWorkers  = 8
	loadDuration = 10 * time.Second
	loadStall    = 5 * time.Second
)

// loadSpecs register the load spec: concurrent full issuance flows for a
// set time, reporting throughput, latency and stalls. It is informational
// (level MAY) and runs only when the label filter names the load label, so
// ordinary runs stay fast.
func loadSpecs(h *harness) {
	Describe("Load", Label("load"), func() {
		h.setup()

		It("issues for concurrent clients without a stall or an error",
			labels("rfc8555:7", "MAY", "load-concurrent-issuance"), func() {
				filter := GinkgoLabelFilter()
				if !strings.Contains(filter, "load") || !Label("load").MatchesLabelFilter(filter) {
					Skip("the load spec runs only when the label filter selects it " +
						"(--label-filter load)")
				}
				h.needValidation()
				h.canCreateAccounts()
				st := h.runLoad(loadWorkers, loadDuration)
				AddReportEntry(EvidencePrefix+"load", st.String())
				GinkgoWriter.Println(st.String())
				Expect(st.ok).To(BeNumerically(">", 0), "no issuance completed: %s", st)
				Expect(st.errs).To(BeEmpty(), "issuances failed under load: %s", st)
				Expect(st.stalls).To(BeZero(), "issuances stalled under load: %s", st)
			})
	})
}

// loadStats are the figures of one load run.
type loadStats struct {
	mu        sync.Mutex
	workers   int
	elapsed   time.Duration
	ok        int
	stalls    int
	latencies []time.Duration
	errs      []string
}

// record counts one issuance that took d and ended with err.
func (s *loadStats) record(d time.Duration, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d >= loadStall {
		s.stalls++
	}
	if err != nil {
		if len(s.errs) < 5 {
			s.errs = append(s.errs, err.Error())
		}
		return
	}
	s.ok++
	s.latencies = append(s.latencies, d)
}

// percentile returns the p-th percentile (0 to 100) of the latencies.
func (s *loadStats) percentile(p int) time.Duration {
	if len(s.latencies) == 0 {
		return 0
	}
	l := slices.Sorted(slices.Values(s.latencies))
	return l[(len(l)-1)*p/100]
}

// String renders the figures on one line.
func (s *loadStats) String() string {
	rate := float64(s.ok) / s.elapsed.Seconds()
	return fmt.Sprintf("%d workers for %s: %d issued (%.1f/s), p50 %s, p99 %s, %d stalls "+
		"(over %s), %d errors %q", s.workers, s.elapsed.Round(time.Millisecond), s.ok, rate,
		s.percentile(50).Round(time.Millisecond), s.percentile(99).Round(time.Millisecond),
		s.stalls, loadStall, len(s.errs), s.errs)
}

// runLoad runs workers issuance loops until d has passed and returns
// their figures.
func (h *harness) runLoad(workers int, d time.Duration) *loadStats {
	st := &loadStats{workers: workers}
	ctx, cancel := context.WithTimeout(h.ctx, d+2*loadStall)
	defer cancel()
	start := time.Now()
	end := start.Add(d)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			defer GinkgoRecover()
			h.loadWorker(ctx, end, st)
		})
	}
	wg.Wait()
	st.elapsed = time.Since(start)
	return st
}

// loadWorker creates its own client and account, then issues for fresh
// names until end.
func (h *harness) loadWorker(ctx context.Context, end time.Time, st *loadStats) {
	p, err := probe.New(probe.Config{
		DirectoryURL: h.target.DirectoryURL, HTTPClient: h.target.HTTPClient,
	})
	if err != nil {
		st.record(0, err)
		return
	}
	f, err := flow.New(flow.Config{Target: h.target, Probe: p, PollInterval: pollInterval,
		PollTimeout: h.target.PollTimeout, MaxRetryAfter: maxRetryAfter, QuickPolls: quickPolls})
	if err != nil {
		st.record(0, err)
		return
	}
	acct, err := f.NewAccount(ctx)
	if err != nil {
		st.record(0, fmt.Errorf("create account: %w", err))
		return
	}
	for time.Now().Before(end) && ctx.Err() == nil {
		ictx, cancel := context.WithTimeout(ctx, 2*loadStall)
		t0 := time.Now()
		_, err := f.Issue(ictx, acct, h.target.NewName(fmt.Sprintf("l%d", GinkgoParallelProcess())))
		cancel()
		st.record(time.Since(t0), err)
	}
}

package runner

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

// progress prints one line per finished spec: done of total, elapsed time,
// verdict and the spec's name, so a long run shows where it is.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	total   int
	n       int
	failed  int
	started time.Time
}

func newProgress(w io.Writer) *progress { return &progress{w: w} }

func (p *progress) start(total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total, p.started = total, time.Now()
	if p.w != nil {
		fmt.Fprintf(p.w, "running %d specs\n", total)
	}
}

func (p *progress) done(r types.SpecReport) {
	if r.LeafNodeType != types.NodeTypeIt {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	if r.State.Is(types.SpecStateFailureStates) {
		p.failed++
	}
	if p.w == nil {
		return
	}
	elapsed := time.Since(p.started).Round(100 * time.Millisecond)
	fmt.Fprintf(p.w, "[%d/%d %s] %-7s %s\n", p.n, p.total, elapsed, r.State, r.FullText())
}

func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.w != nil && p.total > 0 {
		fmt.Fprintf(p.w, "finished %d specs in %s, %d failed\n",
			p.n, time.Since(p.started).Round(100*time.Millisecond), p.failed)
	}
}

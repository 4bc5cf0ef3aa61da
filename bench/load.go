package bench

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// LevelResult is one concurrency level against one server.
type LevelResult struct {
	Server  string
	Workers int
	// Issued counts certificates downloaded; Errors failed issuances and
	// accounts that could not be created; Stalls issuances with no answer
	// within the stall timeout.
	Issued, Errors, Stalls int
	Elapsed                time.Duration
	P50, P99               time.Duration
	// ServerCPU is the server process's CPU time during the level.
	ServerCPU time.Duration
	// FirstError is the first error seen, for the report.
	FirstError string
}

// Rate returns issuances per second; 0 for a level that did not run (nil).
func (l *LevelResult) Rate() float64 {
	if l == nil || l.Elapsed <= 0 {
		return 0
	}
	return float64(l.Issued) / l.Elapsed.Seconds()
}

// CPUPerIssuance returns the server's CPU milliseconds per issuance; 0 for
// a level that did not run (nil).
func (l *LevelResult) CPUPerIssuance() float64 {
	if l == nil || l.Issued == 0 {
		return 0
	}
	return float64(l.ServerCPU.Microseconds()) / 1000 / float64(l.Issued)
}

// levelRun is the shared state of one level's workers.
type levelRun struct {
	cfg      Config
	tag      string
	deadline time.Time
	left     atomic.Int64

	mu    sync.Mutex
	lats  []time.Duration
	res   LevelResult
	first error
}

// runLevel registers n accounts at t, then lets them issue for the level's
// time or count, and measures the server's CPU over the issuing part.
func runLevel(ctx context.Context, cfg Config, t *target, ts tokenServer, n int,
	tag string) LevelResult {
	lr := newLevelRun(cfg, t, n, tag)
	workers := lr.register(ctx, t, ts, n)
	return lr.run(ctx, t, workers)
}

func newLevelRun(cfg Config, t *target, n int, tag string) *levelRun {
	return &levelRun{cfg: cfg, tag: tag, res: LevelResult{Server: t.name, Workers: n}}
}

// run lets workers issue until the time or count is used up.
func (lr *levelRun) run(ctx context.Context, t *target, workers []*worker) LevelResult {
	cpu0, err0 := procCPU(t.pid())
	start := time.Now()
	lr.deadline = start.Add(lr.cfg.LevelTime)
	lr.left.Store(int64(lr.cfg.LevelIssuances))
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Go(func() { lr.loop(ctx, w) })
	}
	wg.Wait()
	lr.res.Elapsed = time.Since(start)
	cpu1, err1 := procCPU(t.pid())
	if err := errors.Join(err0, err1); err != nil {
		lr.fail(err)
	}
	lr.res.ServerCPU = cpu1 - cpu0
	lr.res.P50, lr.res.P99 = quantile(lr.lats, 0.50), quantile(lr.lats, 0.99)
	if lr.first != nil {
		lr.res.FirstError = lr.first.Error()
	}
	return lr.res
}

// register creates the accounts in parallel; each failure is an error.
func (lr *levelRun) register(ctx context.Context, t *target, ts tokenServer,
	n int) []*worker {
	tr := transport(t.pool, n+4)
	out := make([]*worker, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(ctx, lr.cfg.StallTimeout)
			defer cancel()
			w, err := newWorker(ctx, i, t, tr, lr.cfg.PollDelay, ts)
			if err != nil {
				lr.record(ctx, 0, fmt.Errorf("account %d: %w", i, err))
				return
			}
			out[i] = w
		})
	}
	wg.Wait()
	return slices.DeleteFunc(out, func(w *worker) bool { return w == nil })
}

// loop issues certificates until the level's time or count is used up.
func (lr *levelRun) loop(ctx context.Context, w *worker) {
	for seq := 0; time.Now().Before(lr.deadline) && lr.left.Add(-1) >= 0; seq++ {
		name := fmt.Sprintf("w%d-%d.%s.bench.test", w.id, seq, lr.tag)
		fctx, cancel := context.WithTimeout(ctx, lr.cfg.StallTimeout)
		start := time.Now()
		err := w.issue(fctx, name)
		lr.record(fctx, time.Since(start), err)
		cancel()
		if ctx.Err() != nil {
			return
		}
	}
}

// record counts one finished issuance, failed issuance or stall.
func (lr *levelRun) record(ctx context.Context, d time.Duration, err error) {
	lr.mu.Lock()
	defer lr.mu.Unlock()
	switch {
	case err == nil:
		lr.res.Issued++
		lr.lats = append(lr.lats, d)
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		lr.res.Stalls++
		lr.keepFirst(err)
	default:
		lr.res.Errors++
		lr.keepFirst(err)
	}
}

func (lr *levelRun) fail(err error) {
	lr.mu.Lock()
	defer lr.mu.Unlock()
	lr.res.Errors++
	lr.keepFirst(err)
}

// keepFirst keeps the first error. Caller holds mu.
func (lr *levelRun) keepFirst(err error) {
	if lr.first == nil {
		lr.first = err
	}
}

// quantile returns the q quantile of ds (nearest rank); 0 when empty.
func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}

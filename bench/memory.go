package bench

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// memChunks is how many RSS samples the memory phase takes.
const memChunks = 10

// clockJump moves the mock CA's clock past the 90-day validity of the
// certificates already issued plus the store's default 24-hour retention,
// so everything issued before falls out of the retention window.
const clockJump = "2209h"

// MemSample is the server's resident memory after some issuances.
type MemSample struct {
	Issued int
	RSS    int64
	// Jumped says the clock was moved past the retention window before
	// this chunk.
	Jumped bool
	// Rate is the chunk's issuances per second.
	Rate float64
}

// MemResult is the memory phase against mockca.
type MemResult struct {
	Samples        []MemSample
	Errors, Stalls int
	Elapsed        time.Duration
	ServerCPU      time.Duration
	FirstError     string
}

// runMemory issues cfg.MemIssuances certificates at a fresh mockca in
// memChunks chunks and samples its RSS after each. The first half keeps
// everything (all inside the retention window); before each chunk of the
// second half the clock jumps past the window, so the store must shed
// the earlier chunks and memory should stay flat.
func runMemory(ctx context.Context, cfg Config, t *target, ts tokenServer) MemResult {
	var res MemResult
	chunk := max(1, cfg.MemIssuances/memChunks)
	reg := newLevelRun(cfg, t, cfg.MemWorkers, "m")
	workers := reg.register(ctx, t, ts, cfg.MemWorkers)
	res.Errors = reg.res.Errors
	issued := 0
	for i := range memChunks {
		jump := i >= memChunks/2
		if jump {
			if err := advanceClock(ctx, t.mgmtURL, clockJump); err != nil {
				res.FirstError = err.Error()
				return res
			}
		}
		c := cfg
		c.LevelIssuances, c.LevelTime = chunk, 10*time.Minute
		lr := newLevelRun(c, t, cfg.MemWorkers, fmt.Sprintf("m%d", i))
		lr.lats = make([]time.Duration, 0, chunk)
		r := lr.run(ctx, t, workers)
		issued += r.Issued
		res.Errors, res.Stalls = res.Errors+r.Errors, res.Stalls+r.Stalls
		res.Elapsed, res.ServerCPU = res.Elapsed+r.Elapsed, res.ServerCPU+r.ServerCPU
		if res.FirstError == "" {
			res.FirstError = r.FirstError
		}
		rss, err := procRSS(t.pid())
		if err != nil {
			res.FirstError = err.Error()
			return res
		}
		res.Samples = append(res.Samples, MemSample{Issued: issued, RSS: rss, Jumped: jump,
			Rate: r.Rate()})
		fmt.Fprintf(cfg.Progress, "  memory: %d issued, RSS %.0f MiB, %.0f/s\n", issued, mib(rss),
			r.Rate())
	}
	return res
}

// advanceClock moves the mock CA's clock forward by d (a Go duration).
func advanceClock(ctx context.Context, mgmtURL, d string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, mgmtURL+"/clock",
		strings.NewReader(`{"advance":"`+d+`"}`))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("advance clock: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("advance clock: HTTP %d", resp.StatusCode)
	}
	return nil
}

// mib converts bytes to MiB.
func mib(b int64) float64 { return float64(b) / (1 << 20) }

// Flat reports whether RSS grew by at most 10 % over the chunks issued
// after the clock jumps, ignoring the first such chunk (the one that sheds
// the store), and whether there were enough samples to tell.
func (m MemResult) Flat() (flat, known bool) {
	var after []int64
	for _, s := range m.Samples {
		if s.Jumped {
			after = append(after, s.RSS)
		}
	}
	if len(after) < 3 {
		return false, false
	}
	base := after[1]
	return after[len(after)-1] <= base+base/10, true
}

// Projected estimates the RSS after n issuances all kept in the store,
// from the growth over the chunks before the first clock jump; 0 when
// there are too few such chunks.
func (m MemResult) Projected(n int) int64 {
	var kept []MemSample
	for _, s := range m.Samples {
		if !s.Jumped {
			kept = append(kept, s)
		}
	}
	if len(kept) < 2 {
		return 0
	}
	first, last := kept[0], kept[len(kept)-1]
	perIssuance := float64(last.RSS-first.RSS) / float64(last.Issued-first.Issued)
	return last.RSS + int64(perIssuance*float64(n-last.Issued))
}

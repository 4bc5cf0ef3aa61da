package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"time"

	"acmeconform/dnsmock"
	"acmeconform/internal/ports"
)

// Result is everything one run measured.
type Result struct {
	Levels  []LevelResult
	Lego    []LegoResult
	DNS     []DNSResult
	Startup []StartupResult
	Memory  *MemResult
	// Notes are phases that could not run, with the reason.
	Notes []string
}

// StartupResult is the median time from process start until the
// directory answers.
type StartupResult struct {
	Server string
	Median time.Duration
	Runs   int
}

// env is what the phases share: a scratch directory, the http-01
// responder both CAs validate against and the DNS server Pebble uses,
// pebble-challtestsrv in a process of its own.
type env struct {
	cfg    Config
	dir    string
	resp   *dnsmock.Responder
	port   int // the responder's port
	pebDNS string
	chall  *exec.Cmd
}

// Run measures every phase in turn. It fails only when the environment
// cannot be set up; a phase that fails leaves a note in the Result.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	cfg = cfg.withDefaults()
	e, err := newEnv(cfg)
	if err != nil {
		return nil, err
	}
	defer e.close()
	res := &Result{}
	e.startup(ctx, res)
	e.levels(ctx, res)
	if !cfg.SkipLego {
		e.lego(ctx, res)
	}
	e.dns(ctx, res)
	if cfg.MemIssuances > 0 {
		e.memory(ctx, res)
	}
	return res, nil
}

func newEnv(cfg Config) (*env, error) {
	dir, err := os.MkdirTemp("", "acmebench")
	if err != nil {
		return nil, err
	}
	e := &env{cfg: cfg, dir: dir}
	if e.resp, err = dnsmock.NewResponder(dnsmock.ResponderConfig{}); err == nil {
		err = e.resp.Start()
	}
	if err != nil {
		return nil, fmt.Errorf("bench: http-01 responder: %w", err)
	}
	_, port, _ := splitPort(e.resp.Addr())
	e.port = port
	if !cfg.SkipPebble {
		if e.chall, e.pebDNS, err = startChallTestSrv(context.Background(), cfg, dir); err != nil {
			e.resp.Close()
			return nil, fmt.Errorf("bench: DNS server for Pebble: %w", err)
		}
	}
	return e, nil
}

func (e *env) close() {
	e.resp.Close()
	if e.chall != nil {
		stopCmd(e.chall)
	}
	os.RemoveAll(e.dir)
}

// start runs a fresh server of the given kind validating on port.
func (e *env) start(ctx context.Context, name string, port int) (*target, error) {
	if name == "pebble" {
		return startPebble(ctx, e.cfg, e.dir, e.pebDNS, port)
	}
	return startMockCA(ctx, e.cfg, e.dir, port)
}

// servers lists the servers a run compares.
func (e *env) servers() []string {
	if e.cfg.SkipPebble {
		return []string{"mockca"}
	}
	return []string{"mockca", "pebble"}
}

func (e *env) progress(format string, args ...any) {
	fmt.Fprintf(e.cfg.Progress, format+"\n", args...)
}

// startup starts each server StartRuns times and keeps the median.
func (e *env) startup(ctx context.Context, res *Result) {
	for _, name := range e.servers() {
		var ds []time.Duration
		for range e.cfg.StartRuns {
			t, err := e.start(ctx, name, e.port)
			if err != nil {
				res.Notes = append(res.Notes, "start-up "+name+": "+err.Error())
				break
			}
			ds = append(ds, t.startup)
			t.stop()
		}
		if len(ds) > 0 {
			slices.Sort(ds)
			res.Startup = append(res.Startup,
				StartupResult{Server: name, Median: ds[len(ds)/2], Runs: len(ds)})
			e.progress("start-up %s: %v", name, ds[len(ds)/2])
		}
	}
}

// levels runs every concurrency level against a fresh process of each
// server, so a server that locked up at one level does not spoil the next.
func (e *env) levels(ctx context.Context, res *Result) {
	for _, n := range e.cfg.Workers {
		for _, name := range e.servers() {
			t, err := e.start(ctx, name, e.port)
			if err != nil {
				res.Notes = append(res.Notes, fmt.Sprintf("%s at %d workers: %v", name, n, err))
				continue
			}
			r := runLevel(ctx, e.cfg, t, e.resp, n, name+strconv.Itoa(n))
			t.stop()
			res.Levels = append(res.Levels, r)
			e.progress("%s W=%d: %d issued %.1f/s p50 %v p99 %v cpu %.2f ms errors %d stalls %d %s",
				name, n, r.Issued, r.Rate(), r.P50, r.P99, r.CPUPerIssuance(), r.Errors,
				r.Stalls, r.FirstError)
		}
	}
}

// lego gets one certificate from each server with lego answering
// http-01 itself on a port of its own.
func (e *env) lego(ctx context.Context, res *Result) {
	ps, err := ports.Free(1)
	if err != nil {
		res.Notes = append(res.Notes, "lego: "+err.Error())
		return
	}
	for _, name := range e.servers() {
		t, err := e.start(ctx, name, ps[0])
		if err != nil {
			res.Notes = append(res.Notes, "lego "+name+": "+err.Error())
			continue
		}
		r := runLego(ctx, e.cfg, t, e.dir, ps[0])
		t.stop()
		res.Lego = append(res.Lego, r)
		e.progress("lego %s: %v %s", name, r.Wall, r.Err)
	}
}

// dns measures the DNS server inside `acmeconform serve` beside
// pebble-challtestsrv, each a process of its own.
func (e *env) dns(ctx context.Context, res *Result) {
	t, err := e.start(ctx, "mockca", e.port)
	if err != nil {
		res.Notes = append(res.Notes, "dns: "+err.Error())
		return
	}
	res.DNS = append(res.DNS, queryRate(ctx, "dnsmock", t.dnsAddr, e.cfg.DNSTime))
	t.stop()
	if e.cfg.SkipPebble {
		return
	}
	res.DNS = append(res.DNS, queryRate(ctx, "pebble-challtestsrv", e.pebDNS, e.cfg.DNSTime))
	e.progress("dns: %+v", res.DNS)
}

// memory runs the memory phase against a fresh mockca.
func (e *env) memory(ctx context.Context, res *Result) {
	t, err := e.start(ctx, "mockca", e.port)
	if err != nil {
		res.Notes = append(res.Notes, "memory: "+err.Error())
		return
	}
	defer t.stop()
	m := runMemory(ctx, e.cfg, t, e.resp)
	res.Memory = &m
}

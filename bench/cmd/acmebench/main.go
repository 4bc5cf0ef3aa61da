// Command acmebench measures the mock CA and the mock DNS server beside
// Pebble and pebble-challtestsrv and prints one Markdown table. With
// -readme it also rewrites the generated part of that file's Performance
// section.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"

	"acmeconform/bench"
)

func main() {
	os.Exit(run())
}

func run() int {
	binDir := flag.String("bin", "bin", "directory holding acmeconform, pebble, "+
		"pebble-challtestsrv and lego")
	quick := flag.Bool("quick", false, "smoke run: a few issuances per phase, figures meaningless")
	readme := flag.String("readme", "", "rewrite the generated Performance section of this file")
	mem := flag.Int("mem", 0, "issuances of the memory phase (0: 100000; negative: skip)")
	memWorkers := flag.Int("mem-workers", 0, "concurrency of the memory phase (default 16)")
	workers := flag.String("workers", "", "comma-separated concurrency levels (default 1,4,16,64,256)")
	level := flag.Duration("level", 0, "time of one concurrency level (default 6s)")
	noLego := flag.Bool("no-lego", false, "leave out the lego phase")
	noPebble := flag.Bool("no-pebble", false, "measure the mock CA alone")
	cpuProfile := flag.String("cpuprofile", "", "write the benchmark process's own CPU profile "+
		"(client and http-01 responder) to this file")
	pprofAddr := flag.String("pprof", "", "loopback address where the mock CA serves "+
		"its runtime profiles (one server at a time)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg := bench.Config{BinDir: *binDir, MemIssuances: *mem, LevelTime: *level,
		SkipLego: *noLego, MemWorkers: *memWorkers}
	if *quick {
		cfg = bench.Quick(*binDir)
	}
	cfg.SkipPebble = cfg.SkipPebble || *noPebble
	if *pprofAddr != "" {
		cfg.ServeArgs = append(cfg.ServeArgs, "--pprof", *pprofAddr)
	}
	if *workers != "" {
		ws, err := parseInts(*workers)
		if err != nil {
			fmt.Fprintf(os.Stderr, "acmebench: -workers: %v\n", err)
			return 2
		}
		cfg.Workers = ws
	}
	cfg.Progress = os.Stderr
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			fmt.Fprintf(os.Stderr, "acmebench: -cpuprofile: %v\n", err)
			return 1
		}
		defer stop()
	}
	res, err := bench.Run(ctx, cfg)
	if err != nil {
		fmt.Fprintf(os.Stderr, "acmebench: %v\n", err)
		return 1
	}
	return report(res, cfg, *readme)
}

// report prints the table and, when readme is set, writes it into that
// file's Performance section.
func report(res *bench.Result, cfg bench.Config, readme string) int {
	var out bytes.Buffer
	res.Markdown(&out, cfg)
	os.Stdout.Write(out.Bytes())
	if readme != "" {
		if err := bench.UpdateSection(readme, out.String()); err != nil {
			fmt.Fprintf(os.Stderr, "acmebench: %v\n", err)
			return 1
		}
	}
	return 0
}

// startCPUProfile profiles this process into file until the returned
// function is called.
func startCPUProfile(file string) (func(), error) {
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// parseInts parses a comma-separated list of positive integers.
func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%q is not a positive integer", f)
		}
		out = append(out, n)
	}
	return out, nil
}

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
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg := bench.Config{BinDir: *binDir, MemIssuances: *mem}
	if *quick {
		cfg = bench.Quick(*binDir)
	}
	cfg.Progress = os.Stderr
	res, err := bench.Run(ctx, cfg)
	if err != nil {
		fmt.Fprintf(os.Stderr, "acmebench: %v\n", err)
		return 1
	}
	var out bytes.Buffer
	res.Markdown(&out, cfg)
	os.Stdout.Write(out.Bytes())
	if *readme != "" {
		if err := bench.UpdateSection(*readme, out.String()); err != nil {
			fmt.Fprintf(os.Stderr, "acmebench: %v\n", err)
			return 1
		}
	}
	return 0
}

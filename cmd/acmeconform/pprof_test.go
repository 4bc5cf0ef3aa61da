package main

import (
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
)

func TestPprofOnlyOnLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "192.0.2.1:0", "localhost:0", "nonsense"} {
		var ue *usageError
		if stop, err := startPprof(addr); !errors.As(err, &ue) {
			if stop != nil {
				stop()
			}
			t.Errorf("--pprof %s: %v, want a usage error", addr, err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	stop, err := startPprof(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	resp, err := http.Get("http://" + addr + "/debug/pprof/cmdline")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	ctype := resp.Header.Get("Content-Type")
	if resp.StatusCode != http.StatusOK || !strings.Contains(ctype, "text/plain") {
		t.Errorf("cmdline profile: HTTP %d %s", resp.StatusCode, ctype)
	}
}

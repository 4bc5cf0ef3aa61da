package server

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestLoadStats(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name     string
		took     []time.Duration
		failed   int
		p50, p99 time.Duration
		stalls   int
	}{
		{"none", nil, 0, 0, 0, 0},
		{"one", []time.Duration{7 * ms}, 0, 7 * ms, 7 * ms, 0},
		{"ordered by value", []time.Duration{9 * ms, 1 * ms, 5 * ms}, 0, 5 * ms, 5 * ms, 0},
		{"a stall", []time.Duration{ms, loadStall + ms}, 0, ms, ms, 1},
		{"failures", []time.Duration{ms}, 2, ms, ms, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := &loadStats{workers: 2, elapsed: time.Second}
			for _, d := range tc.took {
				st.record(d, nil)
			}
			for range tc.failed {
				st.record(ms, errors.New("boom"))
			}
			if st.ok != len(tc.took) || len(st.errs) != tc.failed || st.stalls != tc.stalls {
				t.Fatalf("ok %d errs %d stalls %d", st.ok, len(st.errs), st.stalls)
			}
			if st.percentile(50) != tc.p50 || st.percentile(99) != tc.p99 {
				t.Fatalf("p50 %s p99 %s, want %s %s",
					st.percentile(50), st.percentile(99), tc.p50, tc.p99)
			}
			if !strings.HasPrefix(st.String(), "2 workers for 1s: ") {
				t.Fatalf("String: %s", st)
			}
		})
	}
}

package bench

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestQuantile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		var out []time.Duration
		for _, x := range v {
			out = append(out, time.Duration(x)*time.Millisecond)
		}
		return out
	}
	tests := []struct {
		name string
		in   []time.Duration
		q    float64
		want time.Duration
	}{
		{name: "empty", in: nil, q: 0.5, want: 0},
		{name: "one", in: ms(7), q: 0.99, want: 7 * time.Millisecond},
		{name: "median of unsorted", in: ms(5, 1, 3), q: 0.5, want: 3 * time.Millisecond},
		{name: "p99 of hundred", in: ms(seq(100)...), q: 0.99, want: 99 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := quantile(tt.in, tt.q); got != tt.want {
				t.Errorf("quantile(%v) = %v, want %v", tt.q, got, tt.want)
			}
		})
	}
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

func TestProcReadsThisProcess(t *testing.T) {
	rss, err := procRSS(os.Getpid())
	if err != nil || rss < 1<<20 {
		t.Fatalf("procRSS = %d, %v; want at least 1 MiB", rss, err)
	}
	if _, err := procCPU(os.Getpid()); err != nil {
		t.Fatal(err)
	}
	if _, err := procCPU(-1); err == nil {
		t.Error("procCPU of a missing process succeeded")
	}
}

func TestPacerDelayGrowsPerObject(t *testing.T) {
	p := &pacer{first: time.Millisecond}
	var got []time.Duration
	for _, u := range []string{"a", "a", "a", "b", "a"} {
		got = append(got, p.nextDelay(u))
	}
	want := []time.Duration{1, 2, 4, 1, 1}
	for i := range want {
		if got[i] != want[i]*time.Millisecond {
			t.Fatalf("delays %v, want %v ms", got, want)
		}
	}
	for range 10 {
		p.nextDelay("a")
	}
	if d := p.nextDelay("a"); d != 32*time.Millisecond {
		t.Errorf("delay not capped: %v", d)
	}
}

func TestUpdateSection(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantErr        bool
	}{
		{name: "replaces between markers",
			in:   "# x\n" + beginMarker + "\nold\n" + endMarker + "\ntail\n",
			want: "# x\n" + beginMarker + "\nnew\n" + endMarker + "\ntail\n"},
		{name: "no markers", in: "# x\n", wantErr: true},
		{name: "markers reversed", in: endMarker + beginMarker, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "README.md")
			if err := os.WriteFile(file, []byte(tt.in), 0o600); err != nil {
				t.Fatal(err)
			}
			err := UpdateSection(file, "new\n")
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			b, _ := os.ReadFile(file)
			if !tt.wantErr && string(b) != tt.want {
				t.Errorf("got %q, want %q", b, tt.want)
			}
			if tt.wantErr && !strings.EqualFold(string(b), tt.in) {
				t.Errorf("file changed on error: %q", b)
			}
		})
	}
}

func TestMemProjected(t *testing.T) {
	const mb = 1 << 20
	tests := []struct {
		name    string
		samples []MemSample
		want    int64
	}{
		{name: "linear growth", samples: []MemSample{
			{Issued: 10, RSS: 20 * mb}, {Issued: 20, RSS: 30 * mb},
			{Issued: 30, RSS: 5 * mb, Jumped: true}}, want: 110 * mb},
		{name: "one kept sample", samples: []MemSample{{Issued: 10, RSS: mb}}, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (MemResult{Samples: tt.samples}).Projected(100); got != tt.want {
				t.Errorf("Projected(100) = %d MiB, want %d MiB", got/mb, tt.want/mb)
			}
		})
	}
}

func TestMarkdownWithoutPebble(t *testing.T) {
	res := &Result{Levels: []LevelResult{{Server: "mockca", Workers: 4, Issued: 10,
		Elapsed: time.Second, P50: time.Millisecond, P99: 2 * time.Millisecond,
		ServerCPU: 20 * time.Millisecond}}}
	var md strings.Builder
	res.Markdown(&md, Config{SkipPebble: true})
	for _, want := range []string{
		"| 4 workers: server CPU ms per issuance | 2.00 | 0.00 |  |",
		"| 4 workers: issued / errors / stalls | 10 / 0 / 0 | - |  |",
	} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, md.String())
		}
	}
}

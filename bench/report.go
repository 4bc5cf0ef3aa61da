package bench

import (
	"fmt"
	"io"

	"time"
)

// row is one line of the result table: a measure, the two servers'
// figures and how many times better mockca is.
type row struct{ measure, ours, theirs, better string }

// Markdown writes the result as one table followed by the targets.
func (r *Result) Markdown(w io.Writer, cfg Config) {
	cfg = cfg.withDefaults()
	fmt.Fprintf(w, "Levels of %v or %d issuances each, stall timeout %v, first poll after %v; "+
		"\"better\" is how many times better acmeconform is.\n\n",
		cfg.LevelTime, cfg.LevelIssuances, cfg.StallTimeout, cfg.PollDelay)
	fmt.Fprintln(w, "| measure | acmeconform (mockca) | Pebble v2.10.3 | better |")
	fmt.Fprintln(w, "|---|---:|---:|---:|")
	for _, x := range r.rows() {
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", x.measure, x.ours, x.theirs, x.better)
	}
	fmt.Fprintln(w)
	for _, t := range r.Targets() {
		mark := "not met"
		if t.Met {
			mark = "met"
		}
		fmt.Fprintf(w, "- %s: %s (%s)\n", t.Name, mark, t.Detail)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "- note: %s\n", n)
	}
}

func (r *Result) rows() []row {
	var out []row
	for _, n := range r.workerLevels() {
		m, p := r.level("mockca", n), r.level("pebble", n)
		out = append(out,
			row{fmt.Sprintf("%d workers: issuances/s", n), f1(m.Rate()), f1(p.Rate()),
				times(m.Rate(), p.Rate())},
			row{fmt.Sprintf("%d workers: p50 / p99 latency ms", n), latency(m), latency(p),
				times(p99ms(p), p99ms(m))},
			row{fmt.Sprintf("%d workers: server CPU ms per issuance", n),
				f2(m.CPUPerIssuance()), f2(p.CPUPerIssuance()),
				times(p.CPUPerIssuance(), m.CPUPerIssuance())},
			row{fmt.Sprintf("%d workers: issued / errors / stalls", n), counts(m), counts(p), ""})
	}
	if l, p := r.lego("mockca"), r.lego("pebble"); l != nil {
		out = append(out, row{"lego run, one certificate by http-01, wall ms",
			legoMS(l), legoMS(p), times(legoSec(p), legoSec(l))})
	}
	if d, c := r.dns("dnsmock"), r.dns("pebble-challtestsrv"); d != nil {
		out = append(out, row{"DNS queries/s (UDP, 4 sockets)", f0(d.QPS), dnsQPS(c),
			times(d.QPS, dnsRate(c))})
	}
	if s, p := r.startup("mockca"), r.startup("pebble"); s != nil {
		out = append(out, row{"start-up until the directory answers, ms",
			f1(ms(s.Median)), startMS(p), times(ms(startDur(p)), ms(s.Median))})
	}
	if m := r.Memory; m != nil && len(m.Samples) > 0 {
		last := m.Samples[len(m.Samples)-1]
		half := m.Samples[len(m.Samples)/2-1]
		out = append(out,
			row{fmt.Sprintf("RSS MiB after %d issuances, all retained", half.Issued),
				f0(mib(half.RSS)), "", ""},
			row{"RSS MiB projected for 100000 issuances, all retained",
				f0(mib(m.Projected(100000))), "", ""},
			row{fmt.Sprintf("RSS MiB after %d issuances, clock past retention", last.Issued),
				f0(mib(last.RSS)), "", ""},
			row{"memory phase issuances/s, errors / stalls",
				fmt.Sprintf("%s, %d / %d", f0(float64(last.Issued)/m.Elapsed.Seconds()),
					m.Errors, m.Stalls), "", ""})
	}
	return out
}

// workerLevels lists the concurrency levels measured, in order.
func (r *Result) workerLevels() []int {
	var out []int
	for _, l := range r.Levels {
		if len(out) == 0 || out[len(out)-1] != l.Workers {
			out = append(out, l.Workers)
		}
	}
	return out
}

func (r *Result) level(server string, n int) *LevelResult {
	for i := range r.Levels {
		if r.Levels[i].Server == server && r.Levels[i].Workers == n {
			return &r.Levels[i]
		}
	}
	return nil
}

func (r *Result) lego(server string) *LegoResult {
	for i := range r.Lego {
		if r.Lego[i].Server == server {
			return &r.Lego[i]
		}
	}
	return nil
}

func (r *Result) dns(server string) *DNSResult {
	for i := range r.DNS {
		if r.DNS[i].Server == server {
			return &r.DNS[i]
		}
	}
	return nil
}

func (r *Result) startup(server string) *StartupResult {
	for i := range r.Startup {
		if r.Startup[i].Server == server {
			return &r.Startup[i]
		}
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
func f0(v float64) string        { return fmt.Sprintf("%.0f", v) }
func f1(v float64) string        { return fmt.Sprintf("%.1f", v) }
func f2(v float64) string        { return fmt.Sprintf("%.2f", v) }

// times renders a/b as "N×", or "" when either is missing.
func times(a, b float64) string {
	if a <= 0 || b <= 0 {
		return ""
	}
	return fmt.Sprintf("%.1f×", a/b)
}

func latency(l *LevelResult) string {
	if l == nil || l.Issued == 0 {
		return "-"
	}
	return fmt.Sprintf("%s / %s", f1(ms(l.P50)), f1(ms(l.P99)))
}

func p99ms(l *LevelResult) float64 {
	if l == nil {
		return 0
	}
	return ms(l.P99)
}

func counts(l *LevelResult) string {
	if l == nil {
		return "-"
	}
	return fmt.Sprintf("%d / %d / %d", l.Issued, l.Errors, l.Stalls)
}

func legoMS(l *LegoResult) string {
	if l == nil {
		return "-"
	}
	if l.Err != "" {
		return "failed"
	}
	return f0(ms(l.Wall))
}

func legoSec(l *LegoResult) float64 {
	if l == nil || l.Err != "" {
		return 0
	}
	return l.Wall.Seconds()
}

func dnsRate(d *DNSResult) float64 {
	if d == nil {
		return 0
	}
	return d.QPS
}

func dnsQPS(d *DNSResult) string {
	if d == nil {
		return "-"
	}
	return f0(d.QPS)
}

func startDur(s *StartupResult) time.Duration {
	if s == nil {
		return 0
	}
	return s.Median
}

func startMS(s *StartupResult) string {
	if s == nil {
		return "-"
	}
	return f1(ms(s.Median))
}

package bench

import (
	"fmt"
	"os"
	"strings"
)

// Target is one performance goal and whether the run met it.
type Target struct {
	Name   string
	Met    bool
	Detail string
}

// Targets checks the run against the performance goals.
func (r *Result) Targets() []Target {
	return []Target{r.cpuTarget(), r.loadTarget(), r.p99Target(), r.legoTarget(),
		r.rssTarget()}
}

// cpuTarget: server CPU per issuance at most a tenth of Pebble's, at every
// level where Pebble issued without error or stall (a stalled Pebble's
// CPU per issuance would flatter us).
func (r *Result) cpuTarget() Target {
	t := Target{Name: "server CPU per issuance at most a tenth of Pebble's"}
	worst, n := 0.0, 0
	for _, w := range r.workerLevels() {
		m, p := r.level("mockca", w), r.level("pebble", w)
		if m == nil || p == nil || p.Errors+p.Stalls > 0 || p.Issued == 0 || m.Issued == 0 {
			continue
		}
		ratio := p.CPUPerIssuance() / max(m.CPUPerIssuance(), 1e-9)
		if n == 0 || ratio < worst {
			worst = ratio
		}
		n++
	}
	t.Met = n > 0 && worst >= 10
	t.Detail = fmt.Sprintf("lowest Pebble/acmeconform ratio %.1f× over %d clean levels", worst, n)
	return t
}

// loadTarget: no stall and no error at 64 and 256 workers.
func (r *Result) loadTarget() Target {
	t := Target{Name: "no stall and no error at 64 and 256 workers", Met: true}
	var parts []string
	for _, w := range []int{64, 256} {
		m := r.level("mockca", w)
		if m == nil {
			t.Met = false
			parts = append(parts, fmt.Sprintf("%d workers not run", w))
			continue
		}
		if m.Errors+m.Stalls > 0 || m.Issued == 0 {
			t.Met = false
		}
		parts = append(parts, fmt.Sprintf("%d: %d errors, %d stalls", w, m.Errors, m.Stalls))
	}
	t.Detail = strings.Join(parts, "; ")
	return t
}

// p99Target: p99 under 20 ms at 16 workers.
func (r *Result) p99Target() Target {
	t := Target{Name: "p99 latency under 20 ms at 16 workers"}
	m := r.level("mockca", 16)
	if m == nil || m.Issued == 0 {
		t.Detail = "16 workers not run"
		return t
	}
	t.Met = ms(m.P99) < 20 && m.Errors+m.Stalls == 0
	t.Detail = fmt.Sprintf("p99 %.1f ms", ms(m.P99))
	return t
}

// legoTarget: lego's single issuance at least 5 times faster.
func (r *Result) legoTarget() Target {
	t := Target{Name: "lego's single issuance at least 5× faster than against Pebble"}
	l, p := r.lego("mockca"), r.lego("pebble")
	if legoSec(l) == 0 || legoSec(p) == 0 {
		t.Detail = "lego did not finish against both servers"
		return t
	}
	t.Met = legoSec(p)/legoSec(l) >= 5
	t.Detail = fmt.Sprintf("%.0f ms against %.0f ms", ms(l.Wall), ms(p.Wall))
	return t
}

// rssTarget: under 1 GiB after 100,000 issuances and flat past retention.
func (r *Result) rssTarget() Target {
	t := Target{Name: "RSS under 1 GiB after 100,000 issuances, flat past retention"}
	m := r.Memory
	if m == nil || len(m.Samples) == 0 {
		t.Detail = "memory phase not run"
		return t
	}
	peak, last := int64(0), m.Samples[len(m.Samples)-1]
	for _, s := range m.Samples {
		peak = max(peak, s.RSS)
	}
	flat, known := m.Flat()
	proj := m.Projected(100000)
	t.Met = last.Issued >= 100000 && peak < 1<<30 && proj > 0 && proj < 1<<30 && flat &&
		m.Errors+m.Stalls == 0
	t.Detail = fmt.Sprintf("peak %.0f MiB over %d issuances, half of them shed; "+
		"100,000 all kept projected at %.0f MiB; flat past retention: %v",
		mib(peak), last.Issued, mib(proj), flat && known)
	return t
}

// Section markers around the generated part of the README's Performance
// section.
const (
	beginMarker = "<!-- bench:begin -->"
	endMarker   = "<!-- bench:end -->"
)

// UpdateSection replaces the text between the marker comments in file
// with body.
func UpdateSection(file, body string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("update %s: %w", file, err)
	}
	s := string(b)
	i, j := strings.Index(s, beginMarker), strings.Index(s, endMarker)
	if i < 0 || j < i {
		return fmt.Errorf("update %s: no %s ... %s markers", file, beginMarker, endMarker)
	}
	s = s[:i+len(beginMarker)] + "\n" + body + s[j:]
	return os.WriteFile(file, []byte(s), 0o644)
}

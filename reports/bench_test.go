package reports

import (
	"fmt"
	"testing"

	"acmeconform/catalog"
)

// bigReport is a run of the size a full catalog reaches: 400 requirements on
// 3 targets, 1,500 specs, a tenth of them failing with evidence.
func bigReport(b *testing.B) *Report {
	b.Helper()
	var reqs []catalog.Requirement
	for i := range 400 {
		reqs = append(reqs, catalog.Requirement{ID: fmt.Sprintf("req-%03d", i),
			Source: "RFC 8555", Section: fmt.Sprintf("%d.%d", 6+i%4, i%9),
			Level: catalog.Level(Levels()[i%4]), Summary: "a requirement"})
	}
	cat, err := catalog.New(reqs)
	if err != nil {
		b.Fatal(err)
	}
	meta := Report{Targets: []Target{{Name: "a"}, {Name: "b"}, {Name: "c"}}}
	var specs []Spec
	for i := range 1500 {
		s := Spec{Name: fmt.Sprintf("spec %04d", i), Target: meta.Targets[i%3].Name,
			State: StatePassed, Requirements: []string{reqs[i%400].ID}}
		if i%10 == 0 {
			s.State, s.Message = StateFailed, "it broke"
			s.Evidence = []Evidence{{Name: "exchange", Value: "POST /x HTTP/1.1\n" +
				"Authorization: Bearer t\n\n{\"k\":\"abc\"}\n"}}
		}
		if i%7 == 0 {
			s.Client, s.Scenario = fmt.Sprintf("client%d", i%5), fmt.Sprintf("sc%d", i%11)
		}
		specs = append(specs, s)
	}
	r, err := Build(cat, meta, specs)
	if err != nil {
		b.Fatal(err)
	}
	r.AddSecret("a-registered-secret")
	return r
}

type countingWriter int

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}

func BenchmarkWriters(b *testing.B) {
	r := bigReport(b)
	for _, f := range Formats() {
		b.Run(f.File, func(b *testing.B) {
			var n countingWriter
			for b.Loop() {
				n = 0
				if err := f.Write(&n, r); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n), "bytes/doc")
		})
	}
}

// BenchmarkMerge rebuilds every verdict, as merging shards does.
func BenchmarkMerge(b *testing.B) {
	r := bigReport(b)
	for b.Loop() {
		if _, err := Merge(r); err != nil {
			b.Fatal(err)
		}
	}
}

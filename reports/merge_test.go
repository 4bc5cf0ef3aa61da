package reports

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// shards splits the fixture specs round-robin into n shard reports, each
// built on its own as a shard process would.
func shards(t *testing.T, n int) []*Report {
	t.Helper()
	parts := make([][]Spec, n)
	for i, s := range fixtureSpecs() {
		parts[i%n] = append(parts[i%n], s)
	}
	var out []*Report
	for i, p := range parts {
		meta := fixtureMeta()
		meta.Shard = string(rune('1'+i)) + "/" + string(rune('0'+n))
		r, err := Build(fixtureCatalog(t), meta, p)
		if err != nil {
			t.Fatal(err)
		}
		r.AddSecret(fixtureMAC)
		out = append(out, r)
	}
	return out
}

func TestMergeEqualsUnshardedRun(t *testing.T) {
	parts := shards(t, 3)
	covered := 0
	for _, q := range parts[0].Requirements {
		if q.Verdict != VerdictNotCovered {
			covered++
		}
	}
	if covered == len(parts[0].Requirements) {
		t.Fatal("the first shard covers everything; the test would prove nothing")
	}
	// Shards read back from JSON, as `report merge` would read them.
	var read []*Report
	for _, p := range parts {
		var buf bytes.Buffer
		if err := WriteJSON(&buf, p); err != nil {
			t.Fatal(err)
		}
		r, err := ReadJSON(&buf)
		if err != nil {
			t.Fatal(err)
		}
		read = append(read, r)
	}
	merged, err := Merge(read[2], read[0], read[1])
	if err != nil {
		t.Fatal(err)
	}
	var got, want bytes.Buffer
	if err := WriteJSON(&got, merged); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&want, fixtureReport(t)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Errorf("merged shards differ from the unsharded run:\n%s",
			firstDiff(want.String(), got.String()))
	}
}

func TestMergeKeepsSecretsAndTimes(t *testing.T) {
	parts := shards(t, 2)
	parts[1].StartedAt = parts[0].StartedAt.Add(10 * time.Second)
	parts[1].InfraError = "lost the DNS server"
	merged, err := Merge(parts...)
	if err != nil {
		t.Fatal(err)
	}
	if merged.StartedAt != parts[0].StartedAt {
		t.Errorf("started %v, want the earliest %v", merged.StartedAt, parts[0].StartedAt)
	}
	if want := parts[0].Duration + 10*time.Second; merged.Duration != want {
		t.Errorf("duration %v, want %v (until the last shard ended)", merged.Duration, want)
	}
	if !strings.Contains(merged.InfraError, "shard 2/2: lost the DNS server") {
		t.Errorf("infra error %q does not name the shard", merged.InfraError)
	}
	if merged.Shard != "" {
		t.Errorf("merged report still names shard %q", merged.Shard)
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, merged); err != nil {
		t.Fatal(err)
	}
	checkRedacted(t, buf.String())
}

func TestMergeRefuses(t *testing.T) {
	tests := []struct {
		name    string
		spoil   func(a, b *Report)
		mention string
	}{
		{"schema version", func(_, b *Report) { b.SchemaVersion = "0" }, "schema version"},
		{"seed", func(_, b *Report) { b.Seed = 7 }, "seed 7"},
		{"tool version", func(_, b *Report) { b.ToolVersion = "v9" }, "v9"},
		{"target directory", func(_, b *Report) { b.Targets[0].Directory = "https://x/dir" },
			"https://x/dir"},
		{"same spec twice", func(a, b *Report) { b.Specs = append(b.Specs, a.Specs[0]) },
			"ran in"},
		{"other catalog", func(_, b *Report) { b.Requirements[0].Level = "SHOULD" },
			"other catalog"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts := shards(t, 2)
			tt.spoil(parts[0], parts[1])
			_, err := Merge(parts...)
			if err == nil {
				t.Fatal("Merge accepted incompatible shards")
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("error %q does not mention %q", err, tt.mention)
			}
		})
	}
	if _, err := Merge(); err == nil {
		t.Error("Merge of nothing succeeded")
	}
}

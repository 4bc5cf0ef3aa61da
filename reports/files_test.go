package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	r := fixtureReport(t)
	paths, err := WriteFiles(dir, r)
	if err != nil {
		t.Fatal(err)
	}
	formats := Formats()
	if len(paths) != len(formats) {
		t.Fatalf("%d files written, want %d", len(paths), len(formats))
	}
	for i, f := range formats {
		got, err := os.ReadFile(paths[i])
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := f.Write(&want, r); err != nil {
			t.Fatal(err)
		}
		if filepath.Base(paths[i]) != f.File || !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%s does not hold the %s document", paths[i], f.File)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(formats) {
		t.Errorf("%d entries in the folder, want %d (temporary files left?)",
			len(entries), len(formats))
	}
}

func TestWriteFilesBadFolder(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteFiles(filepath.Join(file, "sub"), fixtureReport(t)); err == nil {
		t.Error("WriteFiles into a path below a file succeeded")
	}
}

package clientstest

import (
	"os"
	"path/filepath"
	"testing"
)

// Golden compares got with testdata/NAME.golden, or rewrites the file
// when update is true.
func Golden(t *testing.T, name, got string, update bool) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (rerun with -update if the change is "+
			"intended)\n--- got:\n%s\n--- want:\n%s", path, got, want)
	}
}

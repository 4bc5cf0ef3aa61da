package reports

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Files names the documents WriteFiles writes, in order.
var Files = []struct {
	Name  string
	Write func(io.Writer, *Report) error
}{
	{"report.json", WriteJSON},
	{"junit.xml", WriteJUnit},
	{"summary.md", WriteMarkdown},
	{"report.html", WriteHTML},
}

// WriteFiles renders every format into dir, creating it, and returns the
// paths written.
func WriteFiles(dir string, r *Report) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("reports: %w", err)
	}
	var paths []string
	for _, f := range Files {
		var b bytes.Buffer
		if err := f.Write(&b, r); err != nil {
			return paths, fmt.Errorf("render %s: %w", f.Name, err)
		}
		p := filepath.Join(dir, f.Name)
		if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
			return paths, fmt.Errorf("write %s: %w", p, err)
		}
		paths = append(paths, p)
	}
	return paths, nil
}

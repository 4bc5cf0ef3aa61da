package reports

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Format is one document a report renders to.
type Format struct {
	// File is the document's name in an output folder.
	File  string
	Write func(io.Writer, *Report) error
}

// Formats returns every document WriteFiles writes, in order: the JSON
// compliance report, JUnit XML, the Markdown summary and the HTML report.
func Formats() []Format {
	return []Format{
		{File: "report.json", Write: WriteJSON},
		{File: "junit.xml", Write: WriteJUnit},
		{File: "summary.md", Write: WriteMarkdown},
		{File: "report.html", Write: WriteHTML},
	}
}

// WriteFiles renders every format into dir, creating it, and returns the
// paths written. Each file is written under a temporary name and renamed, so
// a reader never sees half a report.
func WriteFiles(dir string, r *Report) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("write reports: %w", err)
	}
	var paths []string
	for _, f := range Formats() {
		var b bytes.Buffer
		if err := f.Write(&b, r); err != nil {
			return paths, fmt.Errorf("render %s: %w", f.File, err)
		}
		p := filepath.Join(dir, f.File)
		if err := writeFileAtomic(p, b.Bytes()); err != nil {
			return paths, fmt.Errorf("write %s: %w", p, err)
		}
		paths = append(paths, p)
	}
	return paths, nil
}

func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

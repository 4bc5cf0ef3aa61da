package images

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// SystemAptSources returns the machine's apt source files: every
// /etc/apt/sources.list.d/*.sources and *.list, then /etc/apt/sources.list.
// Files with other suffixes (disabled entries) are left out.
func SystemAptSources() ([]string, error) {
	var files []string
	for _, pattern := range []string{
		"/etc/apt/sources.list.d/*.sources",
		"/etc/apt/sources.list.d/*.list",
		"/etc/apt/sources.list",
	} {
		found, err := filepath.Glob(pattern)
		if err != nil {
			return nil, fmt.Errorf("find apt sources: %w", err)
		}
		files = append(files, found...)
	}
	if len(files) == 0 {
		return nil, errors.New("find apt sources: no apt source files on this machine")
	}
	return files, nil
}

// aptSources is the content of the apt source files and the suite named
// first in them, which mmdebstrap needs to pick its package set.
type aptSources struct {
	files   []string
	content []byte
	suite   string
}

// readAptSources reads the given source files.
func readAptSources(files []string) (aptSources, error) {
	src := aptSources{files: files}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return aptSources{}, fmt.Errorf("read apt sources: %w", err)
		}
		src.content = append(src.content, data...)
		src.content = append(src.content, '\n')
	}
	src.suite = firstSuite(src.content)
	if src.suite == "" {
		return aptSources{}, fmt.Errorf("read apt sources %v: no suite named", files)
	}
	return src, nil
}

// firstSuite returns the first suite of deb822 ("Suites: a b") or one-line
// ("deb [opts] URI suite comp...") apt sources, or "".
func firstSuite(content []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(content))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if value, ok := strings.CutPrefix(line, "Suites:"); ok {
			if f := strings.Fields(value); len(f) > 0 {
				return f[0]
			}
		}
		if suite := oneLineSuite(strings.Fields(line)); suite != "" {
			return suite
		}
	}
	return ""
}

// oneLineSuite returns the suite of a one-line "deb [options] URI suite ..."
// entry, or "".
func oneLineSuite(fields []string) string {
	if len(fields) == 0 || fields[0] != "deb" {
		return ""
	}
	fields = fields[1:]
	if len(fields) > 0 && strings.HasPrefix(fields[0], "[") {
		for len(fields) > 0 && !strings.HasSuffix(fields[0], "]") {
			fields = fields[1:]
		}
		if len(fields) == 0 {
			return ""
		}
		fields = fields[1:]
	}
	if len(fields) < 2 {
		return ""
	}
	return fields[1]
}

package images

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// debianInputs hashes what the Debian image is made from: the package list,
// the apt sources (so a new mirror snapshot gives a new image) and the idle
// process.
func (m *Manager) debianInputs(ctx context.Context, r recipe) (*inputs, aptSources, error) {
	files := m.cfg.AptSources
	if len(files) == 0 {
		var err error
		if files, err = SystemAptSources(); err != nil {
			return nil, aptSources{}, err
		}
	}
	src, err := readAptSources(files)
	if err != nil {
		return nil, aptSources{}, err
	}
	goVersion, err := m.goVersion(ctx)
	if err != nil {
		return nil, aptSources{}, err
	}
	in := newInputs(r.name)
	in.add("packages", []byte(strings.Join(r.packages, ",")))
	in.add("sources", src.content)
	in.add("arch", []byte(runtime.GOARCH))
	in.add("idle", idleSource)
	in.add("go", []byte(goVersion))
	return in, src, nil
}

// debianRootfs runs mmdebstrap and returns the root file system as a tar
// file and the versions of the installed packages named in r.
//
// The "essential" variant leaves apt out of the image; the listed packages
// and their dependencies (not their recommendations, which pull in desktop
// tools) are installed with the host's apt and keyrings.
// Documentation, manual pages and translations are not unpacked.
func (m *Manager) debianRootfs(ctx context.Context, dir string, r recipe,
	src aptSources) (string, map[string]string, error) {
	idle, err := m.buildIdle(ctx, dir)
	if err != nil {
		return "", nil, err
	}
	out := filepath.Join(dir, "rootfs.tar")
	versions := filepath.Join(dir, "versions.txt")
	args := []string{
		"--variant=essential",
		`--aptopt=APT::Install-Recommends "false"`,
		"--include=" + strings.Join(r.packages, ","),
		"--dpkgopt=path-exclude=/usr/share/doc/*",
		"--dpkgopt=path-include=/usr/share/doc/*/copyright",
		"--dpkgopt=path-exclude=/usr/share/man/*",
		"--dpkgopt=path-exclude=/usr/share/locale/*",
		"--customize-hook=copy-in " + idle + " /usr/local/bin",
		`--customize-hook=mkdir -m 1777 "$1/work"`,
		`--customize-hook=chroot "$1" dpkg-query -W -f='${Package} ${Version}\n' > ` + versions,
		src.suite, out,
	}
	args = append(args, src.files...)
	m.log.InfoContext(ctx, "building Debian root file system", "suite", src.suite,
		"packages", r.packages)
	if _, err := exec.LookPath(m.cfg.Mmdebstrap); err != nil {
		return "", nil, fmt.Errorf("%w (install the Debian package mmdebstrap)", err)
	}
	cmd := exec.CommandContext(ctx, m.cfg.Mmdebstrap, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", nil, fmt.Errorf("mmdebstrap: %w: %s", err, lastLines(stderr.String(), 15))
	}
	installed, err := readVersions(versions, r.packages)
	if err != nil {
		return "", nil, err
	}
	return out, installed, nil
}

// readVersions reads "package version" lines and keeps the wanted packages.
func readVersions(file string, wanted []string) (map[string]string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read package versions: %w", err)
	}
	keep := make(map[string]bool, len(wanted))
	for _, p := range wanted {
		keep[p] = true
	}
	versions := make(map[string]string)
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		name, version, ok := strings.Cut(sc.Text(), " ")
		if ok && keep[name] {
			versions[name] = version
		}
	}
	return versions, nil
}

// lastLines returns at most n trailing lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

package images

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// dirEntry is a directory of an image's root file system.
type dirEntry struct {
	name string
	mode int64
}

// scratchDirs returns the directories of a FROM-scratch image. /tmp and
// /work are world-writable and sticky like a Debian /tmp.
func scratchDirs() []dirEntry {
	return []dirEntry{
		{"etc", 0o755}, {"etc/ssl", 0o755}, {"etc/ssl/certs", 0o755},
		{"usr", 0o755}, {"usr/local", 0o755}, {"usr/local/bin", 0o755},
		{"tmp", 0o1777}, {"work", 0o1777}, {"root", 0o700},
		{"data", 0o755}, {"config", 0o755},
	}
}

// scratchInputs hashes what a FROM-scratch image is made from: the pinned
// tools module and the source of ours in it, the command, the toolchain,
// the CA bundle and the idle process.
func (m *Manager) scratchInputs(ctx context.Context, r recipe) (*inputs, error) {
	in := newInputs(r.name)
	in.add("package", []byte(r.goPackage))
	in.add("version-var", []byte(r.versionVar))
	in.add("arch", []byte(runtime.GOARCH))
	in.add("idle", idleSource)
	goVersion, err := m.goVersion(ctx)
	if err != nil {
		return nil, err
	}
	in.add("go", []byte(goVersion))
	for _, f := range []string{
		filepath.Join(m.cfg.ToolsDir, "go.mod"),
		filepath.Join(m.cfg.ToolsDir, "go.sum"),
		m.cfg.CABundle,
	} {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("image inputs: %w", err)
		}
		in.add(filepath.Base(f), data)
	}
	for _, dir := range r.sources {
		if err := addSources(in, m.cfg.ToolsDir, dir); err != nil {
			return nil, err
		}
	}
	return in, nil
}

// addSources adds every file under dir of the tools module, except tests
// and test data, keyed by its path in the module, in lexical order.
func addSources(in *inputs, tools, dir string) error {
	root := filepath.Join(tools, dir)
	found := false
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && d.Name() == "testdata":
			return filepath.SkipDir
		case d.IsDir() || strings.HasSuffix(p, "_test.go"):
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(tools, p)
		if err != nil {
			return err
		}
		found = true
		in.add("source:"+filepath.ToSlash(rel), data)
		return nil
	})
	if err == nil && !found {
		err = errors.New("no source files")
	}
	if err != nil {
		return fmt.Errorf("image inputs: tools module %s: %w", dir, err)
	}
	return nil
}

// scratchRootfs builds the binaries of r in dir and writes the image's root
// file system there as a tar file, returning its path and the client's
// version.
func (m *Manager) scratchRootfs(ctx context.Context, dir string, r recipe) (string, string, error) {
	version, err := m.moduleVersion(ctx, r.goModule)
	if err != nil {
		return "", "", err
	}
	idle, err := m.buildIdle(ctx, dir)
	if err != nil {
		return "", "", err
	}
	binary := filepath.Join(dir, path.Base(r.goPackage))
	if err := m.buildTool(ctx, r, version, binary); err != nil {
		return "", "", err
	}
	files := map[string]string{
		"usr/local/bin/" + path.Base(r.goPackage): binary,
		idleBinary[1:]:                      idle,
		"etc/ssl/certs/ca-certificates.crt": m.cfg.CABundle,
	}
	out := filepath.Join(dir, "rootfs.tar")
	if err := writeScratchTar(out, files); err != nil {
		return "", "", err
	}
	return out, version, nil
}

// writeScratchTar writes the directories of a scratch image and the given
// files (image path to host path) into a tar file.
func writeScratchTar(out string, files map[string]string) (err error) {
	f, err := os.Create(out)
	if err != nil {
		return fmt.Errorf("write rootfs: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("write rootfs: %w", cerr)
		}
	}()
	tw := tar.NewWriter(f)
	epoch := time.Unix(0, 0)
	for _, d := range scratchDirs() {
		hdr := &tar.Header{Typeflag: tar.TypeDir, Name: d.name + "/", Mode: d.mode, ModTime: epoch}
		if err := tw.WriteHeader(hdr); err != nil {
			return fmt.Errorf("write rootfs: %w", err)
		}
	}
	for name, src := range files {
		if err := addTarFile(tw, name, src, epoch); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("write rootfs: %w", err)
	}
	return nil
}

// addTarFile copies one host file into the tar under name.
func addTarFile(tw *tar.Writer, name, src string, modTime time.Time) error {
	f, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("write rootfs: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("write rootfs: %w", err)
	}
	hdr := &tar.Header{
		Typeflag: tar.TypeReg, Name: name, Size: info.Size(),
		Mode: int64(info.Mode().Perm()), ModTime: modTime,
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("write rootfs: %w", err)
	}
	if _, err := io.Copy(tw, f); err != nil {
		return fmt.Errorf("write rootfs %s: %w", name, err)
	}
	return nil
}

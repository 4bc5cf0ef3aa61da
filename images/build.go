package images

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"
)

// Build returns the named image, building it only when no image with the
// same input hash is in the Docker engine yet.
func (m *Manager) Build(ctx context.Context, name string) (Image, error) {
	return m.build(ctx, name, false)
}

// Rebuild builds the named image even when its inputs are unchanged, for
// example to pick up new Debian package versions from an unpinned mirror.
func (m *Manager) Rebuild(ctx context.Context, name string) (Image, error) {
	return m.build(ctx, name, true)
}

// BuildAll builds every image that is missing and returns them in the order
// of Names. The Debian image, whose build waits mostly on downloads and
// unpacking, is made while the Go clients compile.
func (m *Manager) BuildAll(ctx context.Context) ([]Image, error) {
	names := Names()
	built := make([]Image, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	wg.Go(func() {
		for i, name := range names {
			if name != NameDebian {
				built[i], errs[i] = m.Build(ctx, name)
			}
		}
	})
	wg.Go(func() {
		if i := slices.Index(names, NameDebian); i >= 0 {
			built[i], errs[i] = m.Build(ctx, NameDebian)
		}
	})
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return built, nil
}

func (m *Manager) build(ctx context.Context, name string, force bool) (Image, error) {
	r, err := lookup(name)
	if err != nil {
		return Image{}, err
	}
	tag, src, err := m.inputsFor(ctx, r)
	if err != nil {
		return Image{}, fmt.Errorf("build %s: %w", name, err)
	}
	ref := repository + "/" + r.name + ":" + tag
	unlock, err := lockImage(ctx, ref)
	if err != nil {
		return Image{}, fmt.Errorf("build %s: %w", name, err)
	}
	defer unlock()
	if !force {
		img, err := m.inspect(ctx, ref)
		if err == nil {
			m.log.InfoContext(ctx, "image up to date", "image", ref)
			return img, nil
		}
		if !cerrdefs.IsNotFound(err) {
			return Image{}, fmt.Errorf("build %s: %w", name, err)
		}
	}
	start := time.Now()
	if err := m.make(ctx, r, tag, ref, src); err != nil {
		return Image{}, fmt.Errorf("build %s: %w", name, err)
	}
	m.log.InfoContext(ctx, "image built", "image", ref, "took", time.Since(start).Round(time.Second))
	return m.inspect(ctx, ref)
}

// inputsFor returns the input tag of r and, for Debian images, the sources.
func (m *Manager) inputsFor(ctx context.Context, r recipe) (string, aptSources, error) {
	if r.kind == kindDebian {
		in, src, err := m.debianInputs(ctx, r)
		if err != nil {
			return "", aptSources{}, err
		}
		return in.tag(), src, nil
	}
	in, err := m.scratchInputs(ctx, r)
	if err != nil {
		return "", aptSources{}, err
	}
	return in.tag(), aptSources{}, nil
}

// make builds the root file system of r and imports it as ref. Each build
// works in a directory of its own, so that concurrent builds do not meet.
func (m *Manager) make(ctx context.Context, r recipe, tag, ref string, src aptSources) error {
	if err := os.MkdirAll(m.cfg.WorkDir, 0o755); err != nil {
		return err
	}
	dir, err := os.MkdirTemp(m.cfg.WorkDir, r.name+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	var (
		rootfs   string
		versions map[string]string
	)
	if r.kind == kindDebian {
		rootfs, versions, err = m.debianRootfs(ctx, dir, r, src)
	} else {
		var version string
		rootfs, version, err = m.scratchRootfs(ctx, dir, r)
		versions = map[string]string{r.clients[0]: version}
	}
	if err != nil {
		return err
	}
	return m.importRootfs(ctx, rootfs, ref, changes(r, tag, versions))
}

// changes returns the Dockerfile instructions applied to an imported image.
func changes(r recipe, tag string, versions map[string]string) []string {
	out := []string{
		`ENTRYPOINT ["` + idleBinary + `"]`,
		"WORKDIR /work",
		"ENV HOME=/root",
		"ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		fmt.Sprintf("LABEL %q=%q %q=%q %q=%q", LabelManaged, managedTrue,
			LabelImage, r.name, LabelInputs, tag),
	}
	if r.name == NameCaddy {
		out = append(out, "ENV XDG_DATA_HOME=/data XDG_CONFIG_HOME=/config")
	}
	keys := make([]string, 0, len(versions))
	for k := range versions {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out = append(out, fmt.Sprintf("LABEL %q=%q", LabelVersionPrefix+k, versions[k]))
	}
	return out
}

// importRootfs loads a root file system tar into the engine as ref, like
// "docker import".
func (m *Manager) importRootfs(ctx context.Context, rootfs, ref string, changes []string) error {
	f, err := os.Open(rootfs)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	resp, err := m.docker.ImageImport(ctx, client.ImageImportSource{Source: f, SourceName: "-"},
		ref, client.ImageImportOptions{Changes: changes})
	if err != nil {
		return fmt.Errorf("import %s: %w", ref, err)
	}
	defer resp.Close()
	return streamError(resp)
}

// streamError reads a JSON progress stream and returns the error it reports.
func streamError(r io.Reader) error {
	dec := json.NewDecoder(r)
	for {
		var msg struct {
			Error string `json:"error"`
		}
		err := dec.Decode(&msg)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read docker response: %w", err)
		}
		if msg.Error != "" {
			return errors.New(strings.TrimSpace(msg.Error))
		}
	}
}

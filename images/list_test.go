package images

import (
	"path/filepath"
	"slices"
	"testing"
)

// importStale loads a tiny image labelled as an old build of lego.
func importStale(t *testing.T, m *Manager) string {
	t.Helper()
	rootfs := filepath.Join(t.TempDir(), "rootfs.tar")
	if err := writeScratchTar(rootfs, nil); err != nil {
		t.Fatal(err)
	}
	r, err := lookup(NameLego)
	if err != nil {
		t.Fatal(err)
	}
	ref := repository + "/" + NameLego + ":stale-for-test"
	if err := m.importRootfs(t.Context(), rootfs, ref, changes(r, "stale", nil)); err != nil {
		t.Fatalf("import: %v", err)
	}
	return ref
}

// refs returns the references of imgs for which keep is true.
func refs(imgs []Image, keep func(Image) bool) []string {
	var out []string
	for _, img := range imgs {
		if keep(img) {
			out = append(out, img.Ref)
		}
	}
	return out
}

func TestListAndPrune(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short mode: builds images")
	}
	m := testManager(t)
	lego := buildImage(t, m, NameLego)
	stale := importStale(t, m)

	imgs, err := m.List(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	current := refs(imgs, func(i Image) bool { return i.Current })
	old := refs(imgs, func(i Image) bool { return !i.Current })
	if !slices.Contains(current, lego.Ref) || !slices.Contains(old, stale) {
		t.Fatalf("List: current %v, old %v; want %s current and %s old", current, old, lego.Ref, stale)
	}

	removed, err := m.Prune(t.Context(), false)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(removed, stale) || slices.Contains(removed, lego.Ref) {
		t.Errorf("Prune removed %v; want %s removed and %s kept", removed, stale, lego.Ref)
	}
	imgs, err = m.List(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if old := refs(imgs, func(i Image) bool { return !i.Current }); len(old) > 0 {
		t.Errorf("after Prune, List still holds old images %v", old)
	}
}

package images

import (
	"archive/tar"
	"bytes"
	"maps"
	"slices"
	"testing"

	"github.com/moby/moby/client"
)

// tarOf builds a tar stream from headers and the contents of regular files.
func tarOf(t testing.TB, entries []tar.Header, data map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, h := range entries {
		h.Size = int64(len(data[h.Name]))
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(data[h.Name]))
	}
	tw.Close()
	return buf.Bytes()
}

func TestReadTree(t *testing.T) {
	stream := tarOf(t, []tar.Header{
		{Typeflag: tar.TypeDir, Name: "out/", Mode: 0o755},
		{Typeflag: tar.TypeReg, Name: "out/a.pem", Mode: 0o644},
		{Typeflag: tar.TypeSymlink, Name: "out/link", Linkname: "a.pem"},
		{Typeflag: tar.TypeReg, Name: "out/sub/b.key", Mode: 0o600},
	}, map[string]string{"out/a.pem": "A", "out/sub/b.key": "B"})
	got, err := readTree(bytes.NewReader(stream), "/work")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{"/work/out/a.pem": []byte("A"), "/work/out/sub/b.key": []byte("B")}
	if !maps.EqualFunc(got, want, bytes.Equal) {
		t.Errorf("readTree = %q, want %q", got, want)
	}
	if _, err := readTree(bytes.NewReader(stream[:700]), "/"); err == nil {
		t.Error("readTree of a cut stream: no error")
	}
}

func FuzzReadTree(f *testing.F) {
	f.Add(tarOf(f, []tar.Header{{Typeflag: tar.TypeReg, Name: "x"}}, map[string]string{"x": "1"}))
	f.Add([]byte("not a tar"))
	f.Fuzz(func(t *testing.T, stream []byte) {
		files, err := readTree(bytes.NewReader(stream), "/p")
		if err != nil {
			return
		}
		for name := range files {
			if name == "" || name[0] != '/' {
				t.Errorf("path %q is not absolute", name)
			}
		}
	})
}

// TestFilesWithoutShell moves files in and out of a FROM-scratch container,
// which has no shell and no mkdir.
func TestFilesWithoutShell(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short mode: builds images")
	}
	m := testManager(t)
	lego := buildImage(t, m, NameLego)
	nw := newNetwork(t, testRunID(t))
	cl := runClient(t, ClientSpec{RunID: nw.RunID, Image: lego.Ref, Network: nw, Alias: "files"})
	ctx := t.Context()

	if err := cl.Mkdir(ctx, "/work/out/empty/dir", 0o700); err != nil {
		t.Fatal(err)
	}
	st, err := cl.docker.ContainerStatPath(ctx, cl.ID(),
		client.ContainerStatPathOptions{Path: "/work/out/empty/dir"})
	if err != nil || !st.Stat.Mode.IsDir() || st.Stat.Mode.Perm() != 0o700 {
		t.Errorf("after Mkdir: stat = %+v, %v; want a 0700 directory", st.Stat, err)
	}
	for name, data := range map[string]string{"/work/out/a.txt": "A", "/work/out/x/b.txt": "B"} {
		if err := cl.CopyIn(ctx, name, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	got, err := cl.CopyTreeOut(ctx, "/work/out")
	if err != nil {
		t.Fatal(err)
	}
	if keys := slices.Sorted(maps.Keys(got)); !slices.Equal(keys,
		[]string{"/work/out/a.txt", "/work/out/x/b.txt"}) || string(got["/work/out/x/b.txt"]) != "B" {
		t.Errorf("CopyTreeOut = %q", got)
	}
	if none, err := cl.CopyTreeOut(ctx, "/work/missing"); err != nil || len(none) != 0 {
		t.Errorf("CopyTreeOut of a missing dir = %q, %v; want empty, nil", none, err)
	}
	if a, err := cl.CopyOut(ctx, "/work/out/a.txt"); err != nil || string(a) != "A" {
		t.Errorf("CopyOut = %q, %v", a, err)
	}
}

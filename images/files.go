package images

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"
)

// systemBundle is the CA bundle every image's TLS clients read: Debian's
// ca-certificates file, which the FROM-scratch images also carry.
const systemBundle = "/etc/ssl/certs/ca-certificates.crt"

// maxTreeBytes bounds what CopyTreeOut reads, so that a runaway client
// cannot fill the harness's memory.
const maxTreeBytes = 64 << 20

// CopyIn writes data to path in the container with the given permission
// bits (zero means 0644), creating missing parent directories.
func (cl *Client) CopyIn(ctx context.Context, path string, data []byte, mode int64) error {
	if mode == 0 {
		mode = 0o644
	}
	if err := cl.c.CopyToContainer(ctx, data, path, mode); err != nil {
		return fmt.Errorf("copy %s into %s: %w", path, cl.Alias, err)
	}
	return nil
}

// CopyOut reads the file at path in the container.
func (cl *Client) CopyOut(ctx context.Context, path string) ([]byte, error) {
	rc, err := cl.c.CopyFileFromContainer(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("copy %s out of %s: %w", path, cl.Alias, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, fmt.Errorf("copy %s out of %s: %w", path, cl.Alias, err)
	}
	return data, nil
}

// TrustRoots appends PEM certificates to the container's system CA bundle,
// so that clients without a CA-bundle setting of their own (uacme 1.7.4,
// dehydrated without CURL_OPTS, Caddy by default) trust the mock CA.
func (cl *Client) TrustRoots(ctx context.Context, pem []byte) error {
	bundle, err := cl.CopyOut(ctx, systemBundle)
	if err != nil {
		return fmt.Errorf("trust roots: %w", err)
	}
	if len(bundle) > 0 && !bytes.HasSuffix(bundle, []byte("\n")) {
		bundle = append(bundle, '\n')
	}
	return cl.CopyIn(ctx, systemBundle, append(bundle, pem...), 0o644)
}

// Mkdir creates the directory dir and its missing parents in the container
// with the given permission bits (zero means 0755). It needs no shell, so it
// works in the FROM-scratch images too.
func (cl *Client) Mkdir(ctx context.Context, dir string, mode int64) error {
	if mode == 0 {
		mode = 0o755
	}
	name := strings.Trim(path.Clean("/"+dir), "/")
	if name == "" {
		return nil
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	hdr := &tar.Header{Typeflag: tar.TypeDir, Name: name + "/", Mode: mode}
	if err := errors.Join(tw.WriteHeader(hdr), tw.Close()); err != nil {
		return fmt.Errorf("mkdir %s in %s: %w", dir, cl.Alias, err)
	}
	_, err := cl.docker.CopyToContainer(ctx, cl.ID(), client.CopyToContainerOptions{
		DestinationPath: "/", Content: &buf,
	})
	if err != nil {
		return fmt.Errorf("mkdir %s in %s: %w", dir, cl.Alias, err)
	}
	return nil
}

// CopyTreeOut reads every regular file under dir in the container and
// returns them keyed by absolute path. A missing dir gives an empty map.
// It needs no shell, so it works in the FROM-scratch images too.
func (cl *Client) CopyTreeOut(ctx context.Context, dir string) (map[string][]byte, error) {
	dir = path.Clean("/" + dir)
	res, err := cl.docker.CopyFromContainer(ctx, cl.ID(), client.CopyFromContainerOptions{
		SourcePath: dir,
	})
	if cerrdefs.IsNotFound(err) {
		return map[string][]byte{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("copy %s out of %s: %w", dir, cl.Alias, err)
	}
	defer res.Content.Close()
	files, err := readTree(res.Content, path.Dir(dir))
	if err != nil {
		return nil, fmt.Errorf("copy %s out of %s: %w", dir, cl.Alias, err)
	}
	return files, nil
}

// readTree collects the regular files of a tar stream whose names are
// relative to parent.
func readTree(r io.Reader, parent string) (map[string][]byte, error) {
	files := make(map[string][]byte)
	tr := tar.NewReader(r)
	budget := int64(maxTreeBytes)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return files, nil
		}
		if err != nil {
			return nil, err
		}
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		if budget -= hdr.Size; budget < 0 {
			return nil, fmt.Errorf("more than %d bytes", maxTreeBytes)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return nil, err
		}
		files[path.Join(parent, hdr.Name)] = data
	}
}

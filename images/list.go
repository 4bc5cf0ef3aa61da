package images

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"
)

// inspect returns the image ref as the engine holds it. A missing image
// gives an error for which errdefs.IsNotFound holds.
func (m *Manager) inspect(ctx context.Context, ref string) (Image, error) {
	res, err := m.docker.ImageInspect(ctx, ref)
	if err != nil {
		return Image{}, err
	}
	var labels map[string]string
	if res.Config != nil {
		labels = res.Config.Labels
	}
	img := fromLabels(ref, labels)
	img.Size = res.Size
	img.Created, _ = time.Parse(time.RFC3339Nano, res.Created)
	img.Current = true
	return img, nil
}

// fromLabels fills an Image from the labels acmeconform put on it.
func fromLabels(ref string, labels map[string]string) Image {
	img := Image{
		Name: labels[LabelImage], Ref: ref, Inputs: labels[LabelInputs],
		Versions: make(map[string]string),
	}
	if r, err := lookup(img.Name); err == nil {
		img.Clients = r.clients
	}
	for k, v := range labels {
		if name, ok := strings.CutPrefix(k, LabelVersionPrefix); ok {
			img.Versions[name] = v
		}
	}
	return img
}

// List returns every acmeconform image in the engine, current or not, sorted
// by name and then newest first.
func (m *Manager) List(ctx context.Context) ([]Image, error) {
	res, err := m.docker.ImageList(ctx, client.ImageListOptions{
		Filters: make(client.Filters).Add("label", LabelManaged+"="+managedTrue),
	})
	if err != nil {
		return nil, fmt.Errorf("list images: %w", err)
	}
	current := m.currentTags(ctx)
	var out []Image
	for _, s := range res.Items {
		img := fromLabels(imageRef(s.ID, s.RepoTags), s.Labels)
		img.Size = s.Size
		img.Created = time.Unix(s.Created, 0)
		img.Current = current[img.Name] != "" && current[img.Name] == img.Inputs
		out = append(out, img)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].Created.After(out[j].Created)
	})
	return out, nil
}

// imageRef names an image by its first tag, or by its id when it has none:
// an image whose tag moved to a newer build is listed with no tags or with
// "<none>:<none>", which is no reference the engine accepts.
func imageRef(id string, tags []string) string {
	for _, t := range tags {
		if t != "<none>:<none>" {
			return t
		}
	}
	return id
}

// currentTags returns the input tag each image would be built with now. An
// image whose inputs cannot be read (no tools module, no apt sources) is
// left out, so List and Prune treat its images as not current.
func (m *Manager) currentTags(ctx context.Context) map[string]string {
	tags := make(map[string]string)
	for _, r := range recipes() {
		tag, _, err := m.inputsFor(ctx, r)
		if err != nil {
			m.log.WarnContext(ctx, "cannot compute image inputs", "image", r.name, "err", err)
			continue
		}
		tags[r.name] = tag
	}
	return tags
}

// Prune removes acmeconform images whose inputs have changed since they were
// built, or every acmeconform image when all is true, and returns the
// references removed.
func (m *Manager) Prune(ctx context.Context, all bool) ([]string, error) {
	imgs, err := m.List(ctx)
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, img := range imgs {
		if img.Current && !all {
			continue
		}
		_, err := m.docker.ImageRemove(ctx, img.Ref, client.ImageRemoveOptions{PruneChildren: true})
		if cerrdefs.IsNotFound(err) {
			continue // removed meanwhile, for example by another prune
		}
		if err != nil {
			return removed, fmt.Errorf("prune %s: %w", img.Ref, err)
		}
		removed = append(removed, img.Ref)
	}
	return removed, nil
}

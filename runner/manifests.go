package runner

import (
	"context"
	"fmt"

	drivers "acmeconform/clients"
	"acmeconform/clients/manifest"
	"acmeconform/images"
)

// loadManifests reads and checks the client manifests before anything
// starts, so that a mistake costs no container.
func loadManifests(paths []string) ([]*manifest.Manifest, error) {
	var out []*manifest.Manifest
	seen := map[string]string{}
	for _, p := range paths {
		m, err := manifest.Load(p)
		if err != nil {
			return nil, &ConfigError{Err: fmt.Errorf("--client-manifest: %w", err)}
		}
		if first, ok := seen[m.Name]; ok {
			return nil, configErr("--client-manifest: %s and %s both name client %q",
				first, p, m.Name)
		}
		seen[m.Name] = p
		out = append(out, m)
	}
	return out, nil
}

// manifestDrivers starts a container of each manifest's image on the
// run's network, as for the built-in clients, and returns a driver for
// each. An image that is missing (nothing is pulled) or cannot be built
// gives a driver that says why, so the suite skips the client with it.
func (s *stack) manifestDrivers(ctx context.Context, cfg Config, run *containerRun,
	m *images.Manager, caFile string, caPEM []byte) []drivers.Driver {
	var out []drivers.Driver
	for _, man := range cfg.manifests {
		c := clientInContainer{name: man.Name, image: man.Image, shell: man.Shell}
		var r drivers.Runner
		var err error
		if man.Build != "" {
			var img images.Image
			img, err = m.Build(ctx, man.Build)
			c.image = img.Ref
			if err != nil {
				err = fmt.Errorf("%s: build image %s: %w", man.File, man.Build, err)
			}
		}
		if err == nil {
			if r, err = s.startClient(ctx, cfg, run, c, c.image, caFile, caPEM); err != nil {
				err = fmt.Errorf("%s: %w", man.File, err)
			}
		}
		if err != nil {
			d := manifest.New(man, drivers.Config{Runner: brokenRunner{err: err}})
			out = append(out, unusable{Driver: d, err: err})
			continue
		}
		out = append(out, manifest.New(man, drivers.Config{Runner: r, Logger: cfg.Logger}))
	}
	return out
}

// unusable is a client whose container could not be had. Its Version
// says why, also when the manifest states the version, so that the suite
// skips the client with the reason instead of failing every scenario.
type unusable struct {
	drivers.Driver
	err error
}

// Version returns the reason the client cannot run.
func (u unusable) Version(context.Context) (string, error) { return "", u.err }

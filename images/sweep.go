package images

import (
	"context"
	"errors"
	"fmt"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"
)

// SweepResult names what a sweep removed.
type SweepResult struct {
	// Containers are the ids of the removed containers.
	Containers []string
	// Networks are the names of the removed networks.
	Networks []string
}

// Sweep removes the containers and networks acmeconform runs left behind,
// for example after a crash: every labelled one when keepRun is empty,
// every one but keepRun's otherwise. Call it when a run starts. It assumes
// one harness per Docker engine; shards sharing an engine would sweep each
// other and should call RemoveRun instead.
func Sweep(ctx context.Context, keepRun string) (SweepResult, error) {
	return sweep(ctx, client.Filters{}, func(labels map[string]string) bool {
		return keepRun == "" || labels[LabelRun] != keepRun
	})
}

// RemoveRun removes the containers and networks of one run. Call it when
// the run ends, also when it was interrupted (SIGINT): the context passed
// must not be the cancelled one.
func RemoveRun(ctx context.Context, runID string) (SweepResult, error) {
	if runID == "" {
		return SweepResult{}, errors.New("remove run: empty run id")
	}
	f := make(client.Filters).Add("label", LabelRun+"="+runID)
	return sweep(ctx, f, func(map[string]string) bool { return true })
}

// sweep removes managed containers, then networks, that match filter and
// for which remove returns true.
func sweep(ctx context.Context, filter client.Filters, remove func(map[string]string) bool) (SweepResult, error) {
	docker, err := dockerClient(ctx)
	if err != nil {
		return SweepResult{}, err
	}
	defer docker.Close()
	filter = filter.Clone().Add("label", LabelManaged+"="+managedTrue)

	var res SweepResult
	containers, err := docker.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: filter})
	if err != nil {
		return res, fmt.Errorf("sweep containers: %w", err)
	}
	var errs []error
	for _, c := range containers.Items {
		if !remove(c.Labels) {
			continue
		}
		_, err := docker.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{
			Force: true, RemoveVolumes: true,
		})
		if err != nil && !cerrdefs.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("remove container %s: %w", c.ID, err))
			continue
		}
		res.Containers = append(res.Containers, c.ID)
	}
	networks, err := docker.NetworkList(ctx, client.NetworkListOptions{Filters: filter})
	if err != nil {
		return res, errors.Join(append(errs, fmt.Errorf("sweep networks: %w", err))...)
	}
	for _, n := range networks.Items {
		if !remove(n.Labels) {
			continue
		}
		_, err := docker.NetworkRemove(ctx, n.ID, client.NetworkRemoveOptions{})
		if err != nil && !cerrdefs.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("remove network %s: %w", n.Name, err))
			continue
		}
		res.Networks = append(res.Networks, n.Name)
	}
	return res, errors.Join(errs...)
}

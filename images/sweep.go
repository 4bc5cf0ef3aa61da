package images

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

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

// SweepOptions narrows what Sweep removes.
type SweepOptions struct {
	// Keep are runs whose objects stay, typically the run that is starting.
	Keep []string
	// RunPrefix, when set, limits the sweep to runs whose id starts with it.
	RunPrefix string
}

// Sweep removes the containers and networks acmeconform runs left behind,
// for example after a crash or a kill: every labelled one except those of
// the runs in opts.Keep and those whose owner process still runs (see
// LabelOwner), so runs sharing a Docker engine leave each other alone. Call
// it when a run starts.
func Sweep(ctx context.Context, opts SweepOptions) (SweepResult, error) {
	return sweep(ctx, client.Filters{}, func(labels map[string]string) bool {
		run := labels[LabelRun]
		return strings.HasPrefix(run, opts.RunPrefix) && !slices.Contains(opts.Keep, run) &&
			!OwnerAlive(labels[LabelOwner])
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

// selector says from its labels whether an object is to be removed.
type selector func(labels map[string]string) bool

// sweep removes managed containers, then networks, that match filter and
// for which remove returns true. It goes on after a failed removal and
// reports every failure.
func sweep(ctx context.Context, filter client.Filters, remove selector) (SweepResult, error) {
	docker, err := dockerClient(ctx)
	if err != nil {
		return SweepResult{}, err
	}
	defer docker.Close()
	filter = filter.Clone().Add("label", LabelManaged+"="+managedTrue)

	var res SweepResult
	var errs []error
	res.Containers, errs = sweepContainers(ctx, docker.Client, filter, remove)
	nets, netErrs := sweepNetworks(ctx, docker.Client, filter, remove)
	res.Networks = nets
	return res, errors.Join(append(errs, netErrs...)...)
}

// sweepContainers force-removes the matching containers.
func sweepContainers(ctx context.Context, docker *client.Client, filter client.Filters,
	remove selector) ([]string, []error) {
	list, err := docker.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: filter})
	if err != nil {
		return nil, []error{fmt.Errorf("sweep containers: %w", err)}
	}
	var removed []string
	var errs []error
	for _, c := range list.Items {
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
		removed = append(removed, c.ID)
	}
	return removed, errs
}

// sweepNetworks removes the matching networks.
func sweepNetworks(ctx context.Context, docker *client.Client, filter client.Filters,
	remove selector) ([]string, []error) {
	list, err := docker.NetworkList(ctx, client.NetworkListOptions{Filters: filter})
	if err != nil {
		return nil, []error{fmt.Errorf("sweep networks: %w", err)}
	}
	var removed []string
	var errs []error
	for _, n := range list.Items {
		if !remove(n.Labels) {
			continue
		}
		_, err := docker.NetworkRemove(ctx, n.ID, client.NetworkRemoveOptions{})
		if err != nil && !cerrdefs.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("remove network %s: %w", n.Name, err))
			continue
		}
		removed = append(removed, n.Name)
	}
	return removed, errs
}

package images

import (
	"context"
	"errors"
	"fmt"
	"net/netip"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/network"
)

// Network is a Docker bridge network of one run. The host holds its gateway
// address, so servers of the harness bound to Gateway are reachable from the
// run's containers and from nowhere else but the host.
type Network struct {
	// Name is the Docker name of the network.
	Name string
	// ID is the Docker id of the network.
	ID string
	// RunID is the run the network belongs to.
	RunID string
	// Gateway is the host's address on the network.
	Gateway netip.Addr
	// Subnet is the network's address range.
	Subnet netip.Prefix

	nw *testcontainers.DockerNetwork
}

// NewNetwork creates the network of run runID. It is internal: containers
// on it have no route beyond the host, only to each other and to the
// gateway address.
func NewNetwork(ctx context.Context, runID string) (*Network, error) {
	if runID == "" {
		return nil, errors.New("new network: empty run id")
	}
	nw, err := network.New(ctx, network.WithInternal(), network.WithLabels(runLabels(runID)))
	if err != nil {
		return nil, fmt.Errorf("new network: %w", err)
	}
	n := &Network{Name: nw.Name, ID: nw.ID, RunID: runID, nw: nw}
	if err := n.inspect(ctx); err != nil {
		return nil, errors.Join(err, nw.Remove(context.WithoutCancel(ctx)))
	}
	return n, nil
}

// inspect reads the gateway and subnet the engine gave the network.
func (n *Network) inspect(ctx context.Context) error {
	docker, err := dockerClient(ctx)
	if err != nil {
		return err
	}
	defer docker.Close()
	res, err := docker.NetworkInspect(ctx, n.ID, client.NetworkInspectOptions{})
	if err != nil {
		return fmt.Errorf("inspect network %s: %w", n.Name, err)
	}
	for _, c := range res.Network.IPAM.Config {
		if c.Gateway.Is4() {
			n.Gateway, n.Subnet = c.Gateway, c.Subnet
			return nil
		}
	}
	return fmt.Errorf("inspect network %s: no IPv4 gateway", n.Name)
}

// Remove deletes the network. Its containers must be terminated first.
func (n *Network) Remove(ctx context.Context) error {
	if err := n.nw.Remove(ctx); err != nil {
		return fmt.Errorf("remove network %s: %w", n.Name, err)
	}
	return nil
}

package images_test

import (
	"context"
	"fmt"
	"net/netip"

	"acmeconform/images"
)

// Example shows the life of a run: sweep, build, network, client, cleanup.
func Example() {
	ctx := context.Background()
	const runID = "run-42"
	if _, err := images.Sweep(ctx, images.SweepOptions{Keep: []string{runID}}); err != nil {
		fmt.Println(err)
	}
	defer images.RemoveRun(context.WithoutCancel(ctx), runID)

	m, err := images.New(ctx, images.Config{ToolsDir: "tools"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer m.Close()
	name, _ := images.ImageFor("certbot")
	img, err := m.Build(ctx, name)
	if err != nil {
		fmt.Println(err)
		return
	}

	nw, err := images.NewNetwork(ctx, runID)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer nw.Remove(context.WithoutCancel(ctx))
	// The mock CA and DNS server listen on nw.Gateway here.
	cl, err := images.RunClient(ctx, images.ClientSpec{
		RunID: runID, Image: img.Ref, Network: nw, Alias: "certbot",
		DNS: []netip.Addr{nw.Gateway},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cl.Terminate(context.WithoutCancel(ctx))
	res, err := cl.Exec(ctx, images.ExecRequest{Cmd: []string{"certbot", "--version"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("exit %d: %s", res.ExitCode, res.Output)
}

package images

import (
	"context"
	"errors"
	"testing"

	"github.com/moby/moby/client"
)

// labelled counts the containers and networks carrying the run's label, as
// "docker ps -a --filter label=..." and "docker network ls --filter ..." do.
func labelled(t *testing.T, runID string) (containers, networks int) {
	t.Helper()
	docker, err := dockerClient(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer docker.Close()
	f := make(client.Filters).Add("label", LabelRun+"="+runID)
	cs, err := docker.ContainerList(t.Context(), client.ContainerListOptions{All: true, Filters: f})
	if err != nil {
		t.Fatal(err)
	}
	ns, err := docker.NetworkList(t.Context(), client.NetworkListOptions{Filters: f})
	if err != nil {
		t.Fatal(err)
	}
	return len(cs.Items), len(ns.Items)
}

// leaveRun starts a network and a container of a run and does not clean
// them up, as a crashed or interrupted run would.
func leaveRun(t *testing.T, ref, runID string) {
	t.Helper()
	nw, err := NewNetwork(t.Context(), runID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := RunClient(t.Context(), ClientSpec{
		RunID: runID, Image: ref, Network: nw, Alias: "left",
	}); err != nil {
		t.Fatal(err)
	}
	if c, n := labelled(t, runID); c != 1 || n != 1 {
		t.Fatalf("run %s has %d containers and %d networks, want 1 and 1", runID, c, n)
	}
}

func TestRunClientWithoutImage(t *testing.T) {
	requireDocker(t)
	nw := newNetwork(t, testRunID(t))
	_, err := RunClient(t.Context(), ClientSpec{
		RunID: nw.RunID, Image: "acmeconform/absent:never-built", Network: nw, Alias: "absent",
	})
	if !errors.Is(err, ErrNoImage) {
		t.Errorf("RunClient of an absent image = %v, want ErrNoImage", err)
	}
}

func TestSweep(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short mode: builds images")
	}
	m := testManager(t)
	lego := buildImage(t, m, NameLego)
	prefix := testRunID(t)
	old, current, live := prefix+"-old", prefix+"-current", prefix+"-live"
	owner := currentOwner
	currentOwner = func() string { return endedOwner(t) }
	leaveRun(t, lego.Ref, old)
	currentOwner = owner
	leaveRun(t, lego.Ref, current)
	leaveRun(t, lego.Ref, live)
	t.Cleanup(func() {
		RemoveRun(context.Background(), old)
		RemoveRun(context.Background(), current)
		RemoveRun(context.Background(), live)
	})

	res, err := Sweep(t.Context(), SweepOptions{Keep: []string{current}, RunPrefix: prefix})
	if err != nil {
		t.Fatalf("Sweep: %v", err)
	}
	if c, n := labelled(t, old); c != 0 || n != 0 {
		t.Errorf("after Sweep the earlier run keeps %d containers and %d networks", c, n)
	}
	if c, n := labelled(t, current); c != 1 || n != 1 {
		t.Errorf("Sweep removed the kept run's objects: %d containers, %d networks left", c, n)
	}
	if c, n := labelled(t, live); c != 1 || n != 1 {
		t.Errorf("Sweep removed a live process's run: %d containers, %d networks left", c, n)
	}
	if len(res.Containers) < 1 || len(res.Networks) < 1 {
		t.Errorf("Sweep reported %+v", res)
	}

	if _, err := RemoveRun(t.Context(), current); err != nil {
		t.Fatalf("RemoveRun: %v", err)
	}
	if c, n := labelled(t, current); c != 0 || n != 0 {
		t.Errorf("after RemoveRun the run keeps %d containers and %d networks", c, n)
	}
}

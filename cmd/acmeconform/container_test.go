package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"acmeconform/images"
)

// requireEngine skips the test in -short mode and without a Docker engine
// and CLI.
func requireEngine(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("skipped in -short: builds images and runs containers")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := exec.CommandContext(ctx, "docker", "info").Run(); err != nil {
		t.Skipf("skipped: no Docker engine answers (%v)", err)
	}
}

// containerArgs runs lego's scenarios of the client suite in containers.
func containerArgs(t *testing.T, out, filter string) []string {
	t.Helper()
	tools, err := filepath.Abs(filepath.Join("..", "..", "tools"))
	if err != nil {
		t.Fatal(err)
	}
	return []string{"run", "--suite", "clients", "--client-mode", "container",
		"--tools", tools, "--label-filter", filter, "--out", out, "--seed", "7"}
}

// runObject is a container or network of a harness run in the engine.
type runObject struct {
	kind, id, run, owner string
}

// runObjects lists the containers and networks of harness runs in the
// engine, by their run and owner labels.
func runObjects(t *testing.T) []runObject {
	t.Helper()
	var found []runObject
	for _, args := range [][]string{
		{"ps", "-a", "--filter", "label=org.acmeconform.managed"},
		{"network", "ls", "--filter", "label=org.acmeconform.managed"},
	} {
		args = append(args, "--format",
			`{{.ID}} {{.Label "org.acmeconform.run"}} {{.Label "`+images.LabelOwner+`"}}`)
		out, err := exec.Command("docker", args...).Output()
		if err != nil {
			t.Fatalf("docker %v: %v", args, err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			f := strings.Fields(line)
			if len(f) < 2 || !strings.HasPrefix(f[1], "acmeconform-run-") {
				continue
			}
			o := runObject{kind: args[0], id: f[0], run: f[1]}
			if len(f) == 3 {
				o.owner = f[2]
			}
			found = append(found, o)
		}
	}
	return found
}

// leftovers lists the run objects whose owner process has ended: what a
// finished run left behind, not the objects of runs still going on beside
// this test.
func leftovers(t *testing.T) []runObject {
	t.Helper()
	var left []runObject
	for _, o := range runObjects(t) {
		if !images.OwnerAlive(o.owner) {
			left = append(left, o)
		}
	}
	return left
}

// ownedBy lists the run objects process pid created.
func ownedBy(t *testing.T, pid int) []runObject {
	t.Helper()
	var own []runObject
	for _, o := range runObjects(t) {
		if parts := strings.Split(o.owner, "/"); len(parts) == 3 && parts[1] == strconv.Itoa(pid) {
			own = append(own, o)
		}
	}
	return own
}

func TestRunClientsInContainers(t *testing.T) {
	requireEngine(t)
	dir := t.TempDir()
	filter := "client:lego && (scenario:http-01 || scenario:dns-01 || scenario:revoke)"
	res := runBinary(t, 10*time.Minute, containerArgs(t, dir, filter)...)
	t.Logf("run took %s", res.elapsed.Round(time.Millisecond))
	if res.code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	rep := readReport(t, dir)
	passed := map[string]bool{}
	for _, s := range rep.Specs {
		if s.Client == "lego" && s.State == "passed" {
			passed[s.Scenario] = true
		}
	}
	for _, want := range []string{"http-01", "dns-01", "revoke"} {
		if !passed[want] {
			t.Errorf("lego %s did not pass in a container", want)
		}
	}
	if len(rep.Clients) != 1 || rep.Clients[0].Mode != "container" {
		t.Errorf("clients %+v, want lego in container mode", rep.Clients)
	}
	if left := leftovers(t); len(left) > 0 {
		t.Errorf("the run left %v", left)
	}
}

func TestRunClientsInContainersInterrupted(t *testing.T) {
	requireEngine(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, containerArgs(t, t.TempDir(), "client:lego")...)
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Env = append(os.Environ(), "TESTCONTAINERS_RYUK_DISABLED=true")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Interrupt once the first spec has finished: containers are running.
	deadline := time.Now().Add(3 * time.Minute)
	for !strings.Contains(out.String(), "[1/") {
		if time.Now().After(deadline) {
			t.Fatalf("no spec finished:\n%s", out.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	if len(ownedBy(t, cmd.Process.Pid)) == 0 {
		t.Fatalf("no container of the run found while it runs:\n%s", out.String())
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait() // an interrupted run exits non-zero
	if left := ownedBy(t, cmd.Process.Pid); len(left) > 0 {
		t.Errorf("the interrupted run left %v\noutput:\n%s", left, out.String())
	}
}

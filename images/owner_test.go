package images

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// endedOwner returns the LabelOwner value of a process that has exited.
func endedOwner(t *testing.T) string {
	t.Helper()
	cmd := exec.Command("sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	owner := ownerOf(cmd.Process.Pid)
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	if owner == "" {
		t.Skip("this system does not tell process start times")
	}
	return owner
}

func TestOwnerAlive(t *testing.T) {
	self := ownerOf(os.Getpid())
	if self == "" {
		t.Skip("this system does not tell process start times")
	}
	boot, _, _ := strings.Cut(self, "/")
	_, rest, _ := strings.Cut(self, "/")
	pid, start, _ := strings.Cut(rest, "/")
	for _, c := range []struct {
		owner string
		alive bool
	}{
		{self, true},
		{endedOwner(t), false},
		{fmt.Sprintf("%s/%s/%s1", boot, pid, start), false}, // the pid reused by another process
		{"another-boot/1/1", true},                          // another machine: not ours to judge
		{"", false},
		{"garbage", false},
		{boot + "/x/1", false},
	} {
		if got := OwnerAlive(c.owner); got != c.alive {
			t.Errorf("OwnerAlive(%q) = %v, want %v", c.owner, got, c.alive)
		}
	}
}

package images

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// LabelOwner names the process that created a container or network, as
// "BOOT-ID/PID/START" (the kernel's boot id, the process id and the
// process's start time in clock ticks since boot). Sweep leaves the objects
// of a live owner alone, so runs sharing a Docker engine, such as test
// binaries running side by side, do not remove each other's containers.
const LabelOwner = "org.acmeconform.owner"

// currentOwner returns the LabelOwner value of this process; tests replace
// it to leave objects of a process that has ended.
var currentOwner = func() string { return ownerOf(os.Getpid()) }

// bootIDFile holds the id of the running kernel's boot (Linux).
const bootIDFile = "/proc/sys/kernel/random/boot_id"

// ownerOf returns the LabelOwner value of process pid, or "" where the
// system does not tell (then the objects are swept as before: by run id).
func ownerOf(pid int) string {
	boot, err := os.ReadFile(bootIDFile)
	if err != nil {
		return ""
	}
	start, ok := processStart(pid)
	if !ok {
		return ""
	}
	return fmt.Sprintf("%s/%d/%s", strings.TrimSpace(string(boot)), pid, start)
}

// processStart returns the start time of pid from /proc/PID/stat (field 22,
// counted after the parenthesised command, which may hold spaces).
func processStart(pid int) (string, bool) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return "", false
	}
	s := string(stat)
	end := strings.LastIndexByte(s, ')')
	if end < 0 {
		return "", false
	}
	fields := strings.Fields(s[end+1:])
	// fields[0] is field 3 (state); the start time is field 22.
	if len(fields) < 20 {
		return "", false
	}
	return fields[19], true
}

// OwnerAlive reports whether the process named by a LabelOwner value still
// runs on this machine. An object from another machine (another boot id)
// counts as alive: its owner cannot be checked from here, so it is not
// swept. A missing or malformed value counts as not alive.
func OwnerAlive(owner string) bool {
	parts := strings.Split(owner, "/")
	if len(parts) != 3 {
		return false
	}
	boot, err := os.ReadFile(bootIDFile)
	if err != nil || strings.TrimSpace(string(boot)) != parts[0] {
		return err == nil
	}
	pid, err := strconv.Atoi(parts[1])
	if err != nil || pid <= 0 {
		return false
	}
	start, ok := processStart(pid)
	return ok && start == parts[2]
}

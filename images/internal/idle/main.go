//go:build linux

// Command acmeconform-idle is the first process of every client container.
// It keeps the container alive so that client commands can be executed in it
// one step at a time, reaps the orphaned processes those commands leave
// behind (a backgrounded web server, a daemonised hook), and exits at once on
// SIGTERM or SIGINT so that stopping a container never waits for a timeout.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	signals := make(chan os.Signal, 8)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT, syscall.SIGCHLD)

	for sig := range signals {
		if sig == syscall.SIGCHLD {
			reap()
			continue
		}
		os.Exit(0)
	}
}

// reap collects every child that has exited, so none stays a zombie.
func reap() {
	for {
		var status syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil)
		if pid <= 0 || err != nil {
			return
		}
	}
}

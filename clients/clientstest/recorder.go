// Package clientstest helps test client drivers without running clients:
// a Runner that records the commands it is given and answers with canned
// results.
package clientstest

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"acmeconform/clients"
)

// Recorder is a clients.Runner that runs nothing.
type Recorder struct {
	mu       sync.Mutex
	commands []clients.Command
	// Result, when set, answers each command; nil answers exit 0 with no
	// output and no files.
	Result func(cmd clients.Command) clients.Result
}

// Run records cmd and returns the canned result.
func (r *Recorder) Run(_ context.Context, cmd clients.Command) (clients.Result, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.commands = append(r.commands, cmd)
	if r.Result == nil {
		return clients.Result{}, nil
	}
	return r.Result(cmd), nil
}

// Mode reports ModeProcess, the mode the recorded commands are shaped for.
func (r *Recorder) Mode() clients.Mode { return clients.ModeProcess }

// Commands returns the recorded commands in order.
func (r *Recorder) Commands() []clients.Command {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]clients.Command(nil), r.commands...)
}

// Describe renders a command as stable text for golden files: argv one
// item a line, then the environment, directories, files with their
// contents, collected paths and backend requests.
func Describe(cmd clients.Command) string {
	var b strings.Builder
	fmt.Fprintf(&b, "dir: %s\nargv:\n", cmd.Dir)
	for _, a := range cmd.Argv {
		fmt.Fprintf(&b, "  %s\n", a)
	}
	section(&b, "env", cmd.Env)
	section(&b, "dirs", cmd.Dirs)
	files := append([]clients.File(nil), cmd.Files...)
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	for _, f := range files {
		fmt.Fprintf(&b, "file %s (%o):\n%s\n", f.Path, f.Perm, indent(string(f.Data)))
	}
	section(&b, "collect", cmd.Collect)
	if cmd.SystemTrust != "" {
		fmt.Fprintf(&b, "system trust: %s\n", cmd.SystemTrust)
	}
	if cmd.Webroot != "" {
		fmt.Fprintf(&b, "webroot: %s on port %d\n", cmd.Webroot, cmd.WebrootPort)
	}
	return b.String()
}

func section(b *strings.Builder, name string, items []string) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(b, "%s:\n", name)
	for _, it := range items {
		fmt.Fprintf(b, "  %s\n", it)
	}
}

func indent(s string) string {
	return "    | " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    | ")
}

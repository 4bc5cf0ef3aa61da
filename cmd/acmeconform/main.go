// Command acmeconform is a conformance harness for ACME (RFC 8555) servers
// and clients, with a mock CA and a mock DNS server.
//
// Exit codes:
//
//	0  every MUST requirement passed (or the command succeeded)
//	1  a MUST requirement failed
//	2  usage or configuration error
//	3  the target or the harness's infrastructure failed
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes, documented in the package comment and the README.
const (
	exitOK       = 0
	exitMustFail = 1
	exitUsage    = 2
	exitInfra    = 3
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *cliEnv, args []string) int
}

// cliEnv is what a command may touch of the outside world; tests replace it.
type cliEnv struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

func commands() []command {
	return []command{
		{"run", "probe an ACME server and drive ACME clients; write reports", runCmd},
		{"serve", "run the mock CA and the mock DNS server", serveCmd},
		{"report", "render or merge JSON compliance reports", reportCmd},
		{"images", "build, list or prune the client images", imagesCmd},
		{"credentials", "create API credentials and EAB MAC keys on a running mock CA",
			credentialsCmd},
		{"profiles", "print or check the mock CA's policy profiles", profilesCmd},
		{"clients", "check client manifests (clients validate FILE...)", clientsCmd},
		{"version", "print the version", versionCmd},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The testcontainers reaper image cannot be pulled where no registry is
	// reachable; acmeconform labels and removes its own containers instead.
	if os.Getenv("TESTCONTAINERS_RYUK_DISABLED") == "" {
		os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	}
	env := &cliEnv{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	os.Exit(dispatch(ctx, env, os.Args[1:]))
}

func dispatch(ctx context.Context, env *cliEnv, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(env.stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, env, args[1:])
		}
	}
	fmt.Fprintf(env.stderr, "acmeconform: unknown command %q (see acmeconform --help)\n", args[0])
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "acmeconform: conformance harness for ACME (RFC 8555) servers and clients")
	fmt.Fprintln(w, "\nUsage: acmeconform COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'acmeconform COMMAND --help' for a command's flags and examples.")
	fmt.Fprintln(w, "Exit codes: 0 all MUSTs pass, 1 a MUST failed, 2 usage error, 3 infrastructure error.")
}

// newFlagSet returns a flag set whose --help prints a summary, the flags and
// examples.
func newFlagSet(env *cliEnv, name, summary string, examples ...string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are printed once, by flagExit
	fs.Usage = func() {
		w := env.stdout
		fmt.Fprintf(w, "Usage: acmeconform %s [flags]\n\n%s\n\nFlags (also ACMECONFORM_<FLAG> "+
			"environment variables and --config FILE keys):\n", name, summary)
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
		if len(examples) > 0 {
			fmt.Fprintln(w, "\nExamples:")
			for _, e := range examples {
				fmt.Fprintln(w, "  "+e)
			}
		}
	}
	return fs
}

// flagExit maps a parse error to an exit code: --help (its usage already
// printed by parseFlags) exits 0; any other error is printed once, with a
// pointer to --help, and is a usage error.
func flagExit(env *cliEnv, name string, err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	fmt.Fprintf(env.stderr, "acmeconform %s: %v (see acmeconform %s --help)\n", name, err, name)
	return exitUsage
}

func versionCmd(_ context.Context, env *cliEnv, args []string) int {
	fs := newFlagSet(env, "version", "Print the version of acmeconform.")
	if err := parseFlags(fs, args, env.getenv); err != nil {
		return flagExit(env, "version", err)
	}
	fmt.Fprintln(env.stdout, "acmeconform", version)
	return exitOK
}

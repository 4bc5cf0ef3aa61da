package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	tclog "github.com/testcontainers/testcontainers-go/log"

	"acmeconform/images"
)

func imagesCmd(ctx context.Context, env *cliEnv, args []string) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(env.stderr, "Usage: acmeconform images build|list|prune [flags] [NAME...]\n\n"+
			"  build  build the client images (lego, caddy, debian) that are missing or outdated\n"+
			"  list   list the images acmeconform built, with their clients' versions\n"+
			"  prune  remove outdated images (--all: every image acmeconform built)\n\n"+
			"Images are built locally, never pulled: Go clients as static binaries in\n"+
			"FROM scratch images, Debian clients from an mmdebstrap root filesystem.\n\n"+
			"Examples:\n  acmeconform images build\n  acmeconform images build lego\n"+
			"  acmeconform images prune --all")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return exitOK
		}
		return exitUsage
	}
	sub := args[0]
	fs := newFlagSet(env, "images "+sub, "Build, list or prune the client images.")
	tools := fs.String("tools", "tools", "the pinned tools module (Go clients are built from it)")
	all := fs.Bool("all", false, "with prune: remove every image acmeconform built")
	if err := parseFlagsArgs(fs, args[1:], env.getenv); err != nil {
		return flagExit(env, "images", err)
	}
	tclog.SetDefault(tclog.NewNoopLogger())
	abs, err := filepath.Abs(*tools)
	if err != nil {
		return flagExit(env, "images", err)
	}
	m, err := images.New(ctx, images.Config{ToolsDir: abs})
	if err != nil {
		fmt.Fprintf(env.stderr, "acmeconform images: %v\n", err)
		return exitInfra
	}
	defer m.Close()
	switch sub {
	case "build":
		err = buildImages(ctx, env.stdout, m, fs.Args())
	case "list":
		err = listImages(ctx, env.stdout, m)
	case "prune":
		var removed []string
		if removed, err = m.Prune(ctx, *all); err == nil {
			fmt.Fprintf(env.stdout, "removed %d images %s\n", len(removed), strings.Join(removed, " "))
		}
	default:
		return flagExit(env, "images", usagef("unknown subcommand %q (want build, list or prune)", sub))
	}
	if err != nil {
		fmt.Fprintf(env.stderr, "acmeconform images %s: %v\n", sub, err)
		return exitInfra
	}
	return exitOK
}

func buildImages(ctx context.Context, w io.Writer, m *images.Manager, names []string) error {
	if len(names) == 0 {
		names = images.Names()
	}
	for _, n := range names {
		start := time.Now()
		img, err := m.Build(ctx, n)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%-8s %s (%s)\n", n, img.Ref, time.Since(start).Round(time.Millisecond))
	}
	return nil
}

func listImages(ctx context.Context, w io.Writer, m *images.Manager) error {
	imgs, err := m.List(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tREF\tCURRENT\tSIZE\tVERSIONS")
	for _, i := range imgs {
		var vs []string
		for c, v := range i.Versions {
			vs = append(vs, c+" "+v)
		}
		fmt.Fprintf(tw, "%s\t%s\t%v\t%d MB\t%s\n", i.Name, i.Ref, i.Current, i.Size>>20, strings.Join(vs, ", "))
	}
	return tw.Flush()
}

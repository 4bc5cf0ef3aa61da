package clients

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestProcessRunnerRun(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name     string
		cmd      Command
		exit     int
		output   string
		files    []string // collected paths expected in Result.Files
		contents string   // contents of files[0]
	}{
		{name: "exit code and output", exit: 3, output: "out\nerr\n",
			cmd: Command{Argv: []string{"/bin/sh", "-c", "echo out; echo err >&2; exit 3"}}},
		{name: "clean environment", output: "VAR=x HOME=" + dir + "/env\n",
			cmd: Command{Dir: dir + "/env", Env: []string{"VAR=x"},
				Argv: []string{"/bin/sh", "-c", `echo "VAR=$VAR HOME=$HOME$GOPATH"`}}},
		{name: "files in, files out", files: []string{dir + "/io/out.txt"}, contents: "hello",
			cmd: Command{Dir: dir + "/io", Argv: []string{"/bin/sh", "-c", "cat in.txt > out.txt"},
				Files:   []File{{Path: dir + "/io/in.txt", Data: []byte("hello")}},
				Collect: []string{dir + "/io/out.txt", dir + "/io/missing.txt"}}},
		{name: "glob collect", files: []string{dir + "/glob/a/1/x.json"}, contents: "{}",
			cmd: Command{Dir: dir + "/glob", Dirs: []string{dir + "/glob/a/1"},
				Argv:    []string{"/bin/sh", "-c", "echo -n '{}' > a/1/x.json"},
				Collect: []string{dir + "/glob/*/*/x.json"}}},
	}
	p := NewProcess(ProcessConfig{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := p.Run(context.Background(), tc.cmd)
			if err != nil {
				t.Fatal(err)
			}
			if res.ExitCode != tc.exit || string(res.Output) != tc.output {
				t.Errorf("got exit %d output %q, want %d %q", res.ExitCode, res.Output,
					tc.exit, tc.output)
			}
			if len(res.Files) != len(tc.files) {
				t.Fatalf("collected %d files, want %d", len(res.Files), len(tc.files))
			}
			if len(tc.files) > 0 && string(res.Files[tc.files[0]]) != tc.contents {
				t.Errorf("%s = %q, want %q", tc.files[0], res.Files[tc.files[0]], tc.contents)
			}
		})
	}
}

func TestProcessRunnerMissingBinary(t *testing.T) {
	res, err := NewProcess(ProcessConfig{}).Run(context.Background(),
		Command{Argv: []string{filepath.Join(t.TempDir(), "no-such-client")}})
	if err == nil || res.ExitCode != -1 {
		t.Fatalf("got exit %d, error %v; want -1 and an error", res.ExitCode, err)
	}
	if _, err := NewProcess(ProcessConfig{}).Run(context.Background(), Command{}); err == nil {
		t.Fatal("empty argv: no error")
	}
}

// TestProcessRunnerCancel checks that a cancelled command is stopped with
// its children, well before it would end by itself.
func TestProcessRunnerCancel(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	done := make(chan Result, 1)
	go func() {
		res, _ := NewProcess(ProcessConfig{KillGrace: time.Second}).Run(ctx,
			Command{Argv: []string{"/bin/sh", "-c", "sleep 30 & sleep 30; wait"}})
		done <- res
	}()
	select {
	case res := <-done:
		if res.ExitCode == 0 {
			t.Fatalf("cancelled command reported success")
		}
		if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			t.Fatalf("the command ended before the deadline")
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the cancelled command (or its child) kept running")
	}
}

// TestProcessRunnerWebroot fetches a file from the webroot the runner
// serves while the command runs.
func TestProcessRunnerWebroot(t *testing.T) {
	if _, err := os.Stat("/usr/bin/curl"); err != nil {
		t.Skip("curl is not installed")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()

	dir := t.TempDir()
	token := filepath.Join(dir, "www", ".well-known", "acme-challenge", "tok")
	url := fmt.Sprintf("http://127.0.0.1:%d/.well-known/acme-challenge/tok", port)
	res, err := NewProcess(ProcessConfig{}).Run(context.Background(), Command{
		Dir: dir, Webroot: filepath.Join(dir, "www"), WebrootPort: port,
		Files: []File{{Path: token, Data: []byte("key-authz")}},
		Argv:  []string{"/usr/bin/curl", "-fsS", url},
	})
	if err != nil || res.ExitCode != 0 || strings.TrimSpace(string(res.Output)) != "key-authz" {
		t.Fatalf("curl got exit %d %q (%v), want key-authz", res.ExitCode, res.Output, err)
	}
}

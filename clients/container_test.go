package clients

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"acmeconform/images"
)

// fakeContainer keeps files in a map and records the commands it runs.
type fakeContainer struct {
	files map[string][]byte
	dirs  []string
	execs []images.ExecRequest
	// exec answers a command; nil exits 0 with no output.
	exec func(req images.ExecRequest, files map[string][]byte) images.ExecResult
}

func (f *fakeContainer) Exec(_ context.Context, req images.ExecRequest) (images.ExecResult, error) {
	f.execs = append(f.execs, req)
	if f.exec == nil {
		return images.ExecResult{}, nil
	}
	return f.exec(req, f.files), nil
}

func (f *fakeContainer) CopyIn(_ context.Context, p string, data []byte, _ int64) error {
	f.files[p] = append([]byte(nil), data...)
	return nil
}

func (f *fakeContainer) CopyOut(_ context.Context, p string) ([]byte, error) {
	b, ok := f.files[p]
	if !ok {
		return nil, errors.New("no such file")
	}
	return b, nil
}

func (f *fakeContainer) CopyTreeOut(_ context.Context, dir string) (map[string][]byte, error) {
	out := map[string][]byte{}
	for p, b := range f.files {
		if strings.HasPrefix(p, dir+"/") {
			out[p] = b
		}
	}
	return out, nil
}

func (f *fakeContainer) Mkdir(_ context.Context, dir string, _ int64) error {
	f.dirs = append(f.dirs, dir)
	return nil
}

func TestContainerRunnerRun(t *testing.T) {
	const bundle = "/etc/ssl/certs/ca-certificates.crt"
	fc := &fakeContainer{files: map[string][]byte{bundle: []byte("system roots")}}
	var seen string // the bundle as the client saw it
	fc.exec = func(req images.ExecRequest, files map[string][]byte) images.ExecResult {
		switch req.Cmd[0] {
		case "/bin/sh":
			return images.ExecResult{Output: []byte("42\n")}
		case "readlink":
			return images.ExecResult{Output: []byte("/s/archive/cert1.pem\n")}
		}
		seen = string(files[bundle])
		files["/s/out/cert.pem"] = []byte("chain")
		files["/s/out/a.json"] = []byte("{}")
		files["/s/out/deep/b.json"] = []byte("no")
		files["/s/acc/host/dir/1/regr.json"] = []byte("{}")
		files["/s/live/cert.pem"] = nil // a symbolic link, as the engine copies it
		files["/s/archive/cert1.pem"] = []byte("linked")
		return images.ExecResult{ExitCode: 3, Output: []byte("done")}
	}
	before := 0
	r := NewContainer(ContainerConfig{Container: fc, Shell: true,
		Share:     []File{{Path: "/host/ca.pem", Data: []byte("ca")}},
		BeforeRun: func(context.Context) error { before++; return nil }})
	res, err := r.Run(context.Background(), Command{
		Argv: []string{"/usr/bin/client", "issue"}, Env: []string{"A=b=c"}, Dir: "/s",
		Dirs: []string{"/s/conf"}, Files: []File{{Path: "/s/hook.sh", Data: []byte("#!")}},
		Collect: []string{"/s/out/cert.pem", "/s/out/*.json", "/s/missing",
			"/s/acc/*/dir/*/regr.json", "/s/live/cert.pem"},
		SystemTrust: "/host/ca.pem", Webroot: "/s/www", WebrootPort: 5002,
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if res.ExitCode != 3 || string(res.Output) != "done" {
		t.Errorf("result exit %d output %q, want 3 and done", res.ExitCode, res.Output)
	}
	if got := slices.Sorted(maps.Keys(res.Files)); !slices.Equal(got,
		[]string{"/s/acc/host/dir/1/regr.json", "/s/live/cert.pem", "/s/out/a.json",
			"/s/out/cert.pem"}) {
		t.Errorf("collected %v", got)
	}
	if string(res.Files["/s/live/cert.pem"]) != "linked" {
		t.Errorf("link collected as %q", res.Files["/s/live/cert.pem"])
	}
	if seen != "ca" || string(fc.files[bundle]) != "system roots" {
		t.Errorf("client saw bundle %q, left %q", seen, fc.files[bundle])
	}
	if string(fc.files["/host/ca.pem"]) != "ca" || fc.files["/s/hook.sh"] == nil {
		t.Errorf("files not copied in: %v", slices.Sorted(maps.Keys(fc.files)))
	}
	if before != 1 || !slices.Contains(fc.dirs, "/s/conf") || !slices.Contains(fc.dirs, "/s/www") {
		t.Errorf("BeforeRun called %d times, dirs %v", before, fc.dirs)
	}
	client := fc.execs[1]
	if client.Dir != "/s" || client.Env["A"] != "b=c" || client.Env["HOME"] != "/s" {
		t.Errorf("client exec %+v", client)
	}
	if !strings.Contains(strings.Join(fc.execs[0].Cmd, " "), "httpd -f -p 0.0.0.0:5002") ||
		!strings.Contains(strings.Join(fc.execs[len(fc.execs)-1].Cmd, " "), "kill 42") {
		t.Errorf("webroot server not started and stopped: %v", fc.execs)
	}
}

func TestContainerRunnerRefuses(t *testing.T) {
	tests := []struct {
		name  string
		shell bool
		cmd   Command
	}{
		{name: "empty argv", shell: true, cmd: Command{}},
		{name: "webroot without shell", cmd: Command{Argv: []string{"x"}, Webroot: "/w",
			WebrootPort: 80}},
		{name: "webroot without port", shell: true, cmd: Command{Argv: []string{"x"},
			Webroot: "/w"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fc := &fakeContainer{files: map[string][]byte{}}
			r := NewContainer(ContainerConfig{Container: fc, Shell: tc.shell})
			if _, err := r.Run(context.Background(), tc.cmd); err == nil {
				t.Errorf("Run succeeded, want an error")
			}
			if len(fc.execs) != 0 {
				t.Errorf("ran %v", fc.execs)
			}
		})
	}
}

func TestRunnerHints(t *testing.T) {
	c := NewContainer(ContainerConfig{})
	p := NewProcess(ProcessConfig{})
	if HasShell(c) || !HasShell(p) || ListenHost(c) != "0.0.0.0" ||
		ListenHost(p) != "127.0.0.1" || c.Mode() != ModeContainer {
		t.Errorf("hints: container shell %v host %s; process shell %v host %s",
			HasShell(c), ListenHost(c), HasShell(p), ListenHost(p))
	}
}

// A container on the host's network stack binds its challenge servers to
// loopback: the webroot server and what ListenHost tells the drivers.
func TestContainerRunnerListenHost(t *testing.T) {
	fc := &fakeContainer{files: map[string][]byte{}}
	fc.exec = func(req images.ExecRequest, _ map[string][]byte) images.ExecResult {
		if req.Cmd[0] == "/bin/sh" {
			return images.ExecResult{Output: []byte("7\n")}
		}
		return images.ExecResult{}
	}
	r := NewContainer(ContainerConfig{Container: fc, Shell: true, ListenHost: "127.0.0.1"})
	if _, err := r.Run(context.Background(), Command{Argv: []string{"client"}, Dir: "/s",
		Webroot: "/s/www", WebrootPort: 5002}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(fc.execs[0].Cmd, " "), "httpd -f -p 127.0.0.1:5002") {
		t.Errorf("webroot server not bound to loopback: %v", fc.execs[0].Cmd)
	}
	if ListenHost(r) != "127.0.0.1" {
		t.Errorf("ListenHost = %q, want 127.0.0.1", ListenHost(r))
	}
}

package images

import (
	"strings"
	"testing"
	"time"
)

// TestClientVersions builds every image (or finds it built) and runs each
// client's version command in a container of it.
func TestClientVersions(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short mode: builds images")
	}
	m := testManager(t)
	start := time.Now()
	all, err := m.BuildAll(t.Context())
	if err != nil {
		t.Fatalf("BuildAll: %v", err)
	}
	t.Logf("BuildAll took %s", time.Since(start).Round(time.Millisecond))
	byName := make(map[string]Image)
	for _, img := range all {
		byName[img.Name] = img
		t.Logf("%s: %.1f MB, versions %v", img.Ref, float64(img.Size)/1e6, img.Versions)
	}
	nw := newNetwork(t, testRunID(t))
	tests := []struct {
		name   string
		client string
		cmd    []string
		want   string
		// exit is the status the version command ends with.
		exit int
	}{
		{name: "lego", client: "lego", cmd: []string{"lego", "--version"}, want: "4.35.2"},
		{name: "caddy", client: "caddy", cmd: []string{"caddy", "version"}, want: "v2.11.9"},
		{name: "caddy-rfc2136", client: "caddy", cmd: []string{"caddy", "list-modules"},
			want: "dns.providers.rfc2136"},
		{name: "certbot", client: "certbot", cmd: []string{"certbot", "--version"},
			want: "certbot 2.1.0"},
		{name: "dehydrated", client: "dehydrated", cmd: []string{"dehydrated", "--version"},
			want: "0.7.0"},
		{name: "uacme", client: "uacme", cmd: []string{"uacme", "--version"},
			want: "uacme: version 1.7.4", exit: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			name, err := ImageFor(tc.client)
			if err != nil {
				t.Fatal(err)
			}
			img := byName[name]
			if img.Versions[tc.client] == "" {
				t.Errorf("image %s has no version label for %s: %v", img.Ref, tc.client, img.Versions)
			}
			cl := runClient(t, ClientSpec{RunID: nw.RunID, Image: img.Ref, Network: nw, Alias: tc.name})
			res, err := cl.Exec(t.Context(), ExecRequest{Cmd: tc.cmd})
			if err != nil {
				t.Fatal(err)
			}
			if res.ExitCode != tc.exit || !strings.Contains(string(res.Output), tc.want) {
				t.Errorf("%v exited %d printing %q, want %d and %q",
					tc.cmd, res.ExitCode, res.Output, tc.exit, tc.want)
			}
		})
	}
}

package uacme_test

import (
	"context"
	"flag"
	"testing"

	"acmeconform/clients"
	"acmeconform/clients/clientstest"
	"acmeconform/clients/uacme"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func newDriver(rec *clientstest.Recorder) clients.Driver {
	return uacme.New(clients.Config{Binary: "/usr/bin/uacme", Runner: rec})
}

// TestCommands checks the command lines, files and environment the driver
// builds for each operation against golden files.
func TestCommands(t *testing.T) {
	for _, c := range clientstest.Cases() {
		t.Run(c.Name, func(t *testing.T) {
			rec := &clientstest.Recorder{}
			got := clientstest.Render(context.Background(), c, newDriver(rec), rec)
			clientstest.Golden(t, c.Name, got, *update)
		})
	}
}

// versionOutput is what the client prints for --version.
const versionOutput = "uacme: version 1.7.4\nCopyright (C) 2019-2023 Nicola Di Lieto\n"

func TestVersion(t *testing.T) {
	tests := []struct {
		name    string
		output  string
		exit    int
		want    string
		wantErr bool
	}{
		{name: "release", output: versionOutput, want: "1.7.4"},
		{name: "exit 2 after the version", output: "uacme: version 1.7.4\n", exit: 2,
			want: "1.7.4"},
		{name: "other program", output: "something else 1.0\n", wantErr: true},
		{name: "empty", output: "", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := &clientstest.Recorder{Result: func(clients.Command) clients.Result {
				return clients.Result{ExitCode: tc.exit, Output: []byte(tc.output)}
			}}
			got, err := newDriver(rec).Version(context.Background())
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("Version() = %q, %v; want %q, error %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

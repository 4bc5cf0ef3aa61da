package certbot_test

import (
	"context"
	"flag"
	"testing"

	"acmeconform/clients"
	"acmeconform/clients/certbot"
	"acmeconform/clients/clientstest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func newDriver(rec *clientstest.Recorder) clients.Driver {
	return certbot.New(clients.Config{Binary: "/usr/bin/certbot", Runner: rec})
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
const versionOutput = "certbot 2.1.0\n"

func TestVersion(t *testing.T) {
	tests := []struct {
		name    string
		output  string
		exit    int
		want    string
		wantErr bool
	}{
		{name: "release", output: versionOutput, want: "2.1.0"},
		{name: "failing", output: versionOutput, exit: 1,
			wantErr: true},
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

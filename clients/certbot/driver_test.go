package certbot_test

import (
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
	clientstest.CheckCommands(t, newDriver, *update)
}

// versionOutput is what the client prints for --version.
const versionOutput = "certbot 2.1.0\n"

func TestVersion(t *testing.T) {
	clientstest.CheckVersion(t, newDriver, []clientstest.VersionCase{
		{Name: "release", Output: versionOutput, Want: "2.1.0"},
		{Name: "failing", Output: versionOutput, Exit: 1, WantErr: true},
	})
}

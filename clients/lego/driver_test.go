package lego_test

import (
	"flag"
	"testing"

	"acmeconform/clients"
	"acmeconform/clients/clientstest"
	"acmeconform/clients/lego"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func newDriver(rec *clientstest.Recorder) clients.Driver {
	return lego.New(clients.Config{Binary: "/usr/bin/lego", Runner: rec})
}

// TestCommands checks the command lines, files and environment the driver
// builds for each operation against golden files.
func TestCommands(t *testing.T) {
	clientstest.CheckCommands(t, newDriver, *update)
}

// versionOutput is what the client prints for --version.
const versionOutput = "lego version v4.35.2+dev-release linux/amd64\n"

func TestVersion(t *testing.T) {
	clientstest.CheckVersion(t, newDriver, []clientstest.VersionCase{
		{Name: "release", Output: versionOutput, Want: "v4.35.2+dev-release"},
		{Name: "failing", Output: versionOutput, Exit: 1, WantErr: true},
	})
}

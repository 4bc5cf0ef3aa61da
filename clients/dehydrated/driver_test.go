package dehydrated_test

import (
	"flag"
	"testing"

	"acmeconform/clients"
	"acmeconform/clients/clientstest"
	"acmeconform/clients/dehydrated"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func newDriver(rec *clientstest.Recorder) clients.Driver {
	return dehydrated.New(clients.Config{Binary: "/usr/bin/dehydrated", Runner: rec})
}

// TestCommands checks the command lines, files and environment the driver
// builds for each operation against golden files.
func TestCommands(t *testing.T) {
	clientstest.CheckCommands(t, newDriver, *update)
}

// versionOutput is what the client prints for --version.
const versionOutput = "# INFO: Using main config file /etc/dehydrated/config\n" +
	"Dehydrated by Lukas Schauer\n\nDehydrated version: 0.7.0\nGIT-Revision: unknown\n"

func TestVersion(t *testing.T) {
	clientstest.CheckVersion(t, newDriver, []clientstest.VersionCase{
		{Name: "release", Output: versionOutput, Want: "0.7.0"},
		{Name: "failing", Output: versionOutput, Exit: 1, WantErr: true},
	})
}

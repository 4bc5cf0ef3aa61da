package uacme_test

import (
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
	clientstest.CheckCommands(t, newDriver, *update)
}

// versionOutput is what the client prints for --version.
const versionOutput = "uacme: version 1.7.4\nCopyright (C) 2019-2023 Nicola Di Lieto\n"

func TestVersion(t *testing.T) {
	clientstest.CheckVersion(t, newDriver, []clientstest.VersionCase{
		{Name: "release", Output: versionOutput, Want: "1.7.4"},
		{Name: "exit 2 after the version", Output: "uacme: version 1.7.4\n", Exit: 2, Want: "1.7.4"},
	})
}

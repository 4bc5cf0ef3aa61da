package clientstest

import (
	"context"
	"testing"

	"acmeconform/clients"
)

// NewDriver builds the driver under test on a Recorder.
type NewDriver func(*Recorder) clients.Driver

// CheckCommands renders every shared Case with the driver and compares the
// command lines, files and environment with the driver's golden files.
func CheckCommands(t *testing.T, newDriver NewDriver, update bool) {
	t.Helper()
	for _, c := range Cases() {
		t.Run(c.Name, func(t *testing.T) {
			rec := &Recorder{}
			got := Render(context.Background(), c, newDriver(rec), rec)
			Golden(t, c.Name, got, update)
		})
	}
}

// VersionCase is one answer of the client to its version command and what
// the driver's Version must make of it.
type VersionCase struct {
	Name    string
	Output  string
	Exit    int
	Want    string
	WantErr bool
}

// CheckVersion runs the driver's Version on each case, and on the answers
// every driver must refuse: another program's version line and no output.
func CheckVersion(t *testing.T, newDriver NewDriver, cases []VersionCase) {
	t.Helper()
	cases = append(cases,
		VersionCase{Name: "other program", Output: "something else 1.0\n", WantErr: true},
		VersionCase{Name: "empty", Output: "", WantErr: true})
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			rec := &Recorder{Result: func(clients.Command) clients.Result {
				return clients.Result{ExitCode: tc.Exit, Output: []byte(tc.Output)}
			}}
			got, err := newDriver(rec).Version(context.Background())
			if (err != nil) != tc.WantErr || got != tc.Want {
				t.Errorf("Version() = %q, %v; want %q, error %v", got, err, tc.Want, tc.WantErr)
			}
		})
	}
}

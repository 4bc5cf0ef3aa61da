package flow_test

import (
	"context"
	"fmt"

	"acmeconform/suites"
	"acmeconform/suites/flow"
	"acmeconform/suites/probe"
)

// A spec that needs a certificate gets one in three calls; every exchange
// stays in the probe's record for evidence.
func ExampleFlow_Issue() {
	t := &suites.Target{DirectoryURL: "https://127.0.0.1:14000/dir", Domain: "test.example"}
	p, err := probe.New(probe.Config{DirectoryURL: t.DirectoryURL, HTTPClient: t.HTTPClient})
	if err != nil {
		panic(err)
	}
	f, err := flow.New(flow.Config{Target: t, Probe: p})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	acct, err := f.NewAccount(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	iss, err := f.Issue(ctx, acct, t.NewName("www"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(iss.Chain[0].DNSNames)
}

package probe_test

import (
	"context"
	"fmt"

	jose "github.com/go-jose/go-jose/v4"

	"acmeconform/suites/probe"
)

// A spec sends a newOrder whose url header names another resource and
// expects the server to refuse it (RFC 8555 §6.4).
func ExampleClient_Post() {
	c, err := probe.New(probe.Config{DirectoryURL: "https://127.0.0.1:14000/dir"})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	dir, err := c.Directory(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp, err := c.Post(ctx, probe.Request{
		URL:     dir.NewOrder,
		Payload: []byte(`{"identifiers":[{"type":"dns","value":"a.example"}]}`),
		Key:     probe.MustKey(jose.ES256),
		KID:     "https://127.0.0.1:14000/my-account/1",
		Variant: probe.VariantURLMismatch,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.Status, resp.ProblemType())
	fmt.Println(c.Transcript(2)) // evidence, secrets redacted
}

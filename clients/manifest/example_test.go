package manifest_test

import (
	"fmt"

	"acmeconform/clients/manifest"
)

// A manifest with mistakes is refused with the file, the line and the
// field of each.
func ExampleParse() {
	_, err := manifest.Parse([]byte(`name: my-client
version: "1.0"
image: my-client:1.0
outputs: {cert: "{work_dir}/cert.pem"}
scenarios:
  http-01: [my-client, --server, "{directroy}", issue]
  revoke: []
`), "c.yaml")
	fmt.Println(err)
	// Output:
	// c.yaml:6: scenarios.http-01[2]: unknown placeholder {directroy}; did you mean {directory}?
	// c.yaml:7: scenarios.revoke: runs obtain then revoke: give a mapping with a command for each
}

package manifest

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"acmeconform/clients"
)

// valid is a small manifest every error case below spoils in one place.
const valid = `name: my-client
version: "1.0"
image: my-client:1.0
outputs:
  cert: "{work_dir}/cert.pem"
scenarios:
  http-01: [my-client, issue, "{domains:-d}", --port, "{http_port}"]
  renew:
    obtain: [my-client, issue, "{domains}"]
    renew: [my-client, renew, "{domain}"]
`

func TestParseValid(t *testing.T) {
	m, err := Parse([]byte(valid), "m.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "my-client" || m.Version != "1.0" || m.Image != "my-client:1.0" {
		t.Errorf("identity %q %q %q", m.Name, m.Version, m.Image)
	}
	if _, ok := m.Command("renew", "renew"); !ok {
		t.Error("no renew command for scenario renew")
	}
	if _, ok := m.Command("dns-01", "obtain"); ok {
		t.Error("a command for dns-01, which the manifest does not give")
	}
	if m.EAB {
		t.Error("EAB capability without an EAB placeholder")
	}
	if !m.MultiName {
		t.Error("no several names in one certificate, which a manifest has unless it says not")
	}
	one, err := Parse([]byte(valid+"capabilities:\n  multi_name: false\n"), "m.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if one.MultiName || New(one, clients.Config{}).Capabilities().MultiName {
		t.Error("capabilities.multi_name false left several names in one certificate")
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, old, new string
		want           string // file:line: field: message fragment
	}{
		{"unknown field", "image: my-client:1.0\n", "image: my-client:1.0\nimgae: x\n",
			"m.yaml:4: unknown field imgae"},
		{"capability not a boolean", "image: my-client:1.0\n",
			"image: my-client:1.0\ncapabilities:\n  multi_name: sometimes\n",
			"m.yaml:5: cannot unmarshal !!str `sometimes` into bool"},
		{"unknown scenario", "  http-01:", "  http01:",
			"m.yaml:7: scenarios.http01: unknown scenario"},
		{"unknown placeholder", `"{http_port}"`, `"{port}"`,
			"m.yaml:7: scenarios.http-01[4]: unknown placeholder {port}; known: ca_bundle,"},
		{"misspelt placeholder", `"{http_port}"`, `"{htp_port}"`,
			"unknown placeholder {htp_port}; did you mean {http_port}?"},
		{"missing image", "image: my-client:1.0\n", "", "m.yaml: image: required"},
		{"image and build", "image: my-client:1.0\n", "image: a\nbuild: lego\n",
			"m.yaml:4: build: give image or build, not both"},
		{"unknown build", "image: my-client:1.0\n", "build: alpine\n",
			`m.yaml:3: build: "alpine": want one of`},
		{"empty command", "[my-client, issue, \"{domains:-d}\", --port, \"{http_port}\"]", "[]",
			"m.yaml:7: scenarios.http-01: empty command"},
		{"missing operation", "    renew: [my-client, renew, \"{domain}\"]\n", "",
			"m.yaml:8: scenarios.renew: scenario renew runs obtain then renew: no command for renew"},
		{"foreign operation", "    renew: [my", "    revoke: [my",
			"m.yaml:10: scenarios.renew.revoke: scenario renew runs no revoke"},
		{"domains inside text", `"{domains:-d}"`, `"-d={domains}"`,
			"m.yaml:7: scenarios.http-01[2]: {domains} must be a whole argument"},
		{"argument to a plain placeholder", `"{http_port}"`, `"{http_port:x}"`,
			"m.yaml:7: scenarios.http-01[4]: {http_port} takes no argument"},
		{"built-in name", "name: my-client", "name: lego", `m.yaml:1: name: "lego" is a client`},
		{"bad name", "name: my-client", "name: My/Client", `m.yaml:1: name: "My/Client"`},
		{"no version", "version: \"1.0\"\n", "", "m.yaml: version: required"},
		{"no cert output", "outputs:\n  cert: \"{work_dir}/cert.pem\"\n", "",
			"m.yaml: outputs.cert: required: scenario http-01 obtains"},
		{"relative output", `cert: "{work_dir}/cert.pem"`, `cert: cert.pem`,
			`m.yaml:5: outputs.cert: "cert.pem": want an absolute path`},
		{"unknown key type", "outputs:", "key_types: {rsa-1024: rsa1024}\noutputs:",
			"m.yaml:4: key_types.rsa-1024: unknown key type"},
		{"scalar command", "[my-client, issue, \"{domains:-d}\", --port, \"{http_port}\"]",
			"my-client issue", "m.yaml:7: scenarios.http-01: want a command"},
		{"syntax", "scenarios:\n", "scenarios: [\n", "m.yaml:5: did not find expected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := strings.Replace(valid, tt.old, tt.new, 1)
			if doc == valid {
				t.Fatalf("the case does not change the manifest")
			}
			_, err := Parse([]byte(doc), "m.yaml")
			if err == nil {
				t.Fatal("no error")
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T, want *Error: %v", err, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n%v\nwant it to contain:\n%s", err, tt.want)
			}
		})
	}
}

func TestLoadNamesTheFile(t *testing.T) {
	_, err := Load("testdata/missing.yaml")
	if err == nil || !strings.HasPrefix(err.Error(), "testdata/missing.yaml: read manifest") {
		t.Errorf("error %v, want it to name the file", err)
	}
}

// TestExamplesParse keeps the manifests the documentation shows valid.
func TestExamplesParse(t *testing.T) {
	for _, f := range []string{"../../docs/examples/lego-manifest.yaml",
		"../../docs/examples/acme-sh-manifest.yaml",
		"../../docs/examples/certbot-manifest.yaml"} {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("example %s: %v", f, err)
		}
		if _, err := Load(f); err != nil {
			t.Errorf("example %s: %v", f, err)
		}
	}
}

// TestParseErrorAtAnchor reports a mistake in a shared command once, at
// the anchor's line, however many scenarios use it.
func TestParseErrorAtAnchor(t *testing.T) {
	doc := `name: c
version: "1"
image: c:1
outputs: {cert: stdout}
anchors:
  http: &http
    - c
    - "{domian}"
scenarios:
  http-01: *http
  key-rsa: *http
  chain: [c, *http]
`
	_, err := Parse([]byte(doc), "c.yaml")
	if err == nil {
		t.Fatal("no error")
	}
	if got := strings.Count(err.Error(), "\n") + 1; got != 1 ||
		!strings.HasPrefix(err.Error(), "c.yaml:8: ") {
		t.Errorf("%d errors, want one at line 8:\n%v", got, err)
	}
}

// TestParseAliasBomb refuses aliases of aliases that stand for more
// arguments than any client takes, instead of expanding them.
func TestParseAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("name: c\nversion: \"1\"\nimage: c\noutputs: {cert: stdout}\n" +
		"anchors:\n  a0: &a0 [x, y]\n")
	for i := 1; i < 40; i++ {
		fmt.Fprintf(&b, "  a%d: &a%d [*a%d, *a%d]\n", i, i, i-1, i-1)
	}
	b.WriteString("scenarios:\n  http-01: [c, *a39]\n")
	_, err := Parse([]byte(b.String()), "bomb.yaml")
	want := "scenarios.http-01: the commands hold more than 10000 arguments"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
}

// TestParseAliasCycle refuses a list that holds an alias to itself.
func TestParseAliasCycle(t *testing.T) {
	doc := "name: c\nversion: \"1\"\nimage: c\noutputs: {cert: stdout}\n" +
		"anchors:\n  a: &a [x, [y, *a]]\nscenarios:\n  http-01: [c, *a]\n"
	_, err := Parse([]byte(doc), "cycle.yaml")
	if err == nil || !strings.Contains(err.Error(), "an alias to a list that holds it") {
		t.Errorf("error %v, want the cycle named", err)
	}
}

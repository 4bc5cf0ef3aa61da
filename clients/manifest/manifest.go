// Package manifest runs an ACME client the harness has no driver for,
// described by a manifest file: the Docker image that holds it, and one
// command line (argv, never a shell unless the manifest writes one) per
// client-suite scenario, with placeholders for what the scenario supplies
// (directory URL, names, EAB credentials, DNS server and TSIG key, CA
// trust root, work directory, key type) and where the client leaves the
// certificate. Scenarios without a command are skipped with the reason.
//
// A manifest is YAML; docs/byo-client.md describes every field. Parse
// checks everything it can before a run and reports each mistake with the
// file, the line and the field.
package manifest

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"

	"acmeconform/clients"
	"acmeconform/internal/yamldoc"
)

// Manifest is a checked manifest.
type Manifest struct {
	// File is where the manifest was read from, for messages.
	File string
	// Name is the client's name in labels and reports ("client:NAME").
	Name string
	// Version is the client's version as the manifest states it; empty
	// when VersionCommand finds it.
	Version string
	// VersionCommand prints the version; VersionPattern's first group (or
	// whole match) in its output is the version.
	VersionCommand []string
	VersionPattern *regexp.Regexp
	// Image is an image reference the Docker engine holds; Build names an
	// image acmeconform builds instead ("lego", "debian", "caddy").
	Image, Build string
	// Shell is true when the image has /bin/sh and busybox (webroot).
	Shell bool
	// Env are variables of every command; values may hold placeholders.
	Env map[string]string
	// TrustPath is where the CA's trust root is put in the container;
	// empty puts it at the harness's own path.
	TrustPath string
	// SystemTrust shows the trust root as the system bundle
	// (/etc/ssl/certs/ca-certificates.crt) while a command runs.
	SystemTrust bool
	// EAB says whether the client can bind accounts (RFC 8555 §7.3.4).
	EAB bool
	// MultiName says whether the client orders several names in one
	// certificate; true unless the manifest says otherwise.
	MultiName bool
	// PreferredChain says whether the client is told which chain to
	// prefer: a command or variable names {preferred_chain}.
	PreferredChain bool
	// KeyTypes maps the suite's key types to the values {key_type} takes.
	KeyTypes map[clients.KeyType]string
	// Outputs say where the client leaves what the suite reads back.
	Outputs Outputs
	// Scenarios holds the commands of each scenario, by operation.
	Scenarios map[string]map[clients.Op]Argv
}

// Outputs say where a client leaves its results; paths may hold
// placeholders and glob characters; "stdout" means the command's output.
type Outputs struct {
	Cert, Chain, Key, Account string
	// AccountPattern finds the account URL in Account; its first group
	// (or whole match) is the URL. Nil takes the first URL on the
	// directory's host that is not the directory itself.
	AccountPattern *regexp.Regexp
}

// Argv is a command line template: each item is one argument, or a group
// of arguments kept only when all its own placeholders have values (the
// groups within it are kept or left out on their own).
type Argv []Arg

// Arg is one item of an Argv: a single template, or a group when Group
// is not nil.
type Arg struct {
	Text  string
	Group Argv
}

// texts calls f with every template of a, groups included.
func (a Argv) texts(f func(string)) {
	for _, x := range a {
		if x.Group != nil {
			x.Group.texts(f)
		} else {
			f(x.Text)
		}
	}
}

// Stdout, as an output path, reads the command's output.
const Stdout = "stdout"

// Error is a mistake in a manifest: the file, the line (0 when unknown),
// the field's dotted path and what is wrong.
type Error = yamldoc.Error

// Load reads and checks the manifest at path.
func Load(path string) (*Manifest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Msg: fmt.Sprintf("read manifest: %v",
			errors.Unwrap(err))}
	}
	return Parse(data, path)
}

// Command returns the command of op in scenario, if the manifest has one.
func (m *Manifest) Command(scenario string, op clients.Op) (Argv, bool) {
	a, ok := m.commands(scenario)[op]
	return a, ok
}

// commands returns the commands of scenario: its own, or for a
// robustness scenario without its own those of "robust".
func (m *Manifest) commands(scenario string) map[clients.Op]Argv {
	if ops, ok := m.Scenarios[scenario]; ok {
		return ops
	}
	if strings.HasPrefix(scenario, clients.ScenarioRobust+"-") {
		return m.Scenarios[clients.ScenarioRobust]
	}
	return nil
}

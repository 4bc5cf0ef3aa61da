package manifest

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"acmeconform/clients"
	"acmeconform/images"
	"acmeconform/internal/yamldoc"
)

// doc is the file form of a Manifest.
type doc struct {
	Name           string               `yaml:"name"`
	Version        string               `yaml:"version"`
	VersionCommand []string             `yaml:"version_command"`
	VersionPattern string               `yaml:"version_pattern"`
	Image          string               `yaml:"image"`
	Build          string               `yaml:"build"`
	Shell          bool                 `yaml:"shell"`
	Env            map[string]string    `yaml:"env"`
	Trust          trustDoc             `yaml:"trust"`
	Capabilities   capsDoc              `yaml:"capabilities"`
	KeyTypes       map[string]string    `yaml:"key_types"`
	Outputs        outputsDoc           `yaml:"outputs"`
	Scenarios      map[string]yaml.Node `yaml:"scenarios"`
	// Anchors holds YAML anchors for the commands to share; it is not
	// read otherwise.
	Anchors yaml.Node `yaml:"anchors"`
}

type trustDoc struct {
	Path   string `yaml:"path"`
	System bool   `yaml:"system"`
}

type capsDoc struct {
	EAB       *bool `yaml:"eab"`
	MultiName *bool `yaml:"multi_name"`
}

type outputsDoc struct {
	Cert           string `yaml:"cert"`
	Chain          string `yaml:"chain"`
	Key            string `yaml:"key"`
	Account        string `yaml:"account"`
	AccountPattern string `yaml:"account_pattern"`
}

// nameRE is what a client name may look like: it goes into Ginkgo labels
// and file names.
var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,39}$`)

// envNameRE is what an environment variable's name may look like.
var envNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// lineRE finds the line the YAML library names in its messages.
var lineRE = regexp.MustCompile(`^line (\d+): (.*)$`)

// Parse reads a manifest and checks every field; source names it in
// errors. Unknown fields are errors, so a misspelt key is not ignored.
func Parse(data []byte, source string) (*Manifest, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(source, err)
	}
	var d doc
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&d); err != nil {
		return nil, yamlError(source, err)
	}
	c := &checker{file: source, lines: map[string]int{}}
	yamldoc.Lines(&root, "", c.lines)
	m := c.manifest(&d)
	if len(c.errs) > 0 {
		return nil, errors.Join(c.sorted()...)
	}
	return m, nil
}

// yamlError turns the YAML library's errors into Errors, one per line
// it names.
func yamlError(source string, err error) error {
	var errs []error
	for _, msg := range strings.Split(yamldoc.Msg(err), "; ") {
		e := &Error{File: source, Msg: msg}
		if m := lineRE.FindStringSubmatch(msg); m != nil {
			e.Line, _ = strconv.Atoi(m[1])
			e.Msg = m[2]
		}
		errs = append(errs, e)
	}
	return errors.Join(errs...)
}

// checker collects field errors with their lines.
type checker struct {
	file  string
	lines map[string]int
	errs  []error
	args  int                 // arguments read so far, against maxArgs
	open  map[*yaml.Node]bool // the lists being read, to find alias cycles
}

// sorted returns the errors by line, each mistake once: a mistake at an
// anchor shows again under every alias of it.
func (c *checker) sorted() []error {
	slices.SortStableFunc(c.errs, func(a, b error) int {
		return a.(*Error).Line - b.(*Error).Line
	})
	seen := map[string]bool{}
	var out []error
	for _, err := range c.errs {
		e := err.(*Error)
		key := strconv.Itoa(e.Line) + " " + e.Msg
		if e.Line > 0 && seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, e)
	}
	return out
}

func (c *checker) fail(field, format string, args ...any) {
	c.errs = append(c.errs, &Error{File: c.file, Line: c.lines[field], Field: field,
		Msg: fmt.Sprintf(format, args...)})
}

func (c *checker) manifest(d *doc) *Manifest {
	m := &Manifest{
		File: c.file, Name: d.Name, Version: d.Version, Image: d.Image, Build: d.Build,
		Shell: d.Shell, Env: d.Env, TrustPath: d.Trust.Path, SystemTrust: d.Trust.System,
	}
	c.identity(d, m)
	c.image(d)
	c.trust(d)
	for _, k := range slices.Sorted(maps.Keys(d.Env)) {
		if !envNameRE.MatchString(k) {
			c.fail("env."+k, "not a variable name")
		}
		c.template("env."+k, d.Env[k], false)
	}
	m.KeyTypes = c.keyTypes(d.KeyTypes)
	m.Scenarios = c.scenarios(d.Scenarios)
	m.Outputs = c.outputs(d.Outputs, m.Scenarios)
	m.EAB = uses(m, "eab_kid", "eab_hmac")
	m.PreferredChain = uses(m, "preferred_chain")
	if d.Capabilities.EAB != nil {
		m.EAB = *d.Capabilities.EAB
	}
	m.MultiName = d.Capabilities.MultiName == nil || *d.Capabilities.MultiName
	return m
}

// identity checks the name and how the version is found.
func (c *checker) identity(d *doc, m *Manifest) {
	switch {
	case d.Name == "":
		c.fail("name", "required")
	case !nameRE.MatchString(d.Name):
		c.fail("name", "%q: want lower-case letters, digits, '.', '_' or '-', at most 40",
			d.Name)
	case slices.Contains(clients.Names(), d.Name):
		c.fail("name", "%q is a client with a driver of its own; pick another name", d.Name)
	}
	switch {
	case d.Version == "" && len(d.VersionCommand) == 0:
		c.fail("version", "required: give version or version_command")
	case d.Version != "" && len(d.VersionCommand) > 0:
		c.fail("version_command", "give version or version_command, not both")
	}
	for i, a := range d.VersionCommand {
		if a == "" {
			c.fail(fmt.Sprintf("version_command[%d]", i), "empty argument")
		}
	}
	m.VersionCommand = d.VersionCommand
	pat := d.VersionPattern
	if pat == "" {
		pat = `v?[0-9]+(?:\.[0-9]+)+[^\s,;)]*`
	}
	m.VersionPattern = c.regexp("version_pattern", pat)
}

// image checks that the manifest names exactly one image.
func (c *checker) image(d *doc) {
	switch {
	case d.Image == "" && d.Build == "":
		c.fail("image", "required: give image (a reference the Docker engine holds) "+
			"or build (one of %s)", strings.Join(images.Names(), ", "))
	case d.Image != "" && d.Build != "":
		c.fail("build", "give image or build, not both")
	case d.Build != "" && !slices.Contains(images.Names(), d.Build):
		c.fail("build", "%q: want one of %s", d.Build, strings.Join(images.Names(), ", "))
	case strings.ContainsAny(d.Image, " \t\n"):
		c.fail("image", "%q is not an image reference", d.Image)
	}
}

func (c *checker) trust(d *doc) {
	if p := d.Trust.Path; p != "" && !path.IsAbs(p) {
		c.fail("trust.path", "%q: want an absolute path in the container", p)
	}
}

// keyTypes checks the map from the suite's key types to the client's.
func (c *checker) keyTypes(in map[string]string) map[clients.KeyType]string {
	known := []clients.KeyType{clients.KeyECDSAP256, clients.KeyECDSAP384,
		clients.KeyRSA2048, clients.KeyRSA3072}
	out := map[clients.KeyType]string{}
	for _, k := range slices.Sorted(maps.Keys(in)) {
		if !slices.Contains(known, clients.KeyType(k)) {
			c.fail("key_types."+k, "unknown key type; want one of %v", known)
			continue
		}
		if in[k] == "" {
			c.fail("key_types."+k, "empty value")
		}
		out[clients.KeyType(k)] = in[k]
	}
	return out
}

func (c *checker) regexp(field, pat string) *regexp.Regexp {
	re, err := regexp.Compile(pat)
	if err != nil {
		c.fail(field, "not a regular expression: %v", err)
		return nil
	}
	if re.NumSubexp() > 1 {
		c.fail(field, "at most one group (the value)")
	}
	return re
}

// uses reports whether any command or variable names one of the
// placeholders: a client never given EAB credentials cannot bind.
func uses(m *Manifest, names ...string) bool {
	var all []string
	for _, ops := range m.Scenarios {
		for _, argv := range ops {
			argv.texts(func(t string) { all = append(all, t) })
		}
	}
	all = slices.AppendSeq(all, maps.Values(m.Env))
	for _, t := range all {
		for _, p := range placeholders(t) {
			if slices.Contains(names, p.name) {
				return true
			}
		}
	}
	return false
}

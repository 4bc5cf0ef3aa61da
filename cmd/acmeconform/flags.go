package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// envPrefix starts every environment variable derived from a flag name:
// --label-filter is ACMECONFORM_LABEL_FILTER.
const envPrefix = "ACMECONFORM_"

// usageError is a mistake on the command line or in a configuration file;
// main turns it into exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// envName returns the environment variable for a flag name.
func envName(flagName string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// parseFlags parses args, then fills every flag not given on the command line
// from the environment, then from the YAML file named by --config. A config
// file holds the same names as the flags: `label-filter: "level:MUST"`.
func parseFlags(fs *flag.FlagSet, args []string, getenv func(string) string) error {
	if err := parseFlagsArgs(fs, args, getenv); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}

// parseFlagsArgs is parseFlags for commands that take positional arguments
// after the flags (fs.Args()).
func parseFlagsArgs(fs *flag.FlagSet, args []string, getenv func(string) string) error {
	var configFile string
	if fs.Lookup("config") == nil {
		fs.StringVar(&configFile, "config", "", "YAML file with the same keys as the flags")
	}
	// Only --help prints the usage (to standard output); a parse error is
	// returned for the caller to print once.
	usage := fs.Usage
	fs.Usage = func() {}
	err := fs.Parse(args)
	fs.Usage = usage
	if errors.Is(err, flag.ErrHelp) {
		usage()
		return err
	}
	if err != nil {
		return &usageError{msg: friendlyParseError(fs, err)}
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	fs.VisitAll(func(f *flag.Flag) {
		if v := getenv(envName(f.Name)); err == nil && !set[f.Name] && v != "" {
			if e := setFlag(f, v); e != nil {
				err = usagef("%s=%q: %v", envName(f.Name), v, e)
			}
			set[f.Name] = true
		}
	})
	if err != nil {
		return err
	}
	if configFile == "" {
		configFile = getenv(envName("config"))
	}
	if configFile == "" {
		return nil
	}
	return applyConfigFile(fs, configFile, set)
}

// applyConfigFile sets flags not yet set from a YAML mapping. Errors name the
// file, the line and the key.
func applyConfigFile(fs *flag.FlagSet, path string, set map[string]bool) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return usagef("config file: %v", err)
	}
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(b)).Decode(&doc); err != nil {
		return usagef("%s: %v", path, err)
	}
	if len(doc.Content) == 0 {
		return nil
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return usagef("%s:%d: want a mapping of flag names to values", path, m.Line)
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		f := fs.Lookup(k.Value)
		if f == nil || k.Value == "config" {
			return usagef("%s:%d: unknown key %q", path, k.Line, k.Value)
		}
		if set[k.Value] {
			continue
		}
		val, err := scalarValue(v)
		if err != nil {
			return usagef("%s:%d: key %q: %v", path, v.Line, k.Value, err)
		}
		if err := setFlag(f, val); err != nil {
			return usagef("%s:%d: key %q: %v", path, v.Line, k.Value, err)
		}
	}
	return nil
}

// scalarValue turns a scalar, or a sequence of scalars (joined by commas),
// into the text a flag parses.
func scalarValue(n *yaml.Node) (string, error) {
	switch n.Kind {
	case yaml.ScalarNode:
		return n.Value, nil
	case yaml.SequenceNode:
		var parts []string
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				return "", errors.New("want a list of plain values")
			}
			parts = append(parts, c.Value)
		}
		return strings.Join(parts, ","), nil
	}
	return "", errors.New("want a plain value or a list")
}

// setFlag sets f from text, saying what kind of value it wanted when the
// text does not parse.
func setFlag(f *flag.Flag, text string) error {
	err := f.Value.Set(text)
	if err == nil {
		return nil
	}
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return err
	}
	switch g.Get().(type) {
	case int, int64, uint, uint64:
		return fmt.Errorf("%q is not an integer", text)
	case bool:
		return fmt.Errorf("%q is not true or false", text)
	case time.Duration:
		return fmt.Errorf("%q is not a duration such as 90s or 30m", text)
	}
	return err
}

// badValue matches the flag package's message for a value that does not
// parse.
var badValue = regexp.MustCompile(`^invalid (?:boolean )?value "(.*)" for (?:flag )?-(\S+): `)

// friendlyParseError turns the flag package's "parse error" for a value
// into one that says what kind of value the flag wants.
func friendlyParseError(fs *flag.FlagSet, err error) string {
	if name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -"); ok {
		return "unknown flag --" + name
	}
	m := badValue.FindStringSubmatch(err.Error())
	if m == nil {
		return err.Error()
	}
	f := fs.Lookup(m[2])
	if f == nil {
		return err.Error()
	}
	text, uerr := strconv.Unquote(`"` + m[1] + `"`)
	if uerr != nil {
		text = m[1]
	}
	return fmt.Sprintf("--%s: %v", f.Name, setFlag(f, text))
}

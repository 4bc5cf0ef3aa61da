package manifest

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"acmeconform/clients"
)

// scenarios checks the commands. A scenario is written as one argv (the
// command of its only operation) or as a mapping from each of its
// operations to an argv; an argv item is a string or a list (a group).
func (c *checker) scenarios(in map[string]yaml.Node) map[string]map[clients.Op]Argv {
	out := map[string]map[clients.Op]Argv{}
	for _, name := range slices.Sorted(maps.Keys(in)) {
		field, n := "scenarios."+name, in[name]
		sc, ok := clients.LookupScenario(name)
		if !ok {
			c.fail(field, "unknown scenario; want one of %s", scenarioNames())
			continue
		}
		node := resolve(&n)
		ops := map[clients.Op]Argv{}
		switch node.Kind {
		case yaml.SequenceNode:
			if len(sc.Ops) != 1 {
				c.fail(field, "runs %s: give a mapping with a command for each", opList(sc.Ops))
				continue
			}
			ops[sc.Ops[0]] = c.argv(field, node)
		case yaml.MappingNode:
			c.opCommands(field, sc, node, ops)
		default:
			c.fail(field, "want a command (a list of arguments) or a mapping of %s to commands",
				opList(sc.Ops))
			continue
		}
		out[name] = ops
	}
	return out
}

// opCommands reads a mapping from operations to commands.
func (c *checker) opCommands(field string, sc clients.Scenario, node *yaml.Node,
	ops map[clients.Op]Argv) {
	for i := 0; i+1 < len(node.Content); i += 2 {
		op := clients.Op(node.Content[i].Value)
		f := field + "." + string(op)
		if !slices.Contains(sc.Ops, op) {
			c.fail(f, "scenario %s runs no %s; it runs %s", sc.Name, op, opList(sc.Ops))
			continue
		}
		v := resolve(node.Content[i+1])
		if v.Kind != yaml.SequenceNode {
			c.fail(f, "want a command: a list of arguments")
			continue
		}
		ops[op] = c.argv(f, v)
	}
	for _, op := range sc.Ops {
		if _, ok := ops[op]; !ok && !c.hasError(field) {
			c.fail(field, "scenario %s runs %s: no command for %s", sc.Name, opList(sc.Ops), op)
		}
	}
}

// argv checks one command line, or a group within one.
func (c *checker) argv(field string, node *yaml.Node) Argv {
	if len(node.Content) == 0 {
		c.fail(field, "empty command")
		return nil
	}
	if c.open == nil {
		c.open = map[*yaml.Node]bool{}
	}
	c.open[node] = true
	defer delete(c.open, node)
	out := Argv{}
	for i, item := range node.Content {
		f := fmt.Sprintf("%s[%d]", field, i)
		if c.args++; c.args > maxArgs {
			if c.args == maxArgs+1 {
				top, _, _ := strings.Cut(field, "[")
				c.fail(top, "the commands hold more than %d arguments once aliases are "+
					"expanded", maxArgs)
			}
			return out
		}
		item = resolve(item)
		if c.open[item] {
			c.fail(f, "an alias to a list that holds it")
			continue
		}
		switch item.Kind {
		case yaml.ScalarNode:
			c.template(f, item.Value, true)
			out = append(out, Arg{Text: item.Value})
		case yaml.SequenceNode:
			out = append(out, Arg{Group: c.argv(f, item)})
		default:
			c.fail(f, "want a string, or a list (a group of arguments)")
		}
	}
	return out
}

// maxArgs bounds the arguments of all commands together: aliases of
// aliases could otherwise stand for more than memory holds.
const maxArgs = 10_000

// resolve follows a YAML alias (*name) to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// outputs checks where results are read from; a manifest that obtains
// certificates must say where they end up.
func (c *checker) outputs(o outputsDoc, sc map[string]map[clients.Op]Argv) Outputs {
	out := Outputs{Cert: o.Cert, Chain: o.Chain, Key: o.Key, Account: o.Account}
	for _, f := range []struct{ field, v string }{
		{"outputs.cert", o.Cert}, {"outputs.chain", o.Chain},
		{"outputs.key", o.Key}, {"outputs.account", o.Account},
	} {
		if f.v != "" && f.v != Stdout {
			c.template(f.field, f.v, false)
			if !strings.HasPrefix(f.v, "/") && !strings.HasPrefix(f.v, "{") {
				c.fail(f.field, "%q: want an absolute path (e.g. under {work_dir}) or stdout", f.v)
			}
		}
	}
	if o.AccountPattern != "" {
		out.AccountPattern = c.regexp("outputs.account_pattern", o.AccountPattern)
	}
	if o.Cert != "" {
		return out
	}
	for _, name := range slices.Sorted(maps.Keys(sc)) {
		if _, ok := sc[name][clients.OpObtain]; ok {
			c.fail("outputs.cert", "required: scenario %s obtains a certificate", name)
			break
		}
	}
	return out
}

func (c *checker) hasError(field string) bool {
	for _, err := range c.errs {
		if e, ok := err.(*Error); ok && strings.HasPrefix(e.Field, field) {
			return true
		}
	}
	return false
}

func opList(ops []clients.Op) string {
	s := make([]string, len(ops))
	for i, op := range ops {
		s[i] = string(op)
	}
	return strings.Join(s, " then ")
}

func scenarioNames() string {
	var s []string
	for _, sc := range clients.Scenarios() {
		s = append(s, sc.Name)
	}
	return strings.Join(s, ", ")
}

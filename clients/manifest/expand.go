package manifest

import (
	"fmt"
	"maps"
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"acmeconform/clients"
)

// Placeholders are the names a template may use, with what each stands
// for; docs/byo-client.md lists them for users.
var Placeholders = map[string]string{
	"directory":       "the ACME directory URL",
	"ca_bundle":       "the PEM file trusting the CA's HTTPS certificate, in the container",
	"work_dir":        "the scenario's state directory, kept between its operations",
	"email":           "the account's contact address",
	"domain":          "the first name to certify",
	"domain_file":     "the first name with '*' written as '_'",
	"domains":         "every name, one argument each; {domains:FLAG} puts FLAG before each",
	"domains_csv":     "every name, joined by commas",
	"http_port":       "the port the CA fetches http-01 tokens from",
	"listen_host":     "the address a client's own http-01 server binds",
	"dns_server":      "the DNS server, host:port (dns-01 updates and propagation checks)",
	"dns_host":        "the DNS server's address",
	"dns_port":        "the DNS server's port",
	"dns_api":         "the DNS management API (POST /set-txt, /clear-txt)",
	"tsig_name":       "the TSIG key name, without a trailing dot",
	"tsig_secret":     "the TSIG secret, base64",
	"tsig_algorithm":  "the TSIG algorithm, e.g. hmac-sha256",
	"eab_kid":         "the EAB key identifier",
	"eab_hmac":        "the EAB MAC key, base64url as the CA handed it out",
	"key_type":        "the certificate key type asked for, mapped through key_types",
	"csr":             "a PEM CSR file to finalize with (scenario csr-eku)",
	"profile":         "the certificate profile to order (scenario profile)",
	"preferred_chain": "the root name of the chain to prefer (RFC 8555 §7.4.2)",
	"reason":          "the revocation reason code (RFC 5280 §5.3.1)",
	"cert_path":       "outputs.cert, expanded",
	"key_path":        "outputs.key, expanded",
}

// placeholderRE matches "{{" (a literal brace), {name} and {name:arg}.
var placeholderRE = regexp.MustCompile(`\{\{|\{([a-z][a-z0-9_]*)(?::([^{}]*))?\}`)

// placeholder is one use of a placeholder in a template.
type placeholder struct {
	name, arg string
	hasArg    bool
	whole     bool // the placeholder is the whole template
}

// placeholders lists the placeholders of template t.
func placeholders(t string) []placeholder {
	var out []placeholder
	for _, m := range placeholderRE.FindAllStringSubmatchIndex(t, -1) {
		if m[2] < 0 {
			continue // "{{"
		}
		p := placeholder{name: t[m[2]:m[3]], whole: m[0] == 0 && m[1] == len(t)}
		if m[4] >= 0 {
			p.arg, p.hasArg = t[m[4]:m[5]], true
		}
		out = append(out, p)
	}
	return out
}

// template checks the placeholders of one template; argv says whether
// it is an argument, where {domains} may stand alone.
func (c *checker) template(field, t string, argv bool) {
	for _, p := range placeholders(t) {
		switch _, ok := Placeholders[p.name]; {
		case !ok:
			c.fail(field, "unknown placeholder {%s}; %s", p.name, suggest(p.name))
		case p.name == "domains" && !(argv && p.whole):
			c.fail(field, "{domains} must be a whole argument; use {domains_csv} inside text")
		case p.hasArg && p.name != "domains":
			c.fail(field, "{%s} takes no argument", p.name)
		}
	}
}

// values are what the placeholders stand for in one command.
type values struct {
	m       map[string]string
	domains []string
}

// missingError says that a placeholder has no value in this request.
type missingError struct{ name string }

func (e *missingError) Error() string {
	return fmt.Sprintf("{%s} has no value in this scenario", e.name)
}

// expand expands one template into arguments: several for a whole
// {domains}, one otherwise.
func (v values) expand(t string) ([]string, error) {
	ps := placeholders(t)
	if len(ps) == 1 && ps[0].whole && ps[0].name == "domains" {
		var out []string
		for _, d := range v.domains {
			if ps[0].hasArg {
				out = append(out, ps[0].arg)
			}
			out = append(out, d)
		}
		return out, nil
	}
	var missing error
	s := placeholderRE.ReplaceAllStringFunc(t, func(m string) string {
		if m == "{{" {
			return "{"
		}
		name := strings.Trim(m, "{}")
		val, ok := v.m[name]
		if !ok || val == "" {
			missing = &missingError{name: name}
		}
		return val
	})
	return []string{s}, missing
}

// expandArgv expands a command: a group with a placeholder lacking a
// value is left out; any other argument lacking one is an error.
func (v values) expandArgv(argv Argv) ([]string, error) {
	var out []string
	for _, a := range argv {
		if a.Group == nil {
			s, err := v.expand(a.Text)
			if err != nil {
				return nil, err
			}
			out = append(out, s...)
			continue
		}
		if g, err := v.expandArgv(a.Group); err == nil {
			out = append(out, g...)
		}
	}
	return out, nil
}

// valuesFor returns the placeholder values of req; caBundle is the trust
// root's path in the container, listen the client's listen address.
func valuesFor(m *Manifest, req clients.Request, caBundle, listen string) values {
	t := req.Target
	v := map[string]string{
		"directory": t.DirectoryURL, "ca_bundle": caBundle, "work_dir": req.Dir,
		"email": req.Email, "domains_csv": strings.Join(req.Domains, ","),
		"dns_server": t.DNSAddr, "dns_api": t.DNSAPIURL, "listen_host": listen,
		"profile": req.Profile, "reason": strconv.Itoa(req.Reason),
		"preferred_chain": req.PreferredChain,
	}
	if t.HTTP01Port > 0 {
		v["http_port"] = strconv.Itoa(t.HTTP01Port)
	}
	if len(req.Domains) > 0 {
		v["domain"] = req.Domains[0]
		v["domain_file"] = strings.ReplaceAll(req.Domains[0], "*", "_")
	}
	if host, port, err := net.SplitHostPort(t.DNSAddr); err == nil {
		v["dns_host"], v["dns_port"] = host, port
	}
	if k := t.TSIG; k != nil {
		v["tsig_name"] = strings.TrimSuffix(k.Name, ".")
		v["tsig_secret"] = k.Secret
		v["tsig_algorithm"] = strings.TrimSuffix(k.Algorithm, ".")
	}
	if req.EAB != nil {
		v["eab_kid"], v["eab_hmac"] = req.EAB.KID, req.EAB.HMACKey
	}
	if req.Key != "" {
		v["key_type"] = string(req.Key)
		if mapped, ok := m.KeyTypes[req.Key]; ok {
			v["key_type"] = mapped
		}
	}
	if len(req.CSR) > 0 {
		v["csr"] = csrPath(req)
	}
	out := values{m: v, domains: req.Domains}
	for name, tmpl := range map[string]string{"cert_path": m.Outputs.Cert,
		"key_path": m.Outputs.Key} {
		if tmpl != "" && tmpl != Stdout {
			if s, err := out.expand(tmpl); err == nil {
				v[name] = s[0]
			}
		}
	}
	return out
}

// suggest names the known placeholder closest to an unknown one, or all
// of them when none is close.
func suggest(name string) string {
	known := slices.Sorted(maps.Keys(Placeholders))
	best, dist := "", 3
	for _, k := range known {
		if d := editDistance(name, k); d < dist {
			best, dist = k, d
		}
	}
	if best != "" {
		return "did you mean {" + best + "}?"
	}
	return "known: " + strings.Join(known, ", ")
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

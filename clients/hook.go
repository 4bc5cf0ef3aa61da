package clients

import (
	"fmt"
	"net/url"
	"strings"
)

// DNSHookFuncs returns POSIX shell functions that publish and clear TXT
// records through the DNS management API at apiURL:
//
//	set_txt FQDN VALUE   adds VALUE to the TXT set at FQDN
//	clear_txt FQDN       removes every TXT value at FQDN
//
// Drivers whose client publishes dns-01 records through a hook wrap these
// in the calling convention of that client. The API takes POST bodies
// {"host": FQDN, "value": V} at /set-txt and {"host": FQDN} at /clear-txt,
// with FQDN ending in a dot.
func DNSHookFuncs(apiURL string) (string, error) {
	u, err := url.Parse(apiURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("dns hook: API URL %q is not an http(s) URL", apiURL)
	}
	base := strings.TrimSuffix(u.String(), "/")
	return fmt.Sprintf(hookTemplate, ShellQuote(base)), nil
}

// ShellQuote quotes s for a POSIX shell.
func ShellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

const hookTemplate = `DNS_API=%s

fqdn_dot() {
	case "$1" in
	*.) printf '%%s' "$1" ;;
	*) printf '%%s.' "$1" ;;
	esac
}

dns_post() {
	curl -fsS --max-time 10 -X POST -H 'Content-Type: application/json' \
		--data "$2" "$DNS_API/$1" >/dev/null
}

set_txt() {
	dns_post set-txt "{\"host\":\"$(fqdn_dot "$1")\",\"value\":\"$2\"}"
}

clear_txt() {
	dns_post clear-txt "{\"host\":\"$(fqdn_dot "$1")\"}"
}
`

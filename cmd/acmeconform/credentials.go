package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"text/tabwriter"
	"time"

	"acmeconform/mockca"
)

// defaultManagementURL is where `acmeconform serve` puts the mock CA's
// management API.
const defaultManagementURL = "http://127.0.0.1:15000"

// credentialAction returns the action of `acmeconform credentials`.
func credentialAction(name string) func(context.Context, *cliEnv, []string) int {
	switch name {
	case "new":
		return credentialsNew
	case "mac":
		return credentialsMAC
	case "show":
		return credentialsShow
	case "list":
		return credentialsList
	}
	return nil
}

func credentialsCmd(ctx context.Context, env *cliEnv, args []string) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(env.stderr, "Usage: acmeconform credentials new|mac|show|list [flags]\n\n"+
			"Manage the mock CA's API credentials and EAB MAC keys through the management API\n"+
			"of a running `acmeconform serve`, as a customer portal would:\n"+
			"  new   create an API credential; its secret is shown once\n"+
			"  mac   issue a MAC key for a credential (disables its previous key)\n"+
			"  show  print a credential's card: MAC key validity and remaining uses\n"+
			"  list  print every credential's card\n\n"+
			"Run 'acmeconform credentials ACTION --help' for its flags.")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return exitOK
		}
		return exitUsage
	}
	run := credentialAction(args[0])
	if run == nil {
		fmt.Fprintf(env.stderr, "acmeconform credentials: unknown action %q "+
			"(new, mac, show or list)\n", args[0])
		return exitUsage
	}
	return run(ctx, env, args[1:])
}

// mgmtFlags are the flags every credentials action shares.
type mgmtFlags struct {
	url  string
	json bool
}

func (m *mgmtFlags) add(fs interface {
	StringVar(*string, string, string, string)
	BoolVar(*bool, string, bool, string)
}) {
	fs.StringVar(&m.url, "management-url", defaultManagementURL,
		"management API of the running mock CA")
	fs.BoolVar(&m.json, "json", false, "print JSON instead of text")
}

func credentialsNew(ctx context.Context, env *cliEnv, args []string) int {
	fs := newFlagSet(env, "credentials new",
		"Create an API credential. Its secret is printed once and cannot be read back.",
		"acmeconform credentials new --label ci",
		"acmeconform credentials new --mac        # and issue its first MAC key")
	var m mgmtFlags
	m.add(fs)
	label := fs.String("label", "", "a name for the credential")
	withMAC := fs.Bool("mac", false, "also issue the credential's first MAC key")
	if err := parseFlags(fs, args, env.getenv); err != nil {
		return flagExit(env, "credentials new", err)
	}
	var c mockca.Credential
	if code := mgmtCall(ctx, env, m.url, "POST", "/credentials", map[string]string{
		"label": *label}, &c); code != exitOK {
		return code
	}
	if !*withMAC {
		return printCredential(env, m, c)
	}
	var k mockca.MACKey
	if code := mgmtCall(ctx, env, m.url, "POST", "/credentials/"+url.PathEscape(c.ID)+
		"/mac-key", map[string]string{"secret": c.Secret}, &k); code != exitOK {
		return code
	}
	if m.json {
		return printJSON(env, map[string]any{"credential": c, "macKey": k})
	}
	printCredential(env, m, c)
	fmt.Fprintln(env.stdout)
	return printMACKey(env, m, k)
}

func credentialsMAC(ctx context.Context, env *cliEnv, args []string) int {
	fs := newFlagSet(env, "credentials mac",
		"Issue a MAC key for a credential. The key id and HMAC key are printed once; the\n"+
			"credential's previous MAC key stops working at once.",
		"acmeconform credentials mac --id cred-XXXX --secret SECRET")
	var m mgmtFlags
	m.add(fs)
	id := fs.String("id", "", "the credential's id (required)")
	secret := fs.String("secret", "", "the credential's secret (required)")
	if err := parseFlags(fs, args, env.getenv); err != nil {
		return flagExit(env, "credentials mac", err)
	}
	if *id == "" || *secret == "" {
		return flagExit(env, "credentials mac", usagef("--id and --secret are required"))
	}
	var k mockca.MACKey
	if code := mgmtCall(ctx, env, m.url, "POST", "/credentials/"+url.PathEscape(*id)+
		"/mac-key", map[string]string{"secret": *secret}, &k); code != exitOK {
		return code
	}
	return printMACKey(env, m, k)
}

func credentialsShow(ctx context.Context, env *cliEnv, args []string) int {
	fs := newFlagSet(env, "credentials show",
		"Print a credential's card: its MAC key's end of validity and remaining uses.",
		"acmeconform credentials show --id cred-XXXX")
	var m mgmtFlags
	m.add(fs)
	id := fs.String("id", "", "the credential's id (required)")
	if err := parseFlags(fs, args, env.getenv); err != nil {
		return flagExit(env, "credentials show", err)
	}
	if *id == "" {
		return flagExit(env, "credentials show", usagef("--id is required"))
	}
	var card mockca.CredentialCard
	if code := mgmtCall(ctx, env, m.url, "GET", "/credentials/"+url.PathEscape(*id), nil,
		&card); code != exitOK {
		return code
	}
	if m.json {
		return printJSON(env, card)
	}
	return printCards(env, []mockca.CredentialCard{card})
}

func credentialsList(ctx context.Context, env *cliEnv, args []string) int {
	fs := newFlagSet(env, "credentials list", "Print every credential's card.",
		"acmeconform credentials list --json")
	var m mgmtFlags
	m.add(fs)
	if err := parseFlags(fs, args, env.getenv); err != nil {
		return flagExit(env, "credentials list", err)
	}
	var cards []mockca.CredentialCard
	if code := mgmtCall(ctx, env, m.url, "GET", "/credentials", nil, &cards); code != exitOK {
		return code
	}
	if m.json {
		return printJSON(env, cards)
	}
	return printCards(env, cards)
}

// mgmtCall sends one request to the management API and decodes the JSON
// answer into out. It prints failures and returns the exit code.
func mgmtCall(ctx context.Context, env *cliEnv, base, method, path string, body, out any) int {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(base, "/")+path, rd)
	if err != nil {
		fmt.Fprintf(env.stderr, "acmeconform credentials: --management-url: %v\n", err)
		return exitUsage
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintf(env.stderr, "acmeconform credentials: is `acmeconform serve` running? %v\n", err)
		return exitInfra
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode/100 != 2 {
		return mgmtFailure(env, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, out); err != nil {
		fmt.Fprintf(env.stderr, "acmeconform credentials: unexpected answer: %v\n", err)
		return exitInfra
	}
	return exitOK
}

// mgmtFailure prints the management API's error; client mistakes (4xx)
// are usage errors.
func mgmtFailure(env *cliEnv, status int, body []byte) int {
	var e struct{ Error string }
	if json.Unmarshal(body, &e) != nil || e.Error == "" {
		e.Error = strings.TrimSpace(string(body))
	}
	fmt.Fprintf(env.stderr, "acmeconform credentials: HTTP %d: %s\n", status, e.Error)
	if status >= 400 && status < 500 {
		return exitUsage
	}
	return exitInfra
}

func printJSON(env *cliEnv, v any) int {
	enc := json.NewEncoder(env.stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return exitInfra
	}
	return exitOK
}

func printCredential(env *cliEnv, m mgmtFlags, c mockca.Credential) int {
	if m.json {
		return printJSON(env, c)
	}
	fmt.Fprintf(env.stdout, "credential id: %s\nsecret:        %s\n", c.ID, c.Secret)
	fmt.Fprintln(env.stdout, "The secret is shown only now; keep it to request MAC keys.")
	return exitOK
}

func printMACKey(env *cliEnv, m mgmtFlags, k mockca.MACKey) int {
	if m.json {
		return printJSON(env, k)
	}
	printEABKey(env.stdout, &k)
	return exitOK
}

// printEABKey prints a MAC key and how clients take it. serve uses it too.
func printEABKey(w io.Writer, k *mockca.MACKey) {
	if k == nil {
		return
	}
	fmt.Fprintf(w, "EAB key id:         %s\n", k.KID)
	fmt.Fprintf(w, "EAB HMAC key:       %s\n", k.HMACKey)
	fmt.Fprintf(w, "  (padded form:     %s)\n", k.HMACKeyPadded)
	fmt.Fprintf(w, "valid until %s for %d account bindings; shown only now\n",
		k.Expires.Format(time.RFC3339), k.MaxBindings)
	fmt.Fprintf(w, "  lego:    --eab --kid %s --hmac %s\n", k.KID, k.HMACKey)
	fmt.Fprintf(w, "  certbot: --eab-kid %s --eab-hmac-key %s\n", k.KID, k.HMACKey)
}

func printCards(env *cliEnv, cards []mockca.CredentialCard) int {
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CREDENTIAL\tLABEL\tACCOUNTS\tMAC KEY\tSTATUS\tVALID UNTIL\tREMAINING USES")
	for _, c := range cards {
		if c.MACKey == nil {
			fmt.Fprintf(tw, "%s\t%s\t%d\t-\tno key\t-\t-\n", c.ID, c.Label, c.Accounts)
			continue
		}
		k := c.MACKey
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%d\n", c.ID, c.Label, c.Accounts, k.KID,
			k.Status, k.Expires.Format(time.RFC3339), k.RemainingUses)
	}
	if err := tw.Flush(); err != nil {
		return exitInfra
	}
	return exitOK
}

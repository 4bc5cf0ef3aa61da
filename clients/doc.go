// Package clients drives real ACME clients (lego, certbot, dehydrated,
// uacme, Caddy) through the same small set of operations: register, obtain,
// renew and revoke. Every client has a driver of the same shape in a
// sub-package, constructed with New(Config), that turns an operation into
// the client's command line and reads the results back.
//
// Drivers never start programs themselves: they hand a Command to a
// Runner, the execution backend. ProcessRunner runs commands as local
// processes; ContainerRunner runs them in a long-lived client container
// with the same semantics (paths mean the same inside: files are copied
// in and collected files copied out, the webroot is served by busybox
// httpd, SystemTrust replaces the image's bundle while the command runs).
// A runner may say that it has no shell (HasShell) and where a client's
// own challenge server must bind (ListenHost); drivers ask both.
//
// Each driver declares its Capabilities; a Request whose Need they do not
// cover is refused with an error wrapping ErrUnsupported, so suites skip
// the scenario with the reason instead of running it another way.
//
// # Adding a client
//
// Copy the lego sub-package: driver.go holds Name, New, Capabilities,
// Version and the four operations; argv.go builds the command line, the
// files the client needs (config, hooks) and where it stores its results;
// driver_test.go renders the clientstest.Cases into golden files (run it
// with -update once, then read the files). Add the name to Names so that
// the client suite builds its specs.
//
// A client without a driver comes in through a manifest (sub-package
// manifest): its image and one command per scenario of Scenarios. Such
// a driver implements ScenarioFilter, so that the scenarios it has no
// command for are skipped saying so.
//
// # Limitations
//
// Drivers target the client versions named in their package comments.
// Only lego does ARI and certificate profiles; certbot and lego publish
// dns-01 records through RFC 2136, the others through hooks calling the
// DNS management API. dehydrated sends no revocation reason. Process
// mode shows uacme the CA's certificate through a private mount
// namespace, which needs root (unshare and mount).
package clients

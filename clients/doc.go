// Package clients drives real ACME clients (lego, certbot, dehydrated,
// uacme) through the same small set of operations: register, obtain,
// renew and revoke. Every client has a driver of the same shape in a
// sub-package, constructed with New(Config), that turns an operation into
// the client's command line and reads the results back.
//
// Drivers never start programs themselves: they hand a Command to a
// Runner, the execution backend. ProcessRunner runs commands as local
// processes; a container backend implements the same interface.
package clients

// Package interop drives the mock CA with independent ACME client libraries
// in-process. It is a module of its own so that the clients' dependency
// graphs stay out of the product's go.mod; its tests are its content.
package interop

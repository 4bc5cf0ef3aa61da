// Package acme holds the RFC 8555 wire types shared by the mock CA, the probe
// client and the suites: resource objects, status values, identifiers and
// problem documents.
package acme

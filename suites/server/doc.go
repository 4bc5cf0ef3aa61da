// Package server holds the conformance specs for ACME servers. Each spec
// checks requirements of the catalog against any ACME directory and
// attaches the recorded HTTP exchanges as evidence when it fails.
//
// # Registering
//
// Define(t) registers every spec for one target. The runner calls it once
// at the top level or inside a container labelled with the target; the
// suite's own test calls it once per local target. Specs read *t only
// while they run, so a BeforeSuite may fill it in after Define.
//
// # Labels
//
// Every spec carries one "req:<id>" label per catalog requirement it
// checks (catalog.LabelPrefix), a section label such as "rfc8555:6.5",
// "rfc9773:4.2" or "policy:atlas", and its level ("level:MUST",
// "level:SHOULD", "level:MAY", "level:POLICY"). Specs of one resource sit
// in one Describe; each It checks one requirement, sometimes with a
// second id for a property the same exchange proves.
//
// # Evidence
//
// A fresh probe.Client records every exchange of a spec. When the spec
// fails, the last exchanges are attached with
// AddReportEntry("evidence:http", ..., ReportEntryVisibilityFailureOrVerbose);
// keys and MAC secrets are redacted by the probe.
//
// # Optional features
//
// Nothing optional is assumed. Specs skip, with the reason, when the
// directory lacks a resource (renewalInfo, newAuthz, meta.profiles), when
// the server answers that it does not take a feature (wildcards, ip
// identifiers, replaces), or when the target gives the harness no control
// it needs (http-01 responder, DNS, CAA through CAAControl, EAB
// credentials, MintEAB for the atlas policies). A feature the server
// advertises but breaks fails.
package server

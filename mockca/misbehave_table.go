package mockca

// The misbehaviours. Each constant's comment is its description; the
// table below ties it to the one requirement it breaks.
const (
	// Replay protection (RFC 8555 §6.5, §7.2).
	MisNonceReuse           Misbehaviour = "nonce-reuse-accepted"
	MisNonceMissing         Misbehaviour = "nonce-missing-accepted"
	MisNonceUnknownNewOrder Misbehaviour = "nonce-unknown-accepted-on-neworder"
	MisNonceNotOnError      Misbehaviour = "nonce-missing-on-errors"
	MisNonceNotOnSuccess    Misbehaviour = "nonce-missing-on-success"
	MisNonceCacheable       Misbehaviour = "nonce-cacheable"
	MisNonceGet200          Misbehaviour = "nonce-get-200"
	MisNonceHead204         Misbehaviour = "nonce-head-204"
	MisBadNonceStale        Misbehaviour = "badnonce-stale-nonce"
	MisNonceEncoding403     Misbehaviour = "nonce-encoding-unauthorized"

	// Request authentication (RFC 8555 §6.2 to §6.4).
	MisAlgNone          Misbehaviour = "jws-alg-none-accepted"
	MisAlgMACNewOrder   Misbehaviour = "jws-alg-mac-accepted-on-neworder"
	MisSignatureIgnored Misbehaviour = "jws-signature-unchecked-on-neworder"
	MisURLIgnored       Misbehaviour = "jws-url-ignored"
	MisURLOptional      Misbehaviour = "jws-url-optional"
	MisJWKAndKID        Misbehaviour = "jws-jwk-and-kid-accepted"
	MisJWKForKID        Misbehaviour = "jws-jwk-for-kid-accepted"
	MisNewAccountKID    Misbehaviour = "jws-kid-on-newaccount-accepted"
	MisContentType400   Misbehaviour = "jws-content-type-400"
	MisBadSigAlgNoList  Misbehaviour = "badsigalg-without-algorithms"
	MisWeakKeyMalformed Misbehaviour = "weak-account-key-malformed"
	MisEdDSARefused     Misbehaviour = "eddsa-account-keys-refused"
	MisBodyUnbounded    Misbehaviour = "request-body-unbounded"
	MisBase64Lenient    Misbehaviour = "jws-base64url-lenient"
	MisGet404           Misbehaviour = "get-answers-404"

	// Headers, media types and encoding (RFC 8555 §5, §6.1, §7.1).
	MisNoIndexLink     Misbehaviour = "link-index-missing"
	MisNoUpLink        Misbehaviour = "link-up-missing"
	MisDirectoryPlain  Misbehaviour = "directory-text-plain"
	MisDirectoryHTTP   Misbehaviour = "directory-http-url"
	MisAccountPlain    Misbehaviour = "account-text-plain"
	MisAccountLatin1   Misbehaviour = "account-latin1"
	MisExisting201     Misbehaviour = "existing-account-201"
	MisExistingUpdated Misbehaviour = "existing-account-updated"
	MisLookupCreates   Misbehaviour = "lookup-creates-account"
	MisAccountReflects Misbehaviour = "account-reflects-unknown"
	MisContactScheme   Misbehaviour = "contact-scheme-invalidcontact"
	MisContactInvalid  Misbehaviour = "contact-invalid-malformed"
	MisOrdersWritable  Misbehaviour = "account-orders-writable"

	// Orders and finalize (RFC 8555 §7.1.3, §7.1.6, §7.4).
	MisNewOrder200        Misbehaviour = "neworder-200"
	MisOrderNoExpires     Misbehaviour = "order-without-expires"
	MisFinalizeEarly400   Misbehaviour = "finalize-not-ready-400"
	MisOrderKeepsPending  Misbehaviour = "order-pending-after-deactivation"
	MisOrderSkipsReady    Misbehaviour = "order-processing-before-finalize"
	MisFinalizeStale      Misbehaviour = "finalize-returns-stale-order"
	MisOrderStaysProc     Misbehaviour = "order-stays-processing"
	MisBadCSRInvalidates  Misbehaviour = "badcsr-invalidates-order"
	MisCSRExtraNames      Misbehaviour = "csr-extra-names-accepted"
	MisCSRAccountKey      Misbehaviour = "csr-account-key-accepted"
	MisCSRWeakKey         Misbehaviour = "csr-weak-key-accepted"
	MisCSRSHA1            Misbehaviour = "csr-sha1-accepted"
	MisCSRCNOnlyRefused   Misbehaviour = "csr-cn-only-refused"
	MisCSRGarbage500      Misbehaviour = "csr-garbage-500"
	MisProfileUnknownOK   Misbehaviour = "profile-unknown-accepted"
	MisCertDropsName      Misbehaviour = "cert-drops-name"
	MisChainExtraCert     Misbehaviour = "chain-extra-certificate"
	MisReplacesDropped    Misbehaviour = "replaces-dropped-on-read"
	MisARINoRetryAfter    Misbehaviour = "ari-without-retry-after"
	MisARIBadCertIDWindow Misbehaviour = "ari-bad-certid-answered"

	// Authorizations and challenges (RFC 8555 §7.1.4, §7.5, §8).
	MisWildcardFalse     Misbehaviour = "authz-wildcard-false"
	MisDeactivateStale   Misbehaviour = "authz-deactivate-stale-object"
	MisAuthzOtherAccount Misbehaviour = "authz-other-account-deactivates"
	MisNoValidated       Misbehaviour = "challenge-without-validated"
	MisDNS01FirstOnly    Misbehaviour = "dns01-first-txt-only"

	// Revocation (RFC 8555 §7.6).
	MisRevokeReasonUnchecked Misbehaviour = "revoke-reason-unchecked"
	MisRevokeReasonUnlisted  Misbehaviour = "revoke-reason-unlisted"
	MisRevokeTwice           Misbehaviour = "revoke-twice-accepted"
	MisRevokeAnyone          Misbehaviour = "revoke-by-anyone"
	MisRevokeCertKeyRefused  Misbehaviour = "revoke-cert-key-refused"
	MisRevokeGarbage500      Misbehaviour = "revoke-garbage-500"

	// Key rollover (RFC 8555 §7.3.5).
	MisKeyChangeInnerURL Misbehaviour = "keychange-inner-url-unchecked"
	MisKeyChangeInnerSig Misbehaviour = "keychange-inner-signature-unchecked"
	MisKeyChangeAccount  Misbehaviour = "keychange-account-unchecked"
	MisKeyChangeOldKey   Misbehaviour = "keychange-oldkey-unchecked"
	MisKeyChangeNoLoc    Misbehaviour = "keychange-conflict-without-location"
	MisKeyChangeKeepsOld Misbehaviour = "keychange-old-key-kept"

	// Policies of the atlas profile and external account binding.
	MisEABMACUnchecked  Misbehaviour = "eab-mac-unchecked"
	MisEABKeyMismatch   Misbehaviour = "eab-other-key-accepted"
	MisMACUsesUncounted Misbehaviour = "eab-uses-uncounted"
	MisReuseOffByDay    Misbehaviour = "reuse-window-one-day-long"
	MisHTTP01Bypass     Misbehaviour = "http01-subdomain-bypass"
	MisSerialShort      Misbehaviour = "serial-32-bits"

	// More of each kind.
	MisOrderOtherAccount       Misbehaviour = "order-readable-by-other-accounts"
	MisIPDNS01                 Misbehaviour = "ip-offers-dns01"
	MisIPAsDNSName             Misbehaviour = "ip-as-dns-name"
	MisEmptyOrder              Misbehaviour = "empty-order-accepted"
	MisOrdersTruncated         Misbehaviour = "orders-list-truncated"
	MisValidAuthzNoExpires     Misbehaviour = "valid-authz-without-expires"
	MisCSRMismatchUnauthorized Misbehaviour = "csr-mismatch-unauthorized"
	MisSANFirstOnly            Misbehaviour = "csr-san-must-come-first"
	MisNonObjectPayload500     Misbehaviour = "non-object-payload-500"
	MisKeyCompromiseRefused    Misbehaviour = "keycompromise-refused"
	MisDeactivateAccountStale  Misbehaviour = "account-deactivate-stale-object"
	MisWildcardFieldMissing    Misbehaviour = "wildcard-field-missing"
	MisEABURLUnchecked         Misbehaviour = "eab-url-unchecked"
	MisTLSALPNOffered          Misbehaviour = "tls-alpn-01-offered"
	MisNoDNS01Bypass           Misbehaviour = "dns01-no-subdomain-bypass"
	MisCSREKUAccepted          Misbehaviour = "csr-eku-accepted"
	MisCSREd25519              Misbehaviour = "csr-ed25519-accepted"
	MisValidity398             Misbehaviour = "validity-398-days"

	// CAA (RFC 8659, RFC 8657).
	MisCAANoClimb           Misbehaviour = "caa-no-tree-climb"
	MisCAAIssuewildIgnored  Misbehaviour = "caa-issuewild-ignored"
	MisCAACriticalIgnored   Misbehaviour = "caa-critical-flag-ignored"
	MisCAAAccountURIIgnored Misbehaviour = "caa-accounturi-ignored"
	MisCAAMethodsIgnored    Misbehaviour = "caa-validationmethods-ignored"
	MisCAAIodefRestricts    Misbehaviour = "caa-iodef-restricts"
	MisCAANoWildFallback    Misbehaviour = "caa-issue-not-for-wildcards"
	MisCAAUnauthorized      Misbehaviour = "caa-refusal-unauthorized"
)

// misbehaviourTable describes every misbehaviour.
var misbehaviourTable = []MisbehaviourInfo{
	{MisNonceReuse, "nonce-single-use", "", "a nonce already redeemed is accepted again"},
	{MisNonceMissing, "nonce-missing-refused", "", "a JWS without a nonce is accepted"},
	{MisNonceUnknownNewOrder, "nonce-unknown-refused", "",
		"newOrder accepts a well-formed nonce the CA never issued"},
	{MisNonceNotOnError, "nonce-on-error", "",
		"error responses other than badNonce carry no Replay-Nonce"},
	{MisNonceNotOnSuccess, "nonce-on-post-success", "",
		"successful POST responses carry no Replay-Nonce"},
	{MisNonceCacheable, "nonce-no-store", "", "newNonce answers may be cached for a minute"},
	{MisNonceGet200, "nonce-get-204", "", "GET newNonce answers 200 instead of 204"},
	{MisNonceHead204, "nonce-head-200", "", "HEAD newNonce answers 204 instead of 200"},
	{MisBadNonceStale, "nonce-badnonce-fresh", "",
		"a badNonce answer carries a nonce the CA will not accept"},
	{MisNonceEncoding403, "nonce-encoding-malformed", "",
		"a nonce that is not base64url gets 403 unauthorized"},

	{MisAlgNone, "jws-alg-none-refused", "", "an unsigned JWS (alg none) is accepted"},
	{MisAlgMACNewOrder, "jws-alg-mac-refused", "",
		"newOrder accepts a JWS MACed with HS256 without checking it"},
	{MisSignatureIgnored, "jws-signature-verified", "",
		"newOrder does not verify JWS signatures"},
	{MisURLIgnored, "jws-url-match", "", "the url header is not compared with the request URL"},
	{MisURLOptional, "jws-url-required", "", "a JWS without a url header is accepted"},
	{MisJWKAndKID, "jws-jwk-kid-exclusive", "", "a header with both jwk and kid is accepted"},
	{MisJWKForKID, "jws-kid-required", "",
		"account resources accept a jwk of a known account instead of kid"},
	{MisNewAccountKID, "jws-newaccount-jwk", "", "newAccount accepts a kid-signed request"},
	{MisContentType400, "jws-content-type-415", "",
		"a POST with the wrong Content-Type gets 400 instead of 415"},
	{MisBadSigAlgNoList, "jws-badsigalg-algorithms", "",
		"badSignatureAlgorithm problems carry no algorithms list"},
	{MisWeakKeyMalformed, "jws-key-refused-badpublickey", "",
		"a refused account key gets malformed instead of badPublicKey"},
	{MisEdDSARefused, "jws-eddsa-supported", "", "Ed25519 account keys are refused"},
	{MisBodyUnbounded, "robust-oversized-body", "", "request bodies of any size are processed"},
	{MisBase64Lenient, "jws-base64url-strict", "",
		"characters outside base64url in the protected header are skipped"},
	{MisGet404, "get-refused-405", "", "a plain GET of a POST-only resource gets 404, not 405"},

	{MisNoIndexLink, "link-index", "", "responses carry no Link rel=index"},
	{MisNoUpLink, "challenge-link-up", "", "challenge responses carry no Link rel=up"},
	{MisDirectoryPlain, "directory-get-json", "", "the directory is served as text/plain"},
	{MisDirectoryHTTP, "transport-https", "", "the directory names a resource by an http URL"},
	{MisAccountPlain, "account-post-as-get", "", "the account object is served as text/plain"},
	{MisAccountLatin1, "utf8-encoding", "", "the account object is encoded in Latin-1"},
	{MisExisting201, "account-existing-key-200", "",
		"newAccount with a registered key answers 201, not 200"},
	{MisExistingUpdated, "account-existing-ignores-fields", "",
		"newAccount for a registered key updates the account's contact"},
	{MisLookupCreates, "account-lookup-unknown", "",
		"onlyReturnExisting with an unknown key creates an account"},
	{MisAccountReflects, "account-no-reflect-unknown", "",
		"an account lookup echoes the request's fields"},
	{MisContactScheme, "account-contact-unsupported", "",
		"unsupported contact schemes get invalidContact"},
	{MisContactInvalid, "account-contact-invalid", "", "invalid mailto contacts get malformed"},
	{MisOrdersWritable, "account-update-ignores-orders", "",
		"an account update may change the orders URL"},

	{MisNewOrder200, "order-create-201", "", "a new order is answered 200, not 201"},
	{MisOrderNoExpires, "order-object-fields", "", "pending orders carry no expires"},
	{MisFinalizeEarly400, "order-finalize-not-ready", "",
		"finalizing an order that is not ready gets 400, not 403"},
	{MisOrderKeepsPending, "order-invalid-after-authz-fails", "",
		"an order with a deactivated authorization shows pending"},
	{MisOrderSkipsReady, "order-ready-after-authz", "",
		"an order whose authorizations are valid shows processing, never ready"},
	{MisFinalizeStale, "finalize-response-order", "",
		"finalize answers with the order as it was before (ready)"},
	{MisOrderStaysProc, "order-finalize-valid", "",
		"a finalized order stays processing forever and no certificate is issued"},
	{MisBadCSRInvalidates, "finalize-stays-ready", "",
		"a refused CSR makes the order invalid"},
	{MisCSRExtraNames, "finalize-csr-mismatch-refused", "",
		"a CSR with names beyond the order's is accepted"},
	{MisCSRAccountKey, "cert-key-not-account-key", "",
		"a CSR for an account key is accepted"},
	{MisCSRWeakKey, "finalize-csr-weak-key", "", "a CSR with an RSA key under 2048 bits is accepted"},
	{MisCSRSHA1, "finalize-csr-sha1", "", "a CSR signed with SHA-1 is accepted"},
	{MisCSRCNOnlyRefused, "finalize-csr-cn-only", "",
		"a CSR naming an identifier only as common name is refused"},
	{MisCSRGarbage500, "finalize-csr-garbage", "", "a csr that is not DER gets 500"},
	{MisProfileUnknownOK, "profile-unknown-refused", "", "newOrder accepts an unknown profile"},
	{MisCertDropsName, "cert-identifiers-match", "",
		"certificates for several names leave the last one out"},
	{MisChainExtraCert, "cert-chain-order", "",
		"the chain ends with an unrelated certificate"},
	{MisReplacesDropped, "ari-replaces-echo", "", "replaces is left out when an order is read"},
	{MisARINoRetryAfter, "ari-retry-after", "", "renewalInfo answers carry no Retry-After"},
	{MisARIBadCertIDWindow, "ari-bad-certid", "",
		"renewalInfo answers a malformed certificate id with a window"},

	{MisWildcardFalse, "authz-no-wildcard-field-otherwise", "",
		"authorizations for plain names carry wildcard false"},
	{MisDeactivateStale, "authz-deactivate", "",
		"deactivation answers with the authorization as it was before"},
	{MisAuthzOtherAccount, "authz-other-account-refused", "",
		"any account may deactivate another account's authorization"},
	{MisNoValidated, "challenge-valid-validated", "", "valid challenges carry no validated time"},
	{MisDNS01FirstOnly, "dns01-any-value-matches", "",
		"dns-01 compares only the first TXT value at the name"},

	{MisRevokeReasonUnchecked, "revoke-bad-reason", "",
		"any reason code from 0 to 10 is accepted, not only the allowed ones"},
	{MisRevokeReasonUnlisted, "revoke-bad-reason-lists", "",
		"badRevocationReason does not name the allowed codes"},
	{MisRevokeTwice, "revoke-already-revoked", "", "revoking a revoked certificate answers 200"},
	{MisRevokeAnyone, "revoke-unauthorized-account", "",
		"any account may revoke any certificate"},
	{MisRevokeCertKeyRefused, "revoke-by-cert-key", "",
		"revocation signed with the certificate key is refused"},
	{MisRevokeGarbage500, "revoke-garbage-cert", "", "a certificate that is not DER gets 500"},

	{MisKeyChangeInnerURL, "keychange-inner-url", "", "the inner keyChange url is not checked"},
	{MisKeyChangeInnerSig, "keychange-inner-signature", "",
		"the inner keyChange signature is not verified"},
	{MisKeyChangeAccount, "keychange-account-match", "",
		"the inner keyChange account is not compared with the signer"},
	{MisKeyChangeOldKey, "keychange-oldkey-match", "",
		"the inner keyChange oldKey is not compared with the account key"},
	{MisKeyChangeNoLoc, "keychange-conflict", "",
		"a 409 for a taken key does not name the other account in Location"},
	{MisKeyChangeKeepsOld, "keychange-old-key-refused", "",
		"the old key still signs for the account after a rollover"},

	{MisEABMACUnchecked, "eab-bad-mac", "atlas", "the EAB MAC is not verified"},
	{MisEABKeyMismatch, "eab-key-mismatch", "atlas",
		"an EAB over another key than the account's is accepted"},
	{MisMACUsesUncounted, "atlas-eab-key-1000-uses", "atlas",
		"bindings are not counted against the MAC key"},
	{MisReuseOffByDay, "atlas-authz-reuse", "atlas",
		"validations are reused for one day longer than the profile allows"},
	{MisHTTP01Bypass, "atlas-http01-one-host", "atlas",
		"an http-01 validation covers subdomains as dns-01 does"},
	{MisSerialShort, "atlas-serial-entropy", "atlas", "serial numbers carry only 32 random bits"},

	{MisOrderOtherAccount, "access-control-other-account", "",
		"any account may read another account's order"},
	{MisIPDNS01, "ip-no-dns01", "letsencrypt", "ip identifiers are offered dns-01"},
	{MisIPAsDNSName, "ip-cert-san", "letsencrypt",
		"ip identifiers go into the certificate as dNSName"},
	{MisEmptyOrder, "order-empty-identifiers", "", "a newOrder without identifiers is accepted"},
	{MisOrdersTruncated, "orders-list-paging", "",
		"the orders list shows two orders and links no next page"},
	{MisValidAuthzNoExpires, "authz-valid-expires", "letsencrypt",
		"valid authorizations carry no expires"},
	{MisCSRMismatchUnauthorized, "finalize-csr-mismatch", "",
		"a CSR for other names gets unauthorized, not badCSR"},
	{MisSANFirstOnly, "finalize-csr-extension-order", "letsencrypt",
		"a CSR whose first extension is not the SAN is taken to name nothing"},
	{MisNonObjectPayload500, "errors-no-5xx-on-bad-input", "",
		"a payload that is not a JSON object gets 500"},
	{MisKeyCompromiseRefused, "revoke-reason-accepted", "", "reason keyCompromise is refused"},
	{MisDeactivateAccountStale, "account-deactivate", "",
		"account deactivation answers with the account still valid"},
	{MisWildcardFieldMissing, "authz-wildcard-field", "",
		"wildcard authorizations leave the wildcard field out"},
	{MisEABURLUnchecked, "eab-url-match", "atlas", "the EAB url is not compared with the outer url"},
	{MisTLSALPNOffered, "atlas-challenge-types", "atlas", "tls-alpn-01 is offered as well"},
	{MisNoDNS01Bypass, "atlas-dns01-covers-subdomains", "atlas",
		"a dns-01 validation does not cover subdomains"},
	{MisCSREKUAccepted, "atlas-csr-eku-refused", "atlas",
		"CSRs that request extended key usages are accepted"},
	{MisCSREd25519, "atlas-csr-key-types", "atlas", "CSRs with Ed25519 keys are accepted"},
	{MisValidity398, "atlas-cert-validity", "atlas",
		"certificates without a requested notAfter are valid for 398 days"},

	{MisCAANoClimb, "caa-tree-climb", "", "CAA is looked up at the name only, not its ancestors"},
	{MisCAAIssuewildIgnored, "caa-issuewild-blocks", "", "issuewild records are ignored"},
	{MisCAACriticalIgnored, "caa-critical-unknown-blocks", "",
		"unknown CAA properties are ignored even when critical"},
	{MisCAAAccountURIIgnored, "caa-accounturi", "", "the accounturi parameter is ignored"},
	{MisCAAMethodsIgnored, "caa-validationmethods", "",
		"the validationmethods parameter is ignored"},
	{MisCAAIodefRestricts, "caa-iodef-only-allows", "",
		"a record set with only iodef forbids issuance"},
	{MisCAANoWildFallback, "caa-issuewild-fallback", "",
		"without issuewild, wildcards may not be issued"},
	{MisCAAUnauthorized, "caa-problem-type", "",
		"issuance stopped by CAA is reported as unauthorized, not caa"},
}

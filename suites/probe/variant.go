package probe

// Variant names one way of breaking an otherwise well-formed signed request.
// Each is something RFC 8555 (mostly §6) obliges a server to refuse.
type Variant string

// The variants the probe can send. VariantNone is the well-formed request.
const (
	VariantNone Variant = ""
	// VariantContentTypeJSON sends the JWS as application/json (§6.2).
	VariantContentTypeJSON Variant = "content-type-json"
	// VariantContentTypeMissing sends no Content-Type header (§6.2).
	VariantContentTypeMissing Variant = "content-type-missing"
	// VariantAlgNone sends an unsigned JWS with alg "none" (§6.2).
	VariantAlgNone Variant = "alg-none"
	// VariantAlgHMAC signs with HS256, using the account's public key bytes
	// as the MAC secret (§6.2 forbids MAC algorithms for account keys).
	VariantAlgHMAC Variant = "alg-hmac"
	// VariantBadSignature flips bits of a valid signature (§6.2).
	VariantBadSignature Variant = "bad-signature"
	// VariantURLMismatch signs a url header naming another resource (§6.4).
	VariantURLMismatch Variant = "url-mismatch"
	// VariantURLMissing leaves the url header out (§6.4).
	VariantURLMissing Variant = "url-missing"
	// VariantNonceReused repeats the nonce of the client's last signed
	// request (§6.5).
	VariantNonceReused Variant = "nonce-reused"
	// VariantNonceMadeUp sends a nonce the server never issued (§6.5).
	VariantNonceMadeUp Variant = "nonce-made-up"
	// VariantNonceMissing leaves the nonce header out (§6.5).
	VariantNonceMissing Variant = "nonce-missing"
	// VariantKIDUnknown names an account URL the server never issued (§6.2).
	VariantKIDUnknown Variant = "kid-unknown"
	// VariantJWKAndKID puts both jwk and kid in the header (§6.2).
	VariantJWKAndKID Variant = "jwk-and-kid"
	// VariantJWKForKID embeds the jwk where the resource needs kid (§6.2).
	VariantJWKForKID Variant = "jwk-instead-of-kid"
	// VariantBrokenBase64 puts characters outside the base64url alphabet
	// into the protected header (RFC 7515 §2, RFC 8555 §6.2).
	VariantBrokenBase64 Variant = "broken-base64url"
	// VariantPaddedBase64 adds '=' padding to the signature, which RFC 8555
	// §6.1 says must be refused as improperly encoded.
	VariantPaddedBase64 Variant = "padded-base64url"
	// VariantWrongJSONTypes sends JWS members with the wrong JSON types.
	VariantWrongJSONTypes Variant = "wrong-json-types"
	// VariantNotJSON sends a body that is not JSON at all.
	VariantNotJSON Variant = "not-json"
	// VariantCompact sends the JWS in compact serialization (§6.2 requires
	// the flattened JSON serialization).
	VariantCompact Variant = "compact-serialization"
	// VariantTwoSignatures sends the general JSON serialization with two
	// signatures (§6.2 allows exactly one).
	VariantTwoSignatures Variant = "two-signatures"
	// VariantUnprotectedHeader moves kid into an unprotected header
	// member (§6.2 forbids unprotected headers).
	VariantUnprotectedHeader Variant = "unprotected-header"
	// VariantUnencodedPayload signs with the RFC 7797 unencoded payload
	// option (b64 false), which §6.2 forbids.
	VariantUnencodedPayload Variant = "unencoded-payload"
	// VariantOversized pads the payload beyond Config.OversizeBytes.
	VariantOversized Variant = "oversized"
)

// MalformedVariants lists the variants a server must refuse whatever the
// resource, each with the problem type a conforming server answers with.
// Specs iterate over it; the status is checked by the specs themselves.
func MalformedVariants() []Variant {
	return []Variant{
		VariantContentTypeJSON, VariantContentTypeMissing, VariantAlgNone,
		VariantAlgHMAC, VariantBadSignature, VariantURLMismatch, VariantURLMissing,
		VariantNonceReused, VariantNonceMadeUp, VariantNonceMissing,
		VariantKIDUnknown, VariantJWKAndKID, VariantJWKForKID,
		VariantBrokenBase64, VariantPaddedBase64, VariantWrongJSONTypes, VariantNotJSON,
		VariantCompact, VariantTwoSignatures, VariantUnprotectedHeader,
		VariantUnencodedPayload, VariantOversized,
	}
}

package dnsmock

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strings"

	"github.com/miekg/dns"
)

// keyring verifies and signs TSIG (RFC 8945) with the configured keys. Key
// names compare without regard to case (RFC 8945 §4.2 uses canonical names).
type keyring map[string]tsigKey

type tsigKey struct {
	secret []byte
	alg    string // canonical algorithm name; "" accepts any supported one
}

// newKeyring decodes Config.TSIGKeys. A secret may be prefixed with its
// algorithm as nsupdate -y writes it ("hmac-sha256:BASE64") to pin it.
func newKeyring(keys map[string]string) (keyring, error) {
	kr := keyring{}
	for name, secret := range keys {
		n, err := canonical(name)
		if err != nil {
			return nil, fmt.Errorf("TSIG key: %w", err)
		}
		var k tsigKey
		if alg, rest, ok := strings.Cut(secret, ":"); ok {
			k.alg, secret = strings.ToLower(dns.Fqdn(alg)), rest
			if hashFor(k.alg) == nil {
				return nil, fmt.Errorf("TSIG key %s: unsupported algorithm %q", n, alg)
			}
		}
		if k.secret, err = base64.StdEncoding.DecodeString(secret); err != nil {
			return nil, fmt.Errorf("TSIG key %s: secret is not base64: %w", n, err)
		}
		kr[n] = k
	}
	return kr, nil
}

func hashFor(alg string) func() hash.Hash {
	switch alg {
	case dns.HmacSHA1:
		return sha1.New
	case dns.HmacSHA224:
		return sha256.New224
	case dns.HmacSHA256:
		return sha256.New
	case dns.HmacSHA384:
		return sha512.New384
	case dns.HmacSHA512:
		return sha512.New
	}
	return nil
}

// Generate implements dns.TsigProvider.
func (kr keyring) Generate(msg []byte, t *dns.TSIG) ([]byte, error) {
	key, ok := kr[strings.ToLower(t.Hdr.Name)]
	if !ok {
		return nil, dns.ErrSecret
	}
	alg := strings.ToLower(dns.Fqdn(t.Algorithm))
	h := hashFor(alg)
	if h == nil || (key.alg != "" && key.alg != alg) {
		return nil, dns.ErrKeyAlg // RFC 8945 §5.2.1: unknown algorithm is BADKEY
	}
	mac := hmac.New(h, key.secret)
	mac.Write(msg)
	return mac.Sum(nil), nil
}

// Verify implements dns.TsigProvider.
func (kr keyring) Verify(msg []byte, t *dns.TSIG) error {
	want, err := kr.Generate(msg, t)
	if err != nil {
		return err
	}
	got, err := hex.DecodeString(t.MAC)
	if err != nil || !hmac.Equal(want, got) {
		return dns.ErrSig
	}
	return nil
}

// writeTSIGError answers a request whose TSIG failed (RFC 8945 §5.2): rcode
// NOTAUTH, an unsigned TSIG carrying BADKEY, BADSIG or BADTIME.
func (s *Server) writeTSIGError(ex *exchange, verr error) {
	t := ex.req.IsTsig()
	code := dns.RcodeBadSig
	switch {
	case errors.Is(verr, dns.ErrSecret), errors.Is(verr, dns.ErrKeyAlg):
		code = dns.RcodeBadKey
	case errors.Is(verr, dns.ErrTime):
		code = dns.RcodeBadTime
	}
	m := new(dns.Msg).SetRcode(ex.req, dns.RcodeNotAuth)
	m.Extra = []dns.RR{&dns.TSIG{
		Hdr:        dns.RR_Header{Name: t.Hdr.Name, Rrtype: dns.TypeTSIG, Class: dns.ClassANY},
		Algorithm:  t.Algorithm,
		TimeSigned: uint64(s.cfg.Now().Unix()),
		Fudge:      300,
		OrigId:     ex.req.Id,
		Error:      uint16(code),
	}}
	buf, err := m.Pack()
	if err == nil {
		_, err = ex.w.Write(buf)
	}
	if err != nil {
		s.log.Debug("dnsmock: write TSIG error", "err", err)
	}
	s.log.Debug("dnsmock: TSIG rejected", "key", t.Hdr.Name, "err", verr)
	if ex.req.Opcode == dns.OpcodeUpdate {
		s.recordUpdate(UpdateEvent{Time: ex.start, Key: t.Hdr.Name,
			Rcode: dns.RcodeToString[dns.RcodeNotAuth], Remote: ex.remote})
	}
}

package clients

import (
	"bytes"
	"encoding/pem"
)

// Head returns at most n bytes of b as a string, for error messages.
func Head(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	return string(b[:n]) + "..."
}

// PEMBlocks returns the PEM blocks of type typ found in b, re-encoded,
// in order; clients that print certificates mix them with other output.
func PEMBlocks(b []byte, typ string) []byte {
	var out []byte
	for {
		i := bytes.Index(b, []byte("-----BEGIN "))
		if i < 0 {
			return out
		}
		var block *pem.Block
		block, b = pem.Decode(b[i:])
		if block == nil {
			return out
		}
		if block.Type == typ {
			out = append(out, pem.EncodeToMemory(block)...)
		}
	}
}

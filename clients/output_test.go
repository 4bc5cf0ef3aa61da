package clients

import (
	"bytes"
	"encoding/pem"
	"testing"
)

func TestPEMBlocks(t *testing.T) {
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1, 2, 3}})
	key := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: []byte{4}})
	tests := []struct {
		name  string
		input []byte
		want  []byte
	}{
		{name: "empty", input: nil, want: nil},
		{name: "only noise", input: []byte("+ Done!\n"), want: nil},
		{name: "noise around two certs",
			input: append(append(append([]byte("# INFO\n"), cert...), "x\n"...), cert...),
			want:  append(append([]byte(nil), cert...), cert...)},
		{name: "other types left out", input: append(append([]byte(nil), key...), cert...),
			want: cert},
		{name: "broken block", input: []byte("-----BEGIN CERTIFICATE-----\nAAA"), want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := PEMBlocks(tc.input, "CERTIFICATE"); !bytes.Equal(got, tc.want) {
				t.Errorf("PEMBlocks() = %q, want %q", got, tc.want)
			}
		})
	}
}

// FuzzPEMBlocks feeds client output (untrusted bytes) to PEMBlocks: it
// must end and return only well-formed certificate blocks.
func FuzzPEMBlocks(f *testing.F) {
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n"))
	f.Add([]byte("-----BEGIN -----BEGIN CERTIFICATE-----"))
	f.Fuzz(func(t *testing.T, b []byte) {
		out := PEMBlocks(b, "CERTIFICATE")
		for len(out) > 0 {
			var block *pem.Block
			block, out = pem.Decode(out)
			if block == nil || block.Type != "CERTIFICATE" {
				t.Fatalf("PEMBlocks returned a block that does not decode")
			}
		}
	})
}

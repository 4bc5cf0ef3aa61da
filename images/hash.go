package images

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
)

// tagLength is how many hex digits of the input hash go into an image tag.
const tagLength = 16

// inputs accumulates everything an image is built from. Two builds with the
// same inputs give the same tag, so the second one is skipped.
type inputs struct {
	h hash.Hash
}

// newInputs starts the input hash of one image.
func newInputs(name string) *inputs {
	in := &inputs{h: sha256.New()}
	in.add("recipe", []byte(recipeVersion))
	in.add("name", []byte(name))
	return in
}

// add mixes one named input into the hash. Each part is length-prefixed so
// that no two different input lists hash alike.
func (in *inputs) add(key string, value []byte) {
	for _, part := range [][]byte{[]byte(key), value} {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(part)))
		in.h.Write(n[:])
		in.h.Write(part)
	}
}

// tag returns the image tag for the inputs added so far.
func (in *inputs) tag() string {
	return hex.EncodeToString(in.h.Sum(nil))[:tagLength]
}

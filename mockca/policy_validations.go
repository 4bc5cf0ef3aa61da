package mockca

import (
	"slices"
	"strings"
	"time"

	"acmeconform/acme"
)

// validationSet is one customer's validations, indexed. The policy layer
// consults it under the store lock on every new order and every
// validation; scanning a flat list there made every request wait longer
// as the records grew (tens of thousands for a busy customer). Lookups now
// read only the records of the name and of its parents.
type validationSet struct {
	byName  map[acme.Identifier][]*validationRecord // by the validated name
	byAuthz map[string]*validationRecord            // by the proving authorization
	// queue holds the records in the order they were made, so those past
	// the reuse window are dropped from its front.
	queue []*validationRecord
	dead  int    // records in queue that were taken out of the indexes
	seq   uint64 // sequence number of the next record
}

func newValidationSet() *validationSet {
	return &validationSet{byName: map[acme.Identifier][]*validationRecord{},
		byAuthz: map[string]*validationRecord{}}
}

// add files r, replacing a record of the same name, wildcard and method,
// and drops the records validated more than window before r.
func (vs *validationSet) add(r *validationRecord, window time.Duration) {
	for _, old := range vs.byName[r.ident] {
		if old.wildcard == r.wildcard && old.method == r.method {
			vs.remove(old)
			break
		}
	}
	for len(vs.queue) > 0 {
		old := vs.queue[0]
		if !old.dropped && r.validated.Sub(old.validated) <= window {
			break
		}
		vs.remove(old)
		vs.dead--
		vs.queue[0] = nil
		vs.queue = vs.queue[1:]
	}
	vs.compact()
	r.seq = vs.seq
	vs.seq++
	vs.byName[r.ident] = append(vs.byName[r.ident], r)
	vs.byAuthz[r.authzID] = r
	vs.queue = append(vs.queue, r)
}

// remove takes r out of the indexes; the queue forgets it when it reaches
// the front.
func (vs *validationSet) remove(r *validationRecord) {
	if r.dropped {
		return
	}
	r.dropped = true
	vs.dead++
	recs := vs.byName[r.ident]
	for i, x := range recs {
		if x == r {
			recs = append(recs[:i], recs[i+1:]...)
			break
		}
	}
	if len(recs) == 0 {
		delete(vs.byName, r.ident)
	} else {
		vs.byName[r.ident] = recs
	}
	if vs.byAuthz[r.authzID] == r {
		delete(vs.byAuthz, r.authzID)
	}
}

// compact drops replaced records from the queue once they are most of it,
// so a name validated again and again within a long window does not keep
// every superseded record.
func (vs *validationSet) compact() {
	if vs.dead < 64 || vs.dead < len(vs.queue)/2 {
		return
	}
	vs.queue = slices.DeleteFunc(vs.queue, func(r *validationRecord) bool { return r.dropped })
	vs.dead = 0
}

// covering calls f with every record that may cover id: those of the name
// itself, then those of each parent domain of a dns name.
func (vs *validationSet) covering(id acme.Identifier, f func(*validationRecord)) {
	for _, r := range vs.byName[id] {
		f(r)
	}
	if id.Type != acme.IdentifierDNS {
		return
	}
	for v := id.Value; ; {
		i := strings.IndexByte(v, '.')
		if i < 0 {
			return
		}
		v = v[i+1:]
		for _, r := range vs.byName[acme.Identifier{Type: id.Type, Value: v}] {
			f(r)
		}
	}
}

// len returns the number of records in the indexes.
func (vs *validationSet) len() int { return len(vs.byAuthz) }

package ports

import (
	"net"
	"strconv"
	"testing"
)

func TestBlockIsFreeAndBelowTheEphemeralRange(t *testing.T) {
	p, err := Block(3)
	if err != nil {
		t.Fatal(err)
	}
	if p < low || p+3 > ephemeralStart() {
		t.Errorf("Block(3) = %d, want within [%d, %d)", p, low, ephemeralStart())
	}
	if !free(p, 3) {
		t.Errorf("ports %d to %d are not free", p, p+2)
	}
}

func TestBlockSkipsAPortInUse(t *testing.T) {
	p, err := Block(3)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p+1)))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	q, err := Block(3)
	if err != nil {
		t.Fatal(err)
	}
	if q <= p+1 && p+1 < q+3 {
		t.Errorf("Block(3) = %d, a block holding the busy port %d", q, p+1)
	}
}

func TestBlockRefusesAnEmptyBlock(t *testing.T) {
	if _, err := Block(0); err == nil {
		t.Error("Block(0) gave no error")
	}
}

func TestFreeGivesDistinctFreePorts(t *testing.T) {
	ps, err := Free(4)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, p := range ps {
		if seen[p] {
			t.Errorf("Free(4) = %v: port %d twice", ps, p)
		}
		seen[p] = true
		if !free(p, 1) {
			t.Errorf("port %d from Free is not free", p)
		}
	}
	if len(ps) != 4 {
		t.Errorf("Free(4) gave %d ports", len(ps))
	}
}

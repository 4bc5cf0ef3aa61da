package mockca

import (
	"reflect"
	"testing"

	"acmeconform/acme"
)

func TestLiftIdentifier(t *testing.T) {
	id := acme.Identifier{Type: acme.IdentifierDNS, Value: "a.example"}
	other := acme.Identifier{Type: acme.IdentifierDNS, Value: "b.example"}
	sub := acme.Problem{Type: acme.ProblemCAA, Detail: "b refused", Identifier: &other}
	tests := []struct {
		name string
		in   *acme.Problem
		want *acme.Problem
	}{
		{"nil", nil, nil},
		{"no identifier is kept", &acme.Problem{Type: acme.ProblemMalformed, Status: 400},
			&acme.Problem{Type: acme.ProblemMalformed, Status: 400}},
		{"identifier moves into a subproblem",
			&acme.Problem{Type: acme.ProblemDNS, Detail: "d", Status: 400, Identifier: &id},
			&acme.Problem{Type: acme.ProblemDNS, Detail: "d", Status: 400,
				Subproblems: []acme.Problem{{Type: acme.ProblemDNS, Detail: "d", Status: 400,
					Identifier: &id}}}},
		{"existing subproblems follow it",
			&acme.Problem{Type: acme.ProblemCAA, Detail: "d", Identifier: &id,
				Subproblems: []acme.Problem{sub}},
			&acme.Problem{Type: acme.ProblemCAA, Detail: "d",
				Subproblems: []acme.Problem{{Type: acme.ProblemCAA, Detail: "d",
					Identifier: &id}, sub}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before acme.Problem
			if tt.in != nil {
				before = *tt.in
			}
			got := liftIdentifier(tt.in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			if tt.in != nil && !reflect.DeepEqual(*tt.in, before) {
				t.Fatalf("input changed to %+v", *tt.in)
			}
		})
	}
}

package mockca

import "acmeconform/acme"

// aboutIdentifier reports p as a failure concerning id. RFC 8555 §6.7.1
// allows the identifier member only in subproblems, so the answer is a
// problem of p's type, status and detail whose one subproblem names id.
func aboutIdentifier(p *acme.Problem, id acme.Identifier) *acme.Problem {
	sub := *p
	sub.Identifier = &id
	sub.Subproblems = nil
	return &acme.Problem{Type: p.Type, Detail: p.Detail, Status: p.Status,
		Algorithms: p.Algorithms, Subproblems: []acme.Problem{sub}}
}

// liftIdentifier returns p with any top-level identifier moved into a
// subproblem (RFC 8555 §6.7.1). It guards every problem document the CA
// sends, so no handler can break the rule; p itself is not changed.
func liftIdentifier(p *acme.Problem) *acme.Problem {
	if p == nil || p.Identifier == nil {
		return p
	}
	flat := *p
	flat.Identifier = nil
	top := aboutIdentifier(&flat, *p.Identifier)
	top.Subproblems = append(top.Subproblems, p.Subproblems...)
	return top
}

package flow

import (
	"context"
	"fmt"

	"acmeconform/acme"
)

// ReqOrderReady is the catalog requirement an order breaks when it never
// shows ready once its authorizations are valid (RFC 8555 §7.1.6).
const ReqOrderReady = "order-ready-after-authz"

// ReqOrderValid is the catalog requirement an order breaks when it stays
// processing after a finalize the server accepted (RFC 8555 §7.4).
const ReqOrderValid = "order-finalize-valid"

// PreconditionError says a flow could not reach the state a spec needed
// because the server broke a requirement of the catalog on the way. The
// spec that checks that requirement fails on it; any other spec that
// needed the state is inconclusive, so one defect is not blamed on every
// spec that depends on it.
type PreconditionError struct {
	// Requirement is the catalog id of the requirement broken.
	Requirement string
	Err         error
}

func (e *PreconditionError) Error() string {
	return fmt.Sprintf("precondition %s failed: %v", e.Requirement, e.Err)
}

func (e *PreconditionError) Unwrap() error { return e.Err }

// WaitReady polls an order whose authorizations are valid until it is
// ready (RFC 8555 §7.1.6). An order that shows processing or valid before
// any finalize skipped ready: that is a PreconditionError for
// ReqOrderReady, returned at once. An invalid order is a plain error.
func (f *Flow) WaitReady(ctx context.Context, acct *Account, url string) (*Order, error) {
	o, err := f.WaitOrder(ctx, acct, url, acme.StatusReady, acme.StatusProcessing,
		acme.StatusValid)
	if err != nil {
		return nil, err
	}
	switch o.Status {
	case acme.StatusReady:
		return o, nil
	case acme.StatusProcessing, acme.StatusValid:
		return o, &PreconditionError{Requirement: ReqOrderReady,
			Err: fmt.Errorf("order %s is %s before finalize, never ready", o.URL, o.Status)}
	}
	return o, fmt.Errorf("order %s is %s, not ready: %w", o.URL, o.Status, orderError(o))
}

package flow

import (
	"context"
	"errors"
	"fmt"

	"acmeconform/acme"
	"acmeconform/suites/probe"
)

// Order is an order and its URL.
type Order struct {
	URL string
	acme.Order
}

// DNSIDs returns dns identifiers for names.
func DNSIDs(names ...string) []acme.Identifier {
	ids := make([]acme.Identifier, len(names))
	for i, n := range names {
		ids[i] = acme.Identifier{Type: acme.IdentifierDNS, Value: n}
	}
	return ids
}

// NewOrder sends newOrder (RFC 8555 §7.4) and fails unless the server
// created the order.
func (f *Flow) NewOrder(ctx context.Context, acct *Account,
	req acme.NewOrderRequest) (*Order, error) {
	o, resp, err := f.CreateOrder(ctx, acct, req)
	if err != nil {
		return nil, err
	}
	if err := resp.Err(); err != nil {
		return nil, fmt.Errorf("new order: %w", err)
	}
	if o.URL == "" {
		return nil, fmt.Errorf("new order: HTTP %d without Location", resp.Status)
	}
	return o, nil
}

// CreateOrder sends newOrder and returns whatever came back.
func (f *Flow) CreateOrder(ctx context.Context, acct *Account,
	req acme.NewOrderRequest) (*Order, *probe.Response, error) {
	dir, err := f.p.Directory(ctx)
	if err != nil {
		return nil, nil, err
	}
	resp, err := f.postJSON(ctx, dir.NewOrder, acct.Key, acct.URL, req)
	if err != nil {
		return nil, nil, fmt.Errorf("new order: %w", err)
	}
	o := &Order{URL: resp.Location()}
	if resp.Status < 300 {
		if err := resp.Decode(&o.Order); err != nil {
			return nil, resp, fmt.Errorf("new order: %w", err)
		}
	}
	return o, resp, nil
}

// FetchOrder reads an order with POST-as-GET.
func (f *Flow) FetchOrder(ctx context.Context, acct *Account, url string) (*Order, error) {
	o := &Order{URL: url}
	if err := f.fetch(ctx, acct, url, &o.Order); err != nil {
		return nil, fmt.Errorf("fetch order: %w", err)
	}
	return o, nil
}

// FetchAuthz reads an authorization with POST-as-GET.
func (f *Flow) FetchAuthz(ctx context.Context, acct *Account,
	url string) (*acme.Authorization, error) {
	var a acme.Authorization
	if err := f.fetch(ctx, acct, url, &a); err != nil {
		return nil, fmt.Errorf("fetch authz: %w", err)
	}
	return &a, nil
}

func (f *Flow) fetch(ctx context.Context, acct *Account, url string, v any) error {
	resp, err := f.post(ctx, acct.Request(url, nil))
	if err != nil {
		return err
	}
	if err := resp.Err(); err != nil {
		return err
	}
	return resp.Decode(v)
}

// WaitOrder polls the order until its status is one of want or final.
func (f *Flow) WaitOrder(ctx context.Context, acct *Account, url string,
	want ...acme.Status) (*Order, error) {
	o, err := f.waitOrder(ctx, acct, url, want...)
	if err != nil {
		return nil, err
	}
	return o, nil
}

// waitOrder is WaitOrder that also returns the order as last seen when
// the wait fails.
func (f *Flow) waitOrder(ctx context.Context, acct *Account, url string,
	want ...acme.Status) (*Order, error) {
	o := &Order{URL: url}
	err := f.poll(ctx, acct, url, &o.Order, func() bool {
		return o.Status == acme.StatusInvalid || hasStatus(o.Status, want)
	})
	if err != nil {
		return o, fmt.Errorf("wait order: %w", err)
	}
	return o, nil
}

// ReadyOrder creates an order for names and answers every authorization,
// returning the order once it is ready (RFC 8555 §7.1.6).
func (f *Flow) ReadyOrder(ctx context.Context, acct *Account, names ...string) (*Order, error) {
	return f.ReadyOrderFor(ctx, acct, acme.NewOrderRequest{Identifiers: DNSIDs(names...)})
}

// ReadyOrderFor is ReadyOrder for any newOrder payload (ip identifiers,
// profiles, replaces).
func (f *Flow) ReadyOrderFor(ctx context.Context, acct *Account,
	req acme.NewOrderRequest) (*Order, error) {
	o, err := f.NewOrder(ctx, acct, req)
	if err != nil {
		return nil, err
	}
	if err := f.Authorize(ctx, acct, o); err != nil {
		return nil, err
	}
	return f.WaitReady(ctx, acct, o.URL)
}

func hasStatus(s acme.Status, want []acme.Status) bool {
	for _, w := range want {
		if s == w {
			return true
		}
	}
	return false
}

// orderError returns the order's error document, or a plain error when the
// server gave none.
func orderError(o *Order) error {
	if o.Error != nil {
		return o.Error
	}
	return errors.New("no order error given")
}

package dnsmock

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Client drives a dnsmock management API over HTTP. Its record calls use
// the endpoints of Pebble's challenge test server, so it also drives that.
type Client struct {
	base string
	hc   *http.Client
}

// NewClient returns a client for the API at apiURL; nil hc means
// http.DefaultClient.
func NewClient(apiURL string, hc *http.Client) *Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{base: strings.TrimSuffix(apiURL, "/"), hc: hc}
}

// AddTXT adds value to the TXT record set at fqdn.
func (c *Client) AddTXT(ctx context.Context, fqdn, value string) error {
	return c.post(ctx, "/set-txt", map[string]string{"host": fqdnOf(fqdn), "value": value}, nil)
}

// ClearTXT removes every TXT value at fqdn.
func (c *Client) ClearTXT(ctx context.Context, fqdn string) error {
	return c.post(ctx, "/clear-txt", map[string]string{"host": fqdnOf(fqdn)}, nil)
}

// AddA adds IPv4 addresses at host.
func (c *Client) AddA(ctx context.Context, host string, addrs ...string) error {
	body := map[string]any{"host": fqdnOf(host), "addresses": addrs}
	return c.post(ctx, "/add-a", body, nil)
}

// AddCAA adds one CAA record at host (RFC 8659 §4.1).
func (c *Client) AddCAA(ctx context.Context, host string, flag uint8, tag, value string) error {
	pol := []map[string]any{{"flag": flag, "tag": tag, "value": value}}
	return c.post(ctx, "/add-caa", map[string]any{"host": fqdnOf(host), "policies": pol}, nil)
}

// ClearCAA removes every CAA record at host.
func (c *Client) ClearCAA(ctx context.Context, host string) error {
	return c.post(ctx, "/clear-caa", map[string]string{"host": fqdnOf(host)}, nil)
}

// AddRecords adds records written in zone-file form.
func (c *Client) AddRecords(ctx context.Context, lines ...string) error {
	return c.post(ctx, "/records", map[string][]string{"records": lines}, nil)
}

// SetFault injects a fault for name (see Server.SetFault).
func (c *Client) SetFault(ctx context.Context, name string, f Fault) error {
	body := map[string]any{"name": name, "kind": f.Kind}
	if f.Qtype != 0 {
		body["qtype"] = typeString(f.Qtype)
	}
	if f.Delay > 0 {
		body["delay"] = f.Delay.String()
	}
	return c.post(ctx, "/faults", body, nil)
}

// ClearFault removes the fault of name ("" removes all).
func (c *Client) ClearFault(ctx context.Context, name string) error {
	return c.do(ctx, http.MethodDelete, "/faults?name="+url.QueryEscape(name), nil, nil)
}

// History returns the queries received for name ("" for all) of type
// qtype ("" for all), oldest first.
func (c *Client) History(ctx context.Context, name, qtype string) ([]QueryEvent, error) {
	q := url.Values{"name": {name}, "type": {qtype}}
	var out struct {
		Queries []QueryEvent `json:"queries"`
	}
	if err := c.do(ctx, http.MethodGet, "/history?"+q.Encode(), nil, &out); err != nil {
		return nil, err
	}
	return out.Queries, nil
}

// ClearHistory forgets the queries for name ("" for all).
func (c *Client) ClearHistory(ctx context.Context, name string) error {
	return c.do(ctx, http.MethodDelete, "/history?name="+url.QueryEscape(name), nil, nil)
}

func (c *Client) post(ctx context.Context, path string, body, out any) error {
	return c.do(ctx, http.MethodPost, path, body, out)
}

func (c *Client) do(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("dnsmock API %s: %w", path, err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return fmt.Errorf("dnsmock API %s: %w", path, err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("dnsmock API %s: %w", path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxAPIBody))
	if resp.StatusCode >= 300 {
		return fmt.Errorf("dnsmock API %s: status %d: %s", path, resp.StatusCode,
			strings.TrimSpace(string(data)))
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("dnsmock API %s: decode reply: %w", path, err)
		}
	}
	return nil
}

// fqdnOf adds the trailing dot Pebble's test server keys its records by.
func fqdnOf(name string) string {
	if strings.HasSuffix(name, ".") {
		return name
	}
	return name + "."
}

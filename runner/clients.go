package runner

import (
	"context"

	"acmeconform/dnsmock"
	"acmeconform/reports"
)

// clientTarget is the mock CA the client suite's real clients face.
type clientTarget struct {
	cfg Config
}

func (c *clientTarget) define() {}

func (s *stack) embeddedClientTarget(ctx context.Context, cfg Config, dns *dnsmock.Server) error {
	return nil
}

func (s *stack) clientInfo() []reports.Client { return nil }

// secrets lists the values no report may show (EAB HMAC keys).
func (s *stack) secrets() []string {
	var out []string
	if s.server != nil && s.server.EAB != nil {
		out = append(out, s.server.EAB.HMACKey)
	}
	return out
}

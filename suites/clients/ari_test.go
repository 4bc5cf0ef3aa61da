package clients_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// ariWindow is a renewalInfo response suggesting [start, end] (RFC 9773
// §4.2).
func ariWindow(start, end time.Time) map[string]any {
	return map[string]any{"suggestedWindow": map[string]string{
		"start": start.UTC().Format(time.RFC3339), "end": end.UTC().Format(time.RFC3339),
	}}
}

// setRenewalWindow posts body to a management endpoint that overrides a
// certificate's renewal information.
func setRenewalWindow(ctx context.Context, url string, body any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("set renewal window: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("set renewal window: %s", resp.Status)
	}
	return nil
}

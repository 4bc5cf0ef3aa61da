package clients_test

import (
	"time"
)

// ariWindow is a renewalInfo response suggesting [start, end] (RFC 9773
// §4.2).
func ariWindow(start, end time.Time) map[string]any {
	return map[string]any{"suggestedWindow": map[string]string{
		"start": start.UTC().Format(time.RFC3339), "end": end.UTC().Format(time.RFC3339),
	}}
}

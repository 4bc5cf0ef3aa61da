package reports

import "testing"

func TestOneLineFoldsGomegaMessages(t *testing.T) {
	tests := []struct {
		name, in, want string
		limit          int
	}{
		{"status", "HTTP status\nExpected\n    <int>: 403\nto equal\n    <int>: 401",
			"HTTP status Expected 403 to equal 401", 160},
		{"string", "Expected\n    <string>: public, max-age=0\nto contain substring\n    <string>: no-store",
			"Expected public, max-age=0 to contain substring no-store", 160},
		{"long", "x aaaaaaaaaaaaaaaaaaaa", "x aaaaaaaaa…", 12},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := oneLine(tc.in, tc.limit); got != tc.want {
				t.Errorf("oneLine = %q, want %q", got, tc.want)
			}
		})
	}
}

package runner

import (
	"testing"

	"github.com/onsi/ginkgo/v2/types"
)

// The client target's name tells endpoints apart and is a valid label.
func TestExternalClientName(t *testing.T) {
	tests := []struct{ dir, want string }{
		{"https://127.0.0.1:14000/dir", "clients-127.0.0.1:14000_dir"},
		{"https://acme.ca.example/directory/", "clients-acme.ca.example_directory"},
		{"https://ca.example/acme/a(b),c/directory", "clients-ca.example_acme_a_b__c_directory"},
	}
	for _, tc := range tests {
		got := externalClientName(tc.dir)
		if got != tc.want {
			t.Errorf("externalClientName(%q) = %q, want %q", tc.dir, got, tc.want)
		}
		if _, err := types.ValidateAndCleanupLabel(labelTarget+got, types.CodeLocation{}); err != nil {
			t.Errorf("label of %q: %v", tc.dir, err)
		}
	}
	if externalClientName("https://a.example/one") == externalClientName("https://a.example/two") {
		t.Error("two directories of one host share a name")
	}
}

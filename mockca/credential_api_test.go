package mockca

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestCredentialManagementAPI(t *testing.T) {
	e, clock := startPolicyEnv(t, "atlas", nil)
	code, b := mgmt(t, e, "POST", "/credentials", map[string]string{"label": "portal"})
	var c Credential
	if code != http.StatusCreated || json.Unmarshal(b, &c) != nil || c.Secret == "" {
		t.Fatalf("create: HTTP %d %s", code, b)
	}
	code, b = mgmt(t, e, "POST", "/credentials/"+c.ID+"/mac-key",
		map[string]string{"secret": c.Secret})
	var k MACKey
	if code != http.StatusCreated || json.Unmarshal(b, &k) != nil || k.HMACKey == "" ||
		!k.Expires.Equal(clock.Now().Add(30*day)) || k.MaxBindings != 1000 {
		t.Fatalf("mac key: HTTP %d %s", code, b)
	}
	boundClient(t, e, k)
	code, b = mgmt(t, e, "GET", "/credentials/"+c.ID, nil)
	var card CredentialCard
	if code != http.StatusOK || json.Unmarshal(b, &card) != nil || card.MACKey == nil ||
		card.MACKey.RemainingUses != 999 || card.Accounts != 1 {
		t.Fatalf("card: HTTP %d %s", code, b)
	}
	_, list := mgmt(t, e, "GET", "/credentials", nil)
	for _, secret := range []string{c.Secret, k.HMACKey} {
		if strings.Contains(string(list), secret) || strings.Contains(string(b), secret) {
			t.Fatalf("a card or the list shows a secret: %s", list)
		}
	}
	tests := []struct {
		name   string
		method string
		path   string
		body   any
		status int
	}{
		{"wrong secret", "POST", "/credentials/" + c.ID + "/mac-key",
			map[string]string{"secret": "x"}, http.StatusForbidden},
		{"unknown credential key", "POST", "/credentials/cred-none/mac-key",
			map[string]string{"secret": c.Secret}, http.StatusNotFound},
		{"unknown credential card", "GET", "/credentials/cred-none", nil, http.StatusNotFound},
		{"malformed body", "POST", "/credentials", "[", http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code, b := mgmt(t, e, tt.method, tt.path, tt.body); code != tt.status {
				t.Errorf("HTTP %d %s, want %d", code, b, tt.status)
			}
		})
	}
}

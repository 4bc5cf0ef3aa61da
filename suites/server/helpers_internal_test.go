package server

import (
	"crypto/x509"
	"math/big"
	"reflect"
	"testing"
	"time"
)

func TestCertID(t *testing.T) {
	aki := []byte{0x69, 0x88, 0x5B, 0x6B, 0x87, 0x46, 0x40, 0x41, 0xE1, 0xB3, 0x7B, 0x84,
		0x7B, 0xA0, 0xAE, 0x2C, 0xDE, 0x01, 0xC8, 0xD4}
	tests := []struct {
		name   string
		serial int64
		want   string
	}{
		{"high bit set gets a zero octet", 0x87654321, "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"},
		{"high bit clear", 0x12, "aYhba4dGQEHhs3uEe6CuLN4ByNQ.Eg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &x509.Certificate{AuthorityKeyId: aki, SerialNumber: big.NewInt(tt.serial)}
			if got := certID(c); got != tt.want {
				t.Errorf("certID = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMaxValidity(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		name string
		at   time.Time
		want time.Duration
	}{
		{"before the first step", time.Date(2026, 3, 14, 23, 0, 0, 0, time.UTC), 398 * day},
		{"first step", time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC), 200 * day},
		{"second step", time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC), 100 * day},
		{"last step", time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), 47 * day},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := maxValidity(tt.at); got != tt.want {
				t.Errorf("maxValidity(%v) = %v, want %v", tt.at, got, tt.want)
			}
		})
	}
}

func TestLabels(t *testing.T) {
	got := labels("rfc8555:6.5", "MUST", "nonce-single-use", "nonce-unique")
	want := []string{"rfc8555:6.5", "level:MUST", "req:nonce-single-use", "req:nonce-unique"}
	if !reflect.DeepEqual([]string(got), want) {
		t.Errorf("labels = %v, want %v", got, want)
	}
}

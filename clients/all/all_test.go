package all

import (
	"slices"
	"testing"

	"acmeconform/clients"
)

func TestDrivers(t *testing.T) {
	tests := []struct {
		name string
		bins Binaries
		want []string
	}{
		{name: "none", bins: Binaries{}, want: nil},
		{name: "debian only", bins: DebianBinaries(),
			want: []string{"certbot", "dehydrated", "uacme"}},
		{name: "all", bins: Binaries{Lego: "lego", Certbot: "c", Dehydrated: "d", Uacme: "u",
			Caddy: "caddy"},
			want: clients.Names()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, d := range Drivers(tc.bins, clients.Config{}) {
				got = append(got, d.Name())
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("drivers %v, want %v", got, tc.want)
			}
		})
	}
}

package uacme

import "testing"

func TestAccountURL(t *testing.T) {
	tests := []struct {
		name, output, want string
	}{
		{name: "created", output: "uacme: account created at https://ca/acct/1\n",
			want: "https://ca/acct/1"},
		{name: "looked up", output: "uacme: retrieving account at https://ca/new\n" +
			"uacme: account location: https://ca/acct/2\n", want: "https://ca/acct/2"},
		{name: "existing", output: "uacme: Account already exists at https://ca/acct/3\n",
			want: "https://ca/acct/3"},
		{name: "none", output: "uacme: failed to create account at https://ca/new\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := accountURL(tc.output); got != tc.want {
				t.Errorf("accountURL() = %q, want %q", got, tc.want)
			}
		})
	}
}

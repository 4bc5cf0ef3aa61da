package manifest

import (
	"errors"
	"slices"
	"testing"
)

func TestExpand(t *testing.T) {
	v := values{
		m: map[string]string{"directory": "https://ca:14000/dir", "domain": "a.test",
			"http_port": "5002", "empty": ""},
		domains: []string{"a.test", "*.a.test"},
	}
	tests := []struct {
		name, in string
		want     []string
		missing  string
	}{
		{"plain text", "--accept-tos", []string{"--accept-tos"}, ""},
		{"whole", "{directory}", []string{"https://ca:14000/dir"}, ""},
		{"inside text", "--server={directory}", []string{"--server=https://ca:14000/dir"}, ""},
		{"two", "{domain}:{http_port}", []string{"a.test:5002"}, ""},
		{"domains", "{domains}", []string{"a.test", "*.a.test"}, ""},
		{"domains with a flag", "{domains:-d}", []string{"-d", "a.test", "-d", "*.a.test"}, ""},
		{"escaped brace", "{{directory}", []string{"{directory}"}, ""},
		{"shell variable", "${HOME} ${10}", []string{"${HOME} ${10}"}, ""},
		{"no value", "--kid={eab_kid}", nil, "eab_kid"},
		{"empty value", "{empty}", nil, "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := v.expand(tt.in)
			var me *missingError
			if tt.missing != "" {
				if !errors.As(err, &me) || me.name != tt.missing {
					t.Fatalf("error %v, want {%s} missing", err, tt.missing)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("expand(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestExpandArgvGroups(t *testing.T) {
	v := values{m: map[string]string{"directory": "https://ca/dir", "email": "a@b.test"}}
	argv := Argv{
		{Text: "client"},
		{Group: Argv{{Text: "--server"}, {Text: "{directory}"},
			{Group: Argv{{Text: "--kid={eab_kid}"}}}}},
		{Group: Argv{{Text: "--email={email}"}, {Text: "--hmac={eab_hmac}"}}},
		{Text: "run"},
	}
	got, err := v.expandArgv(argv)
	want := []string{"client", "--server", "https://ca/dir", "run"}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("got %q, %v; want %q", got, err, want)
	}
	_, err = v.expandArgv(Argv{{Text: "client"}, {Text: "--kid={eab_kid}"}})
	if err == nil {
		t.Error("an argument outside a group with no value expanded")
	}
}

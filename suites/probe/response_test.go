package probe

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func TestParseLinks(t *testing.T) {
	tests := []struct {
		name  string
		value string
		want  []Link
	}{
		{"one", `<https://ca.test/dir>;rel="index"`,
			[]Link{{URL: "https://ca.test/dir", Rels: []string{"index"}}}},
		{"two in one value", `<https://a>; rel="up", <https://b>;rel=alternate`,
			[]Link{{URL: "https://a", Rels: []string{"up"}},
				{URL: "https://b", Rels: []string{"alternate"}}}},
		{"several relations", `<https://a>; rel="next last"`,
			[]Link{{URL: "https://a", Rels: []string{"next", "last"}}}},
		{"no relation", `<https://a>`, []Link{{URL: "https://a"}}},
		{"garbage", `no brackets here`, nil},
		{"empty", ``, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ParseLinks(tt.value); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseLinks(%q) = %+v, want %+v", tt.value, got, tt.want)
			}
		})
	}
}

func TestResponseLinks(t *testing.T) {
	r := &Response{Header: http.Header{"Link": {
		`<https://ca.test/dir>;rel="index"`, `<https://ca.test/alt/1>;rel="alternate"`,
		`<https://ca.test/alt/2>;rel="ALTERNATE"`,
	}}}
	got := r.Links("alternate")
	want := []string{"https://ca.test/alt/1", "https://ca.test/alt/2"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Links = %v, want %v", got, want)
	}
}

func FuzzParseLinks(f *testing.F) {
	f.Add(`<https://a>;rel="index", <https://b>; rel=up`)
	f.Add(`<<>>;;rel=,`)
	f.Fuzz(func(t *testing.T, v string) {
		for _, l := range ParseLinks(v) {
			if strings.ContainsAny(l.URL, "<>") {
				t.Errorf("URL %q keeps a bracket", l.URL)
			}
		}
	})
}

func FuzzDescribeJWS(f *testing.F) {
	f.Add([]byte(`{"protected":"eyJhbGciOiJub25lIn0","payload":"","signature":""}`))
	f.Add([]byte(`{"protected":"eyJqd2siOnsiZCI6InNlY3JldCJ9fQ","payload":"","signature":""}`))
	f.Add([]byte(`{"protected":"!!","payload":"e30","signature":"x"}`))
	f.Add([]byte(`not json`))
	f.Fuzz(func(t *testing.T, body []byte) {
		out := describeJWS(body)
		line, ok := strings.CutPrefix(strings.SplitN(out, "\n", 2)[0], "protected: ")
		if !ok {
			return
		}
		var v any
		if json.Unmarshal([]byte(line), &v) == nil && leaksPrivate(v) {
			t.Errorf("private member not redacted: %s", line)
		}
	})
}

// leaksPrivate reports whether a private JWK member holds anything but
// the redaction mark.
func leaksPrivate(v any) bool {
	switch t := v.(type) {
	case map[string]any:
		for _, k := range privateJWKMembers {
			if x, ok := t[k]; ok && x != Redacted {
				return true
			}
		}
		for _, c := range t {
			if leaksPrivate(c) {
				return true
			}
		}
	case []any:
		for _, c := range t {
			if leaksPrivate(c) {
				return true
			}
		}
	}
	return false
}

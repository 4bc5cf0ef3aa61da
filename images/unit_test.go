package images

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestFirstSuite(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    string
	}{
		{name: "deb822", content: "Types: deb\nURIs: http://mirror.invalid/debian\n" +
			"Suites: bookworm bookworm-updates\nComponents: main\n", want: "bookworm"},
		{name: "one-line", content: "# comment\ndeb http://mirror.invalid/debian trixie main\n",
			want: "trixie"},
		{name: "one-line with options", content: "deb [arch=amd64 signed-by=/k.gpg] " +
			"http://mirror.invalid/debian sid main\n", want: "sid"},
		{name: "unterminated options", content: "deb [arch=amd64 http://x sid main\n", want: ""},
		{name: "deb-src only", content: "deb-src http://mirror.invalid/debian sid main\n", want: ""},
		{name: "empty suites field", content: "Suites:\n", want: ""},
		{name: "empty", content: "", want: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := firstSuite([]byte(tc.content)); got != tc.want {
				t.Errorf("firstSuite = %q, want %q", got, tc.want)
			}
		})
	}
}

func FuzzFirstSuite(f *testing.F) {
	f.Add("Suites: bookworm\n")
	f.Add("deb [a=b] http://h/ s c\n")
	f.Add("deb [\n")
	f.Fuzz(func(t *testing.T, content string) {
		suite := firstSuite([]byte(content))
		if strings.ContainsAny(suite, " \t\n") {
			t.Errorf("suite %q holds white space", suite)
		}
	})
}

func TestReadAptSources(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "a.sources")
	os.WriteFile(good, []byte("Types: deb\nSuites: bookworm\n"), 0o644)
	noSuite := filepath.Join(dir, "b.list")
	os.WriteFile(noSuite, []byte("# nothing\n"), 0o644)

	src, err := readAptSources([]string{noSuite, good})
	if err != nil || src.suite != "bookworm" {
		t.Fatalf("readAptSources = %q, %v; want suite bookworm", src.suite, err)
	}
	if _, err := readAptSources([]string{noSuite}); err == nil {
		t.Error("readAptSources without a suite: no error")
	}
	_, err = readAptSources([]string{filepath.Join(dir, "missing")})
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("readAptSources of a missing file = %v, want ErrNotExist", err)
	}
}

func TestInputsTag(t *testing.T) {
	tag := func(parts ...string) string {
		in := newInputs("lego")
		for i := 0; i+1 < len(parts); i += 2 {
			in.add(parts[i], []byte(parts[i+1]))
		}
		return in.tag()
	}
	base := tag("a", "1", "b", "2")
	if len(base) != tagLength {
		t.Fatalf("tag %q has length %d, want %d", base, len(base), tagLength)
	}
	if again := tag("a", "1", "b", "2"); again != base {
		t.Errorf("same inputs gave %s and %s", base, again)
	}
	for _, other := range [][]string{
		{"a", "1", "b", "3"}, {"a", "12", "b", ""}, {"a1", "", "b", "2"}, {"b", "2", "a", "1"},
	} {
		if got := tag(other...); got == base {
			t.Errorf("inputs %v gave the same tag as a=1,b=2", other)
		}
	}
}

func TestImageFor(t *testing.T) {
	tests := []struct {
		name   string
		client string
		want   string
	}{
		{name: "lego", client: "lego", want: NameLego},
		{name: "caddy", client: "caddy", want: NameCaddy},
		{name: "certbot", client: "certbot", want: NameDebian},
		{name: "dehydrated", client: "dehydrated", want: NameDebian},
		{name: "uacme", client: "uacme", want: NameDebian},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ImageFor(tc.client)
			if err != nil || got != tc.want {
				t.Errorf("ImageFor(%s) = %q, %v; want %q", tc.client, got, err, tc.want)
			}
		})
	}
	if _, err := ImageFor("acme.sh"); !errors.Is(err, ErrUnknown) {
		t.Errorf("ImageFor(acme.sh) error = %v, want ErrUnknown", err)
	}
}

func TestChangesLabelsAndEntrypoint(t *testing.T) {
	r, err := lookup(NameDebian)
	if err != nil {
		t.Fatal(err)
	}
	got := changes(r, "abc", map[string]string{"uacme": "1.7.4-1", "certbot": "2.1.0-4"})
	for _, want := range []string{
		`ENTRYPOINT ["/usr/local/bin/acmeconform-idle"]`,
		`LABEL "org.acmeconform.managed"="true" "org.acmeconform.image"="debian" ` +
			`"org.acmeconform.inputs"="abc"`,
		`LABEL "org.acmeconform.version.certbot"="2.1.0-4"`,
	} {
		if !slices.Contains(got, want) {
			t.Errorf("changes lack %s; got %q", want, got)
		}
	}
	img := fromLabels("acmeconform/debian:abc", map[string]string{
		LabelImage: NameDebian, LabelInputs: "abc", LabelVersionPrefix + "uacme": "1.7.4-1",
	})
	if img.Inputs != "abc" || img.Versions["uacme"] != "1.7.4-1" || len(img.Clients) != 3 {
		t.Errorf("fromLabels = %+v", img)
	}
}

func TestClientSpecValidate(t *testing.T) {
	nw := &Network{}
	tests := []struct {
		name string
		spec ClientSpec
		want string
	}{
		{name: "no run", spec: ClientSpec{Image: "i", Network: nw, Alias: "a"}, want: "RunID"},
		{name: "no image", spec: ClientSpec{RunID: "r", Network: nw, Alias: "a"}, want: "Image"},
		{name: "no network", spec: ClientSpec{RunID: "r", Image: "i", Alias: "a"}, want: "Network"},
		{name: "no alias", spec: ClientSpec{RunID: "r", Image: "i", Network: nw}, want: "Alias"},
		{name: "network and host network", spec: ClientSpec{RunID: "r", Image: "i", Alias: "a",
			Network: nw, HostNetwork: true}, want: "HostNetwork"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.spec.validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("validate = %v, want an error naming %s", err, tc.want)
			}
		})
	}
	ok := ClientSpec{RunID: "r", Image: "i", Network: nw, Alias: "a"}
	if err := ok.validate(); err != nil {
		t.Errorf("validate of a full spec = %v", err)
	}
	host := ClientSpec{RunID: "r", Image: "i", HostNetwork: true, Alias: "a"}
	if err := host.validate(); err != nil {
		t.Errorf("validate of a spec on the host's network = %v", err)
	}
}

func TestReadVersions(t *testing.T) {
	file := filepath.Join(t.TempDir(), "v.txt")
	os.WriteFile(file, []byte("certbot 2.1.0-4\nlibc6 2.36-9\nuacme 1.7.4-1\nbroken\n"), 0o644)
	got, err := readVersions(file, []string{"certbot", "uacme", "dehydrated"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["certbot"] != "2.1.0-4" || got["uacme"] != "1.7.4-1" {
		t.Errorf("readVersions = %v", got)
	}
}

func TestImageRef(t *testing.T) {
	for _, c := range []struct {
		tags []string
		want string
	}{
		{[]string{"acmeconform/lego:abc"}, "acmeconform/lego:abc"},
		{[]string{"<none>:<none>"}, "sha256:1"},
		{[]string{"<none>:<none>", "acmeconform/lego:abc"}, "acmeconform/lego:abc"},
		{nil, "sha256:1"},
	} {
		if got := imageRef("sha256:1", c.tags); got != c.want {
			t.Errorf("imageRef(%q) = %q, want %q", c.tags, got, c.want)
		}
	}
}

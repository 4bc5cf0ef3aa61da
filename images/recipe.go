package images

import (
	"fmt"
	"slices"
)

// Names of the images acmeconform builds.
const (
	// NameLego is the FROM-scratch image holding the lego binary.
	NameLego = "lego"
	// NameCaddy is the FROM-scratch image holding the caddy binary.
	NameCaddy = "caddy"
	// NameDebian is the Debian image holding certbot, dehydrated and uacme.
	NameDebian = "debian"
)

// recipeVersion changes whenever the way images are assembled changes, so
// that every image is rebuilt once after such a change.
const recipeVersion = "5"

// repository is the Docker repository every image is tagged in.
const repository = "acmeconform"

// kind says how an image's root filesystem is made.
type kind int

const (
	// kindScratch images hold static Go binaries and nothing else.
	kindScratch kind = iota + 1
	// kindDebian images are a Debian root filesystem made with mmdebstrap.
	kindDebian
)

// recipe describes one image: what goes in and which clients it serves.
type recipe struct {
	name    string
	kind    kind
	clients []string
	// goPackage is the command built from the tools module (kindScratch).
	goPackage string
	// goModule is the module whose version is recorded (kindScratch).
	goModule string
	// versionVar, when set, is a string variable the module version is
	// linked into, for commands that cannot read it from their build info.
	versionVar string
	// sources are directories of the tools module holding Go source of
	// our own that the command is built from (kindScratch); their files
	// are inputs of the image.
	sources []string
	// packages are the Debian packages installed (kindDebian).
	packages []string
}

// recipes returns every image acmeconform can build, in build order.
//
// The Debian clients share one image: the three of them need the same base
// (an essential Debian, curl, openssl, the DNS tools), and an imported image
// is a single layer, so separate images would each carry that base again and
// cost one mmdebstrap run each.
func recipes() []recipe {
	return []recipe{
		{
			name: NameLego, kind: kindScratch, clients: []string{"lego"},
			goPackage: "github.com/go-acme/lego/v4/cmd/lego",
			goModule:  "github.com/go-acme/lego/v4",
		},
		{
			// Caddy with the RFC 2136 DNS provider module, for dns-01.
			name: NameCaddy, kind: kindScratch, clients: []string{"caddy"},
			goPackage: "acmeconform/tools/cmd/caddy",
			goModule:  "github.com/caddyserver/caddy/v2",
			// The version Caddy prints is the pinned module's, not ours.
			versionVar: "github.com/caddyserver/caddy/v2.CustomVersion",
			sources:    []string{"cmd/caddy", "caddydns"},
		},
		{
			name: NameDebian, kind: kindDebian,
			clients: []string{"certbot", "dehydrated", "uacme"},
			packages: []string{
				"certbot", "python3-certbot-dns-rfc2136",
				// dehydrated 0.7.0 calls hexdump, which its package does not pull in.
				"dehydrated", "curl", "bsdextrautils",
				"uacme",
				"bind9-dnsutils", "openssl", "ca-certificates", "busybox",
			},
		},
	}
}

// Names returns the names of every image acmeconform can build.
func Names() []string {
	var names []string
	for _, r := range recipes() {
		names = append(names, r.name)
	}
	return names
}

// ImageFor returns the name of the image that holds the given client
// ("lego", "caddy", "certbot", "dehydrated" or "uacme").
func ImageFor(client string) (string, error) {
	for _, r := range recipes() {
		if slices.Contains(r.clients, client) {
			return r.name, nil
		}
	}
	return "", fmt.Errorf("image for client %q: %w", client, ErrUnknown)
}

// lookup returns the recipe of the named image.
func lookup(name string) (recipe, error) {
	for _, r := range recipes() {
		if r.name == name {
			return r, nil
		}
	}
	return recipe{}, fmt.Errorf("image %q: %w", name, ErrUnknown)
}

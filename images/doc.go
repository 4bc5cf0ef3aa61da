// Package images builds the ACME client images acmeconform runs, without a
// container registry, and runs client containers on a network of the run's
// own with testcontainers-go.
//
// # Images
//
// Nothing is pulled. The Go clients (lego, and Caddy with the RFC 2136 DNS
// provider of tools/caddydns) are built from the pinned tools module as
// static binaries (CGO_ENABLED=0) and imported as
// single-layer images holding only the binary, a CA bundle, /tmp, /work and a
// small idle first process: FROM scratch images in effect. The Debian
// clients (certbot with its RFC 2136 plugin, dehydrated, uacme, plus dig and
// nsupdate for hooks, openssl, curl and busybox httpd as the http-01 web
// server) share one root file system made by mmdebstrap from the machine's
// own apt sources and imported the same way. One shared Debian image builds
// in one mmdebstrap run (about 40 to 70 s here) and weighs about 226 MB; an
// image per client repeats the base each time (uacme alone: 66 s, 170 MB).
//
// Every image is tagged acmeconform/<name>:<hash of its inputs> (recipe,
// tools module and our source in it, package list, apt sources, toolchain,
// CA bundle) and labelled
// with LabelManaged, LabelImage, LabelInputs and one LabelVersionPrefix label
// per client version. Manager.Build returns at once when an image with the
// same inputs is present; Manager.Prune removes images whose inputs changed.
//
// # Networking
//
// Measured on Docker 20.10 with an internal bridge network from NewNetwork:
//
//   - A server of the harness bound to Network.Gateway (the host's address on
//     the bridge) is reachable from the run's containers, and from nowhere
//     else but the host. The mock CA and the mock DNS server listen there.
//   - Containers resolve through a DNS server on Gateway:53 when
//     ClientSpec.DNS holds the gateway: the engine's resolver in the container
//     (127.0.0.11) forwards every name it does not know there. Docker only
//     forwards to port 53, so the mock DNS server must bind Gateway:53 (root
//     or CAP_NET_BIND_SERVICE); clients that take a resolver address of their
//     own (lego --dns.resolvers, nsupdate and dig with -p) can use any port.
//   - ClientSpec.Hosts adds /etc/hosts entries, for example the CA's name to
//     the gateway, independent of the DNS server.
//   - The host reaches a server inside a container at Client.IP, the
//     container's address on the network: the CA validates http-01 there once
//     the mock DNS server maps the challenged name to Client.IP.
//   - The network is internal: the engine drops traffic forwarded beyond the
//     host, although containers still list the gateway as default route.
//
// # Containers
//
// RunClient starts a long-lived container whose first process idles, reaps
// orphans and exits on SIGTERM; each step runs with Client.Exec. A step that
// must keep serving (busybox httpd, caddy start) puts itself in the
// background. Client.CopyIn and Client.CopyOut move files; Client.TrustRoots
// appends the mock CA's root to the image's system bundle.
//
// # Cleanup
//
// The Ryuk reaper cannot be pulled, so it must be off
// (TESTCONTAINERS_RYUK_DISABLED=true, set by the command or test, not here).
// Every container and network carries LabelManaged, LabelRun and
// LabelOwner. At start a run calls Sweep to remove what runs whose process
// has ended left behind, leaving the objects of live runs alone; at the
// end, and on SIGINT
// with a fresh context, it terminates its clients, removes its network and
// calls RemoveRun as a last resort.
package images

# acmeconform build, run and test targets. Tools (lego, Pebble, step-ca, and
# Caddy with the RFC 2136 DNS provider of tools/caddydns) are built from the
# pinned module in tools/ into bin/, and only rebuilt when it changes.

GO      ?= go
BIN     := bin
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
TOOLS   := $(BIN)/lego $(BIN)/pebble $(BIN)/pebble-challtestsrv $(BIN)/step-ca $(BIN)/caddy
export TESTCONTAINERS_RYUK_DISABLED := true

.PHONY: build run test lint bench tools fuzz clean image images verify-suite

build: $(BIN)/acmeconform

$(BIN)/acmeconform: FORCE
	$(GO) build -ldflags "$(LDFLAGS)" -o $@ ./cmd/acmeconform

FORCE:

tools: $(TOOLS)

# The tools are static and built with -trimpath, as the client images build
# lego and Caddy: both builds then share the compiled packages in the Go
# cache, and a fresh machine compiles them once. step-ca is built without its
# YubiKey and PKCS#11 key stores, which need C libraries (pcsclite) that
# nothing here uses.
TOOLS_BUILD := CGO_ENABLED=0 GOWORK=off $(GO) build -trimpath
$(TOOLS) &: tools/go.mod tools/go.sum $(wildcard tools/caddydns/*.go tools/cmd/caddy/*.go)
	cd tools && $(TOOLS_BUILD) -o ../$(BIN)/ \
		github.com/go-acme/lego/v4/cmd/lego \
		github.com/letsencrypt/pebble/v2/cmd/pebble \
		github.com/letsencrypt/pebble/v2/cmd/pebble-challtestsrv \
		./cmd/caddy
	cd tools && $(TOOLS_BUILD) -tags noyubikey,nopkcs11 -o ../$(BIN)/ \
		github.com/smallstep/certificates/cmd/step-ca
	touch $(TOOLS)

# run: the main job. The embedded mock CA and mock DNS server, the server
# suite and the client suite (lego), reports in out/.
run: build tools
	$(BIN)/acmeconform run --out out

# images: the client images, built once before the tests so that the test
# binaries find them ready (skipped without a Docker engine; rebuilt only
# when an input changes).
images: build
	@if docker info >/dev/null 2>&1; then $(BIN)/acmeconform images build --tools tools; \
	else echo "no Docker engine: client images not built"; fi

test: tools lint images
	$(GO) test -race -count=1 -timeout 25m ./...
	cd interop && $(GO) test -race -count=1 ./...
	cd tools && $(GO) test -race -count=1 ./...

lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	cd tools && $(GO) vet ./...

bench: build tools
	$(GO) run ./bench/cmd/acmebench -bin $(BIN) -readme README.md
	$(GO) test -run '^$$' -bench . -benchmem ./mockca/... ./dnsmock/...

# fuzz: every fuzz target of the module, FUZZTIME each (one package at a
# time, one target at a time, as go test -fuzz requires).
FUZZTIME ?= 30s
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
		for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "== $$pkg $$t"; \
			$(GO) test -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) $$pkg; \
		done; \
	done

# image: acmeconform itself as a FROM scratch image, tagged by version.
image: tools
	rm -rf $(BIN)/image && mkdir -p $(BIN)/image/tmp
	CGO_ENABLED=0 $(GO) build -ldflags "$(LDFLAGS)" -o $(BIN)/image/acmeconform ./cmd/acmeconform
	cd tools && CGO_ENABLED=0 $(GO) build -o ../$(BIN)/image/ github.com/go-acme/lego/v4/cmd/lego
	cp /etc/ssl/certs/ca-certificates.crt build/Dockerfile $(BIN)/image/
	docker build -q --label org.acmeconform.managed=true -t acmeconform:$(VERSION) $(BIN)/image
	docker tag acmeconform:$(VERSION) acmeconform:latest

clean:
	rm -rf $(BIN) out

# verify-suite: the mutation check. The server suite runs against the mock
# CA once per misbehaviour (two runs at a time) and must blame exactly the
# requirement each one breaks; prints the kill rate and every escape. Then
# the flake check: 20 runs with random seeds must give identical verdicts.
verify-suite: build
	$(GO) run ./mutation/cmd/verifysuite -bin $(BIN)/acmeconform -flake 20

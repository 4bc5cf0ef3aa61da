#!/bin/sh
# Regenerates the CSRs of TestCSRPolicyOpenSSL with the openssl command.
# Every CSR asks for csr.example.com; the private keys are thrown away.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
subj=/CN=csr.example.com
san=subjectAltName=DNS:csr.example.com

csr() { # name keyfile digest [extra args...]
	name=$1 key=$2 dgst=$3
	shift 3
	openssl req -new -key "$key" "$dgst" -subj "$subj" -addext "$san" "$@" \
		-outform DER -out "$name.der"
}

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/rsa2048.pem" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$tmp/rsa1024.pem" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/p256.pem"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521 -out "$tmp/p521.pem"
openssl genpkey -algorithm ED25519 -out "$tmp/ed25519.pem"

csr good-rsa2048 "$tmp/rsa2048.pem" -sha256
csr good-p256 "$tmp/p256.pem" -sha256
csr sha1-rsa2048 "$tmp/rsa2048.pem" -sha1
csr sha384-rsa2048 "$tmp/rsa2048.pem" -sha384
csr sha512-p256 "$tmp/p256.pem" -sha512
csr pss-rsa2048 "$tmp/rsa2048.pem" -sha256 -sigopt rsa_padding_mode:pss
csr eku-p256 "$tmp/p256.pem" -sha256 -addext extendedKeyUsage=serverAuth,clientAuth
csr rsa1024 "$tmp/rsa1024.pem" -sha256
csr p521 "$tmp/p521.pem" -sha256
openssl req -new -key "$tmp/ed25519.pem" -subj "$subj" -addext "$san" \
	-outform DER -out ed25519.der

#!/usr/bin/env bash
# Development certificates for the gRPC door (never for production):
#   scripts/dev-certs.sh DIR
# makes in DIR: ca.crt/ca.key (a CA), server.crt/server.key (CN and SAN localhost, 127.0.0.1) and
# client.crt/client.key (a client certificate signed by the CA, for mutual TLS). Keys are PKCS#8 PEM.
set -euo pipefail
dir=${1:?usage: $0 DIR}
mkdir -p "$dir"
cd "$dir"

openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=Osiris development CA" \
  -keyout ca.key -out ca.crt 2>/dev/null

issue() { # name subject [extensions]
  openssl req -newkey rsa:2048 -nodes -subj "$2" -keyout "$1.key.tmp" -out "$1.csr" 2>/dev/null
  openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 365 \
    ${3:+-extfile <(printf '%s' "$3")} -out "$1.crt" 2>/dev/null
  openssl pkcs8 -topk8 -nocrypt -in "$1.key.tmp" -out "$1.key"
  rm -f "$1.key.tmp" "$1.csr"
}

issue server "/CN=localhost" "subjectAltName=DNS:localhost,IP:127.0.0.1
extendedKeyUsage=serverAuth"
issue client "/CN=osiris-client" "extendedKeyUsage=clientAuth"
echo "certificates in $dir: ca.crt server.crt server.key client.crt client.key"

#!/usr/bin/env bash
# A real Kubernetes API server with RBAC on 127.0.0.1, for the access-control suite against real RBAC
# (*KubeIT), and the tool the several-clusters suite starts its own API servers with (OSIRIS_KUBE_TOOL). It uses the
# shared kube-apiserver tool (built from Debian's kubernetes source, ~5 min once per machine).
#
#   scripts/kube-dev.sh start   build the apiserver if missing, start it with RBAC and the test users' tokens;
#                               prints the environment the tests read (also written to $KUBE_DIR/env)
#   scripts/kube-dev.sh stop    stop it and delete its state
#
# Users (static tokens "token-<user>"): osiris (the service itself, bound by the tests to system:auth-delegator
# only) and the callers of AccessControlContract. devtoken is the cluster admin that sets up Roles.
# Settings (environment): KUBE_DIR (default /tmp/osiris-kube), KUBE_TOOL (default ../shared/tools/kube-apiserver
# beside the project), KUBE_APISERVER_BIN (default /tmp/kube-apiserver/bin/kube-apiserver).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
KUBE_DIR=${KUBE_DIR:-/tmp/osiris-kube}
KUBE_TOOL=${KUBE_TOOL:-$ROOT/../shared/tools/kube-apiserver}
export KUBE_APISERVER_BIN=${KUBE_APISERVER_BIN:-/tmp/kube-apiserver/bin/kube-apiserver}
USERS="osiris admin-a reader-a writer-a creator-a writer-b lister scraper nobody team-reader team-observer"

start() {
  if [[ ! -x $KUBE_APISERVER_BIN ]]; then
    echo "Building kube-apiserver (once per machine)..."
    bash "$KUBE_TOOL/build.sh" "${KUBE_BUILD_DIR:-/tmp/kube-apiserver/work}" >"${KUBE_BUILD_LOG:-/tmp/kube-apiserver-build.log}" 2>&1 \
      || { tail -30 "${KUBE_BUILD_LOG:-/tmp/kube-apiserver-build.log}" >&2; exit 1; }
  fi
  command -v etcd >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server >/dev/null; }
  stop >/dev/null 2>&1 || true
  local tokens="" user
  for user in $USERS; do tokens+="token-$user,$user,uid-$user"$'\n'; done
  local url
  url=$(AUTHZ_MODE=RBAC EXTRA_TOKENS="$tokens" bash "$KUBE_TOOL/start.sh" "$KUBE_DIR" | tail -1)
  cat >"$KUBE_DIR/env" <<ENV
export OSIRIS_KUBE_API=$url
export OSIRIS_KUBE_ADMIN_TOKEN=devtoken
export OSIRIS_KUBE_TOOL=$KUBE_TOOL
export KUBE_APISERVER_BIN=$KUBE_APISERVER_BIN
ENV
  cat "$KUBE_DIR/env"
}

stop() {
  if [[ -d $KUBE_DIR ]]; then
    bash "$KUBE_TOOL/stop.sh" "$KUBE_DIR" || true
    rm -rf "$KUBE_DIR"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac

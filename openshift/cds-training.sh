#!/usr/bin/env bash
# Makes the class data sharing archive the image maps at every start (-XX:SharedArchiveFile): one training start of
# the service with its embedded defaults in a scratch folder, until it is ready and has stored and served one log,
# then a normal stop, at which the JVM writes every class it loaded into the archive. A start that maps it loads and
# verifies none of them again, including those of the first requests.
#   cds-training.sh APP_JAR ARCHIVE JVM_OPTIONS_FILE HEAP PORT
# Needs bash only (requests through /dev/tcp): the runtime image has no curl guaranteed. JAVA_CMD: the java to use.
set -euo pipefail
jar=$1 archive=$2 options=$3 heap=$4 port=$5
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT

# training uses the embedded defaults, whatever the environment points at
for name in $(compgen -e); do
  case "$name" in OSIRIS_*|KUBERNETES_*) unset "$name" ;; esac
done
OSIRIS_DATA_DIR="$data" OSIRIS_SPOOL_DIR="$data/spool" "${JAVA_CMD:-java}" -Xmx"$heap" @"$options" -XX:ArchiveClassesAtExit="$archive" \
  -jar "$jar" --server.port="$port" --logging.level.root=WARN >"$data/osiris.log" 2>&1 &
pid=$!

# request METHOD PATH [BODY CONTENT_TYPE]: prints the status code
request() {
  local body=${3:-} type=${4:-text/plain} status
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf '%s %s HTTP/1.1\r\nHost: localhost\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
    "$1" "$2" "$type" "${#body}" "$body" >&3
  read -r _ status _ <&3 || status=000
  cat <&3 >/dev/null
  exec 3<&-
  echo "$status"
}

# fail REASON: stops the training start; its log and why it failed
fail() {
  kill "$pid" 2>/dev/null || true
  cat "$data/osiris.log"
  echo "$1" >&2
  exit 1
}

ready=
for _ in $(seq 1200); do
  kill -0 "$pid" 2>/dev/null || fail "training start ended early"
  if [ "$(request GET /actuator/health/readiness 2>/dev/null)" = 200 ]; then
    ready=yes
    break
  fi
  sleep 0.1
done
[ -n "$ready" ] || fail "not ready after 120 s"
build=/api/v1/namespaces/training/builds/app-1
statuses="$(request PUT "$build" '{"phase":"Complete"}' application/json)"
statuses+=" $(request PUT "$build/log" "$(printf 'step %s\n' $(seq 1 2000))")"
statuses+=" $(request GET "$build/log") $(request GET /api/v1/builds)"
echo "training requests answered: $statuses"
kill -TERM "$pid"
wait "$pid" || true
[ -s "$archive" ] || fail "no archive written"

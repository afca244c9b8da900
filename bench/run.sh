#!/usr/bin/env bash
# Osiris benchmarks: builds the service, then prints the results table (docs/benchmarks.md explains it).
#   bench/run.sh           full run: 1 MiB, 100 MiB and 1 GiB logs, 20 s rate runs, 30 s latency run (~10 min)
#   bench/run.sh --quick   smoke run with small sizes (~2 min)
#   bench/run.sh --operations   only builds/s, latency and start-up (~2 min)
#   bench/run.sh --speed   throughput (parallel multipart and single-stream baselines, REST, gRPC, cluster pull),
#                          memory and start-up steps (~25 min with Ceph)
#   bench/run.sh --memory  only the memory rows: a 1 GiB log in a fresh process per door (REST, gRPC, pull),
#                          20 concurrent 50 MiB logs, generated and varied (~4 min per storage)
#   bench/run.sh --startup only the start-up rows: ready and idle RSS per launch (~3 min)
#   bench/run.sh --records [--million] [--no-reindex]   build records: lists, filters and legacy pages over 10,000
#                          (and 1,000,000) seeded records, reindex of 10,000 (~5 min, ~15 with --million)
#   bench/run.sh --soak [MINUTES]   the soak run: mixed traffic for MINUTES (default 30) with the storage killed for
#                          30 s every 5 minutes and Osiris SIGKILLed at every other outage; prints lost logs, RSS, spool
#   bench/run.sh --content   masking's cost (in one thread, and REST ingest on / off) and the search's scan rate
#                          (in one thread, and across 64 logs of 16 MiB through the API) (~5 min)
#   --profile DIR (with any of the above) writes a JFR recording of each Osiris process into DIR
# With OSIRIS_CEPH_ENDPOINT/_ACCESS_KEY/_SECRET_KEY set (scripts/ceph-dev.sh start), Ceph RGW is measured too.
set -euo pipefail
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) mkdir -p "$2"; export OSIRIS_BENCH_JFR="$(cd "$2" && pwd)"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
cd "$(dirname "$0")/.."
mvn -q -B -ntp -DskipTests package
mvn -q -B -ntp dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
main=io.osiris.bench.Benchmarks
if [ "${args[0]:-}" = "--soak" ]; then
  main=io.osiris.bench.Soak
  args=("${args[@]:1}")
fi
exec java -Xmx6g -Dosiris.jar="target/osiris-0.1.0-SNAPSHOT.jar" \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" "$main" "${args[@]}"

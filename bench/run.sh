#!/usr/bin/env bash
# Osiris benchmarks: builds the service, then prints the results table (docs/benchmarks.md explains it).
#   bench/run.sh           full run: 1 MiB, 100 MiB and 1 GiB logs, 20 s rate runs, 30 s latency run (~10 min)
#   bench/run.sh --quick   smoke run with small sizes (~2 min)
# With OSIRIS_CEPH_ENDPOINT/_ACCESS_KEY/_SECRET_KEY set (scripts/ceph-dev.sh start), Ceph RGW is measured too.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp -DskipTests package
mvn -q -B -ntp dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xmx6g -Dosiris.jar="target/osiris-0.1.0-SNAPSHOT.jar" \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" io.osiris.bench.Benchmarks "$@"

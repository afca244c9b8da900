#!/usr/bin/env bash
# A throwaway single-node Ceph cluster (mon + OSD on memstore + RGW) on 127.0.0.1, for the real-Ceph test suite.
#
#   scripts/ceph-dev.sh start   install Ceph from Debian packages if missing, start it, create an S3 user;
#                               prints the environment the tests read (also written to $CEPH_DIR/env)
#   scripts/ceph-dev.sh stop    stop the daemons and delete the cluster
#   scripts/ceph-dev.sh rgw-kill    SIGKILL the RGW only (storage outage for the fault tests)
#   scripts/ceph-dev.sh rgw-start   start the RGW again and wait until it answers
#
# Settings (environment): CEPH_DIR (default /tmp/osiris-ceph), CEPH_RGW_PORT (default 7480),
# CEPH_MEMSTORE_BYTES (default 6 GiB: objects live in RAM).
set -euo pipefail

CEPH_DIR=${CEPH_DIR:-/tmp/osiris-ceph}
RGW_PORT=${CEPH_RGW_PORT:-7480}
MEMSTORE_BYTES=${CEPH_MEMSTORE_BYTES:-6442450944}
ACCESS_KEY=osiris-test
SECRET_KEY=osiris-test-secret
CONF=$CEPH_DIR/ceph.conf

install_ceph() {
  if command -v ceph-mon >/dev/null && command -v ceph-osd >/dev/null && command -v radosgw >/dev/null; then
    return
  fi
  echo "Installing Ceph from Debian packages..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends ceph-mon ceph-osd radosgw ceph-common >/dev/null
}

write_conf() {
  local fsid=$1
  cat > "$CONF" <<CONF
[global]
fsid = $fsid
mon_host = [v2:127.0.0.1:3300,v1:127.0.0.1:6789]
public_network = 127.0.0.0/8
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
ms_mon_client_mode = crc
osd_pool_default_size = 1
osd_pool_default_min_size = 1
mon_allow_pool_size_one = true
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
osd_crush_chooseleaf_type = 0
run_dir = $CEPH_DIR/run
log_file = $CEPH_DIR/log/\$name.log
admin_socket = $CEPH_DIR/run/\$name.asok
mon_data = $CEPH_DIR/mon/\$cluster-\$id
osd_data = $CEPH_DIR/osd/\$cluster-\$id
osd_objectstore = memstore
memstore_device_bytes = $MEMSTORE_BYTES
keyring = $CEPH_DIR/keyring
[client.rgw.a]
rgw_frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw_data = $CEPH_DIR/rgw
ms_mon_client_mode = crc
# deleted objects free their memstore bytes within seconds, not RGW's default 2 hours: the benchmark's baselines
# upload and delete several GiB, which would otherwise fill the OSD
rgw_gc_obj_min_wait = 5
rgw_gc_processor_period = 5
CONF
}

start() {
  install_ceph
  if [ -f "$CEPH_DIR/pids" ]; then
    stop
  fi
  rm -rf "$CEPH_DIR"
  mkdir -p "$CEPH_DIR"/{run,log,mon,osd,rgw}
  local fsid
  fsid=$(cat /proc/sys/kernel/random/uuid)
  write_conf "$fsid"
  export CEPH_CONF=$CONF

  ceph-authtool --create-keyring "$CEPH_DIR/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  monmaptool --create --fsid "$fsid" --addv a '[v2:127.0.0.1:3300,v1:127.0.0.1:6789]' "$CEPH_DIR/monmap" >/dev/null
  ceph-mon --cluster ceph --mkfs -i a --monmap "$CEPH_DIR/monmap" --keyring "$CEPH_DIR/keyring" -c "$CONF"
  ceph-mon -i a -f -c "$CONF" > "$CEPH_DIR/log/mon.out" 2>&1 &
  echo $! >> "$CEPH_DIR/pids"
  wait_for "monitor" 60 ceph -c "$CONF" --connect-timeout 5 mon stat

  local uuid id
  uuid=$(cat /proc/sys/kernel/random/uuid)
  id=$(ceph -c "$CONF" osd new "$uuid")
  mkdir -p "$CEPH_DIR/osd/ceph-$id"
  ceph-osd -i "$id" --mkfs --osd-uuid "$uuid" -c "$CONF" >/dev/null 2>&1
  ceph-osd -i "$id" -f -c "$CONF" > "$CEPH_DIR/log/osd.out" 2>&1 &
  echo $! >> "$CEPH_DIR/pids"
  wait_for "OSD" 60 bash -c "ceph -c '$CONF' osd stat | grep -q '1 up'"

  rgw_start

  radosgw-admin -c "$CONF" user create --uid=osiris --display-name=osiris \
    --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >/dev/null
  cat > "$CEPH_DIR/env" <<ENV
export OSIRIS_CEPH_ENDPOINT=http://127.0.0.1:$RGW_PORT
export OSIRIS_CEPH_ACCESS_KEY=$ACCESS_KEY
export OSIRIS_CEPH_SECRET_KEY=$SECRET_KEY
ENV
  echo "Ceph RGW ready at http://127.0.0.1:$RGW_PORT (environment in $CEPH_DIR/env):"
  cat "$CEPH_DIR/env"
}

rgw_start() {
  if curl -sf -o /dev/null "http://127.0.0.1:$RGW_PORT/"; then
    return 0 # running already
  fi
  radosgw -n client.rgw.a -f -c "$CONF" >> "$CEPH_DIR/log/rgw.out" 2>&1 &
  echo $! > "$CEPH_DIR/rgw.pid"
  wait_for "RGW" 120 curl -sf -o /dev/null "http://127.0.0.1:$RGW_PORT/"
}

rgw_kill() {
  if [ -f "$CEPH_DIR/rgw.pid" ]; then
    kill -9 "$(cat "$CEPH_DIR/rgw.pid")" 2>/dev/null || true
    rm -f "$CEPH_DIR/rgw.pid"
  fi
  pkill -9 -f "radosgw -n client.rgw.a" 2>/dev/null || true
  for _ in $(seq 1 20); do
    curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$RGW_PORT/" || return 0
    sleep 0.5
  done
  echo "RGW still answers after SIGKILL" >&2
  exit 1
}

wait_for() {
  local what=$1 seconds=$2
  shift 2
  for _ in $(seq 1 "$seconds"); do
    if "$@" >/dev/null 2>&1; then
      return 0
    fi
    sleep 1
  done
  echo "Ceph $what did not come up in ${seconds}s; logs in $CEPH_DIR/log" >&2
  tail -n 20 "$CEPH_DIR"/log/*.out >&2 || true
  exit 1
}

stop() {
  rgw_kill
  if [ -f "$CEPH_DIR/pids" ]; then
    tac "$CEPH_DIR/pids" | while read -r pid; do kill "$pid" 2>/dev/null || true; done
    sleep 2
    tac "$CEPH_DIR/pids" | while read -r pid; do kill -9 "$pid" 2>/dev/null || true; done
  fi
  rm -rf "$CEPH_DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  rgw-kill) rgw_kill ;;
  rgw-start) rgw_start ;;
  *) echo "usage: $0 start|stop|rgw-kill|rgw-start" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Issue 4's revocation benchmark: time from the SCIM response (deactivate) until the last of N
# sidecars denies, with two receivers on a throwaway PostgreSQL cluster on loopback. Needs the
# benchmarks jar (./mvnw -B -o -q -pl benchmarks -am package -DskipTests) and PostgreSQL 15's
# binaries (Debian's postgresql package). Run as root (the cluster runs as the postgres user).
# Usage: benchmarks/fleet/revocation.sh [REPETITIONS] [N...]   (defaults: 200, then N = 10 100)
set -euo pipefail
cd "$(dirname "$0")/../.."

REPETITIONS=${1:-200}
shift || true
SIZES=("${@:-10 100}")
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
WORK=$(mktemp -d /tmp/scimitar-revocation.XXXXXX)
chown postgres "$WORK"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

cleanup() {
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

runuser -u postgres -- "$PG_BIN/initdb" -D "$WORK/data" -A trust >/dev/null
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/data" -l "$WORK/postgres.log" -w \
  -o "-p $PORT -c listen_addresses=127.0.0.1 -k $WORK -c max_connections=300" start >/dev/null
runuser -u postgres -- "$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT" scimitar

echo "| sidecars | receivers | repetitions | p50 ms | p90 ms | p99 ms | max ms |"
echo "|---|---|---|---|---|---|---|"
for n in ${SIZES[@]}; do
  SCIMITAR_AUDIT_LEVEL=OFF SCIMITAR_LOG_LEVEL=WARN "$JAVA" -Xmx4g -Dio.netty.eventLoopThreads=1 \
    -cp benchmarks/target/benchmarks.jar io.scimitar.benchmarks.RevocationLatency "$n" "$REPETITIONS" \
    "jdbc:postgresql://127.0.0.1:$PORT/scimitar?user=postgres" 2>/dev/null | grep '^| '
  runuser -u postgres -- "$PG_BIN/dropdb" -h 127.0.0.1 -p "$PORT" scimitar
  runuser -u postgres -- "$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT" scimitar
done

#!/usr/bin/env bash
# Soak (issue 10): Tally's fat jar for MINUTES minutes at TARGETS file-discovered targets, of which
# STALL_PERCENT % stall (HTTP/1.1 200, Content-Length: 100, then silence), with Redis behind a proxy
# cut and restored every FLAP seconds, a publisher answering garbage, and wrk on /stats and /metrics
# throughout. io.tally.benchmarks.soak.Soak samples Tally every SAMPLE seconds, prints a report,
# writes it to REPORT and exits non-zero when a criterion fails (see benchmarks/README.md).
#
#   benchmarks/soak/run.sh [minutes=10] [targets=10000]
#
# Environment: STALL_PERCENT=5 FLAP=30 WARMUP=60 (at least; the window starts once every target has a
#   status, at most 300 s later) SAMPLE=10 HEALTH_INTERVAL=30 HEALTH_TIMEOUT=2 TALLY_HEAP=512m
#   CONCURRENCY=(sized below) REPORT=/tmp/tally-soak-<time>.md BUILD=1 (rebuild the jars first)
#   KEEP_WORK=1 (keep the work dir; it is kept anyway when the soak fails)
#   TALLY_JAR=path (soak another build of Tally; default app/target/tally.jar)
# Needs Redis on 127.0.0.1:6379 and wrk (Debian's package; installed here when missing, as root).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MINUTES="${1:-10}"
TARGETS="${2:-10000}"
STALL_PERCENT="${STALL_PERCENT:-5}"
FLAP="${FLAP:-30}"
WARMUP="${WARMUP:-60}"
SAMPLE="${SAMPLE:-10}"
HEALTH_INTERVAL="${HEALTH_INTERVAL:-30}"
HEALTH_TIMEOUT="${HEALTH_TIMEOUT:-2}"
UNHEALTHY_AFTER=3
POLL_INTERVAL=5
QUEUE_TIMEOUT=2
PUBLISHER_INTERVAL=15
REDIS_PORT=6379
STALLED=$(( TARGETS * STALL_PERCENT / 100 ))
HEALTHY=$(( TARGETS - STALLED ))
# Sizing: a stalled probe holds a permit for the whole timeout, so the stalled targets alone keep
# stalled x timeout / interval permits busy on average. Twice that (bursts: the targets' offsets are
# spread by a hash, not evenly) plus 16 for the healthy probes (~320/s x a few ms each), and never
# fewer than the default 64: 500 x 2 / 30 = 34 -> 2 x 34 + 16 = 84.
CONCURRENCY="${CONCURRENCY:-$(( (STALLED * HEALTH_TIMEOUT + HEALTH_INTERVAL - 1) / HEALTH_INTERVAL * 2 + 16 ))}"
(( CONCURRENCY < 64 )) && CONCURRENCY=64
REPORT="${REPORT:-/tmp/tally-soak-$(date -u +%Y%m%dT%H%M%SZ).md}"
TALLY_JAR="${TALLY_JAR:-$ROOT/app/target/tally.jar}"
TALLY_HEAP="${TALLY_HEAP:-512m}"

JAVA_HOME="$("$ROOT/bin/tally" jdk)"
JAVA="$JAVA_HOME/bin/java"
command -v wrk >/dev/null 2>&1 || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
command -v wrk >/dev/null 2>&1 || { echo "soak: wrk is missing (apt-get install wrk)" >&2; exit 2; }
(echo > "/dev/tcp/127.0.0.1/$REDIS_PORT") >/dev/null 2>&1 || { echo "soak: nothing listens on 127.0.0.1:$REDIS_PORT (Redis)" >&2; exit 2; }
if [[ "${BUILD:-0}" == 1 || ! -f "$ROOT/app/target/tally.jar" || ! -f "$ROOT/benchmarks/target/benchmarks.jar" ]]; then
  "$ROOT/bin/tally" build
fi
[[ -f "$TALLY_JAR" ]] || { echo "soak: no Tally jar at $TALLY_JAR" >&2; exit 2; }

WORK="$(mktemp -d /tmp/tally-soak.XXXXXX)"
PIDS=()
RC=2
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  if [[ "$RC" == 0 && "${KEEP_WORK:-0}" != 1 ]]; then rm -rf "$WORK"; else echo "soak: logs kept in $WORK" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
TARGET_PORT="$(free_port)"; STALL_PORT="$(free_port)"; APP_PORT="$(free_port)"; ADMIN_PORT="$(free_port)"
PROXY_PORT="$(free_port)"; GARBAGE_PORT="$(free_port)"
KEY="tally-soak:$(date +%s):$RANDOM$RANDOM"

mkdir -p "$WORK/targets.d"
{
  for ((i = 0; i < HEALTHY; i++)); do
    echo "- { name: target-$i, type: webhook, url: \"http://127.0.0.1:$TARGET_PORT/hook/$i\" }"
  done
  for ((i = 0; i < STALLED; i++)); do
    echo "- { name: stall-$i, type: webhook, url: \"http://127.0.0.1:$STALL_PORT/stall/$i\" }"
  done
} > "$WORK/targets.d/soak.yml"
cat > "$WORK/config.yml" <<YAML
server:
  applicationConnectors: [ { type: http, bindHost: 127.0.0.1, port: $APP_PORT } ]
  adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: $ADMIN_PORT } ]
  requestLog: { appenders: [] }
collection: { interval: 15s, deadline: 250ms, maxAge: 5s }
discovery:
  sources: [ { type: file, files: [ "$WORK/targets.d/*.yml" ] } ]
health: { interval: ${HEALTH_INTERVAL}s, timeout: ${HEALTH_TIMEOUT}s, concurrency: $CONCURRENCY, unhealthyAfter: $UNHEALTHY_AFTER }
queues:
  # maxBackoff under the poll interval: every poll while the broker is away tries to reconnect, so
  # "back within one poll interval" is what the source promises, not what the backoff allows.
  - type: redis
    name: soak-redis
    uri: "redis://127.0.0.1:$PROXY_PORT/0"
    queues: [ { name: "$KEY", target: "*" } ]
    pollInterval: ${POLL_INTERVAL}s
    timeout: ${QUEUE_TIMEOUT}s
    backoff: 1s
    maxBackoff: 4s
publishers:
  - type: prometheus
    name: garbage
    url: "http://127.0.0.1:$GARBAGE_PORT/metrics"
    preset: alertmanager
    interval: ${PUBLISHER_INTERVAL}s
    timeout: 2s
trends: { dataDir: "$WORK/trends" }
logging: { level: WARN }
YAML

# Virtual threads are counted from JFR (started minus ended; no stacks), not from thread dumps: dumping
# threads while virtual threads mount and unmount crashed the JVM on JDK 25.0.3 (JDK-8364343).
cat > "$WORK/vthreads.jfc" <<'JFC'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0" label="soak: virtual thread starts and ends">
  <event name="jdk.VirtualThreadStart"><setting name="enabled">true</setting><setting name="stackTrace">false</setting></event>
  <event name="jdk.VirtualThreadEnd"><setting name="enabled">true</setting><setting name="stackTrace">false</setting></event>
</configuration>
JFC

MACHINE="$(nproc) CPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), \
$(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo) RAM, $(uname -sr), \
load average at start $(cut -d' ' -f1-3 /proc/loadavg)"

"$JAVA" -Xmx256m -cp "$ROOT/benchmarks/target/benchmarks.jar" io.tally.benchmarks.load.TargetServer \
  "$TARGET_PORT" "$STALL_PORT" > "$WORK/targets.log" 2>&1 & PIDS+=($!)

"$JAVA" -Xmx512m -cp "$ROOT/benchmarks/target/benchmarks.jar" io.tally.benchmarks.soak.Soak \
  --tally="http://127.0.0.1:$APP_PORT" --target-status="http://127.0.0.1:$TARGET_PORT/_status" \
  --pid-file="$WORK/tally.pid" --gc-log="$WORK/gc.log" --work="$WORK" --report="$REPORT" \
  --proxy-port="$PROXY_PORT" --redis-port="$REDIS_PORT" --redis-key="$KEY" --garbage-port="$GARBAGE_PORT" \
  --queue-source=soak-redis --publisher=garbage --duration=$(( MINUTES * 60 )) --warmup="$WARMUP" --flap="$FLAP" \
  --sample="$SAMPLE" --stalled="$STALLED" --healthy="$HEALTHY" --health-interval="$HEALTH_INTERVAL" \
  --health-timeout="$HEALTH_TIMEOUT" --unhealthy-after="$UNHEALTHY_AFTER" --poll-interval="$POLL_INTERVAL" \
  --queue-timeout="$QUEUE_TIMEOUT" --publisher-interval="$PUBLISHER_INTERVAL" --deadline=0.25 --max-age=5 \
  --concurrency="$CONCURRENCY" --stats-connections=4 --metrics-connections=2 --machine="$MACHINE" \
  --tally-heap="$TALLY_HEAP" \
  > "$WORK/soak.log" 2>&1 & SOAK=$!; PIDS+=($SOAK)

for _ in $(seq 1 60); do grep -q "peers ready" "$WORK/soak.log" && break; kill -0 "$SOAK" 2>/dev/null || break; sleep 0.5; done
grep -q "peers ready" "$WORK/soak.log" || { cat "$WORK/soak.log" >&2; echo "soak: the harness did not start" >&2; exit 2; }

"$JAVA" -Xmx"$TALLY_HEAP" -Xlog:gc:file="$WORK/gc.log":time,uptime -XX:ErrorFile="$WORK/hs_err_pid%p.log" \
  -XX:StartFlightRecording=name=soak,settings="$WORK/vthreads.jfc",filename="$WORK/vthreads.jfr" \
  -jar "$TALLY_JAR" server "$WORK/config.yml" \
  > "$WORK/tally.log" 2>&1 & PIDS+=($!)
echo $! > "$WORK/tally.pid"
echo "soak: $TARGETS targets ($STALLED stalling), concurrency $CONCURRENCY, heap $TALLY_HEAP, $MINUTES min after a warm-up of $WARMUP s or more; work dir $WORK" >&2

tail -n +1 -f --pid="$SOAK" "$WORK/soak.log" & PIDS+=($!)
set +e
wait "$SOAK"
RC=$?
set -e
sleep 0.5
exit "$RC"

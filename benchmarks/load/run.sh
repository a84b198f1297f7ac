#!/usr/bin/env bash
# Load test: Tally with N file_sd targets (probed against a local target server), then wrk on
# loopback against /stats/{target}, /health, the first page of /stats and /metrics, and, as the
# baselines, a trivial JSON resource on the same application connector (/baseline, added by the
# harness's BaselineTally, not by the product) and Dropwizard's admin /ping. Prints one table with
# each endpoint's requests/s as a fraction of /baseline's.
#
#   benchmarks/load/run.sh [targets=1000] [seconds-per-endpoint=60]
#
# Needs wrk (Debian's package; installed here when missing and running as root).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TARGETS="${1:-1000}"
DURATION="${2:-60}"
JAVA_HOME="$("$ROOT/bin/tally" jdk)"
JAVA="$JAVA_HOME/bin/java"
command -v wrk >/dev/null 2>&1 || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
[[ -f "$ROOT/app/target/tally.jar" && -f "$ROOT/benchmarks/target/benchmarks.jar" ]] || "$ROOT/bin/tally" build

WORK="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
TARGET_PORT="$(free_port)"; APP_PORT="$(free_port)"; ADMIN_PORT="$(free_port)"

"$JAVA" -cp "$ROOT/benchmarks/target/benchmarks.jar" io.tally.benchmarks.load.TargetServer "$TARGET_PORT" \
  > "$WORK/targets.log" 2>&1 & PIDS+=($!)

mkdir -p "$WORK/targets.d"
for ((i = 0; i < TARGETS; i++)); do
  echo "- { name: target-$i, type: webhook, url: \"http://127.0.0.1:$TARGET_PORT/hook/$i\" }"
done > "$WORK/targets.d/load.yml"
cat > "$WORK/config.yml" <<YAML
server:
  applicationConnectors: [ { type: http, bindHost: 127.0.0.1, port: $APP_PORT } ]
  adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: $ADMIN_PORT } ]
  requestLog: { appenders: [] }
collection: { interval: 15s, deadline: 250ms, maxAge: 5s }
discovery:
  sources: [ { type: file, files: [ "$WORK/targets.d/*.yml" ] } ]
health: { interval: 30s, timeout: 5s, concurrency: 64 }
trends: { dataDir: "$WORK/trends" }
logging: { level: WARN }
YAML
"$JAVA" -Xmx512m -cp "$ROOT/benchmarks/target/benchmarks.jar" io.tally.benchmarks.load.BaselineTally \
  server "$WORK/config.yml" > "$WORK/tally.log" 2>&1 & PIDS+=($!)

for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$APP_PORT/stats?limit=1" >/dev/null && break; sleep 1; done
echo "waiting 35 s for every target's first probe..." >&2
sleep 35

heap() { curl -s "http://127.0.0.1:$APP_PORT/metrics" | awk '/^jvm_memory_bytes_used\{area="heap"/ { printf "%.0f", $2 / 1e6 }'; }

URLS=("http://127.0.0.1:$APP_PORT/baseline" "http://127.0.0.1:$ADMIN_PORT/ping"
      "http://127.0.0.1:$APP_PORT/stats/target-1" "http://127.0.0.1:$APP_PORT/health"
      "http://127.0.0.1:$APP_PORT/stats?limit=50" "http://127.0.0.1:$APP_PORT/metrics")
# Warm the JIT on every path first, or whichever endpoint is measured first pays for it.
for url in "${URLS[@]}"; do wrk -t2 -c16 -d5s "$url" >/dev/null; done

measure() { # url -> "rps|p50|p99|errors"
  local out rps p50 p99 errors
  out="$(wrk -t2 -c16 -d"${DURATION}s" --latency "$1")"
  rps="$(awk '/Requests\/sec/ { print $2 }' <<<"$out")"
  p50="$(awk '$1 == "50%" { print $2 }' <<<"$out")"
  p99="$(awk '$1 == "99%" { print $2 }' <<<"$out")"
  errors="$(awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' <<<"$out")"
  echo "$rps|$p50|$p99|$errors"
}

# Each endpoint is measured between two runs of /baseline and compared with their mean, so that
# load from elsewhere on the machine moves both sides of a ratio alike.
echo "| endpoint | requests/s | /baseline requests/s (before, after) | × /baseline | p50 | p99 | errors | heap before → after (MB) |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for url in "${URLS[@]:1}"; do
  IFS='|' read -r b1 _ <<<"$(measure "${URLS[0]}")"
  before="$(heap)"
  IFS='|' read -r rps p50 p99 errors <<<"$(measure "$url")"
  after="$(heap)"
  IFS='|' read -r b2 _ <<<"$(measure "${URLS[0]}")"
  ratio="$(awk -v r="$rps" -v a="$b1" -v b="$b2" 'BEGIN { printf "%.2f", 2 * r / (a + b) }')"
  echo "| ${url#http://127.0.0.1:*/} | $rps | $b1, $b2 | $ratio | $p50 | $p99 | $errors | $before → $after |"
done

#!/usr/bin/env bash
# Load comparison (benchmarks issue): the same small GET (~100 bytes) on embedded Jetty 12, as
#   bare    the servlet alone, no Lookout — the limit;
#   lookout Lookout's full stack: request IDs, metrics, a SERVER span for every request exported by
#           OTLP/HTTP to a sink on loopback, the access log at its default sampling written to a file
#           through the JSON template layout (log4j2-lookout.xml, stdout redirected to a file);
#   agent   the bare app under the OpenTelemetry Java agent 2.33.1: every span sampled and exported by
#           OTLP/HTTP to an identical sink, its metrics on (OTLP, default interval).
# All three run at once, the server JVMs pinned to CPU 0 and wrk + sinks to CPU 1; after a warm-up the
# variants are loaded in turn, A B C A B C …, and the table shows medians over the rounds.
# Usage: benchmarks/load-test.sh [rounds=5] [seconds=10] [connections=16] [warm-up seconds=60]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}; secs=${2:-10}; conns=${3:-16}; warm=${4:-60}
command -v wrk >/dev/null || { echo "needs wrk: apt-get install -y wrk" >&2; exit 2; }
command -v taskset >/dev/null || { echo "needs taskset (util-linux)" >&2; exit 2; }
[ "$(nproc)" -ge 2 ] || { echo "needs 2 CPUs: one for the servers, one for wrk" >&2; exit 2; }

echo "building (mvn -Pbenchmarks -pl benchmarks -am package)…" >&2
mvn -B -q -Pbenchmarks -pl benchmarks -am -DskipTests package >&2
cp="benchmarks/target/classes:$(cat benchmarks/target/run.classpath)"
agent=benchmarks/target/agent/opentelemetry-javaagent.jar

work=$(mktemp -d)
# Servers and sinks start inside $(…) subshells: their PIDs are kept in files, not in a variable.
trap 'for f in "$work"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done; sleep 0.5; rm -rf "$work"' EXIT
wait_port() { # file → port
  for _ in $(seq 1 600); do grep -q LISTENING "$1" 2>/dev/null && break; sleep 0.1; done
  grep -o 'LISTENING [0-9]*' "$1" | awk '{print $2}' | head -1
}
sink() { # name
  taskset -c 1 java -Xmx128m -XX:TieredStopAtLevel=1 -cp "$cp" dev.lookout.benchmarks.load.OtlpSink "$work/$1.counts" \
    >/dev/null 2>"$work/$1.err" &
  echo $! >"$work/$1.pid"; wait_port "$work/$1.err"
}
server() { # name variant [env…] [-- jvm args…]
  local name=$1 variant=$2; shift 2
  local envs=() jvm=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
  [ $# -gt 0 ] && shift && jvm=("$@")
  env "${envs[@]}" taskset -c 0 java -Xmx512m "${jvm[@]}" -cp "$cp" dev.lookout.benchmarks.load.LoadServer "$variant" 0 \
    >"$work/$name.out" 2>"$work/$name.err" &
  echo $! >"$work/$name.pid"; wait_port "$work/$name.err"
}
traced_bytes() { awk '$1=="/v1/traces" {print $3}' "$work/$1.counts" 2>/dev/null || echo 0; }

sink_lookout=$(sink sink-lookout)
sink_agent=$(sink sink-agent)
declare -A port
port[bare]=$(server bare bare)
port[lookout]=$(server lookout lookout \
  OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$sink_lookout" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf \
  OTEL_TRACES_SAMPLER=always_on OTEL_SERVICE_NAME=load-lookout \
  -- -Dlog4j2.configurationFile=log4j2-lookout.xml)
port[agent]=$(server agent bare \
  OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$sink_agent" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf \
  OTEL_TRACES_SAMPLER=always_on OTEL_SERVICE_NAME=load-agent OTEL_METRICS_EXPORTER=otlp \
  -- "-javaagent:$agent")
declare -A pid
for v in bare lookout agent; do
  pid[$v]=$(cat "$work/$v.pid")
  [ -n "${port[$v]}" ] || { echo "variant $v did not start:"; cat "$work/$v.err"; exit 1; }
  body=$(curl -sf "http://127.0.0.1:${port[$v]}/hello") || { echo "variant $v does not answer"; exit 1; }
done
echo "response body: ${#body} bytes" >&2

variants="bare lookout agent"
# Warm-up: a JVM pinned to one busy CPU takes minutes to finish compiling its hot code, longer the
# more code it runs (Lookout, the agent). So each server gets both CPUs while it warms up, then is
# pinned back to CPU 0 (all its threads) and warmed a little more before anything is measured.
echo "warm-up: $warm s each on both CPUs, then 15 s pinned" >&2
for v in $variants; do
  taskset -a -p -c 0,1 "${pid[$v]}" >/dev/null
  taskset -c 1 wrk -t1 -c"$conns" -d"${warm}s" "http://127.0.0.1:${port[$v]}/hello" >/dev/null
  taskset -a -p -c 0 "${pid[$v]}" >/dev/null
  taskset -c 1 wrk -t1 -c"$conns" -d15s "http://127.0.0.1:${port[$v]}/hello" >/dev/null
done

to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; printf "%.3f", v}'; }
declare -A rps p99 exported requests
jit_ticks() { local t=0; for d in /proc/"$1"/task/*; do grep -q Compiler "$d/comm" && t=$((t + $(awk '{print $14+$15}' "$d/stat"))); done; echo $t; }
declare -A jit0
for v in $variants; do jit0[$v]=$(jit_ticks "${pid[$v]}"); done
sleep 6 # what the warm-up exported has arrived: the span bytes below are the rounds' own
start_l=$(traced_bytes sink-lookout); start_a=$(traced_bytes sink-agent)
printf '%-8s %-5s %10s %9s\n' variant round 'req/s' 'p99 ms' >&2
for r in $(seq 1 "$rounds"); do
  for v in $variants; do
    out=$(taskset -c 1 wrk -t1 -c"$conns" -d"${secs}s" --latency "http://127.0.0.1:${port[$v]}/hello")
    n=$(echo "$out" | awk '/requests in/ {print $1}')
    x=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    l=$(echo "$out" | awk '$1=="99%" {print $2}' | to_ms)
    errors=$(echo "$out" | awk '/Non-2xx|Socket errors/' || true)
    [ -z "$errors" ] || echo "  $v: $errors" >&2
    printf '%-8s %-5s %10s %9s\n' "$v" "$r" "$x" "$l" >&2
    rps[$v]="${rps[$v]:-} $x"; p99[$v]="${p99[$v]:-} $l"; requests[$v]=$(( ${requests[$v]:-0} + n ))
  done
done
for v in $variants; do
  echo "JIT compiler threads during the rounds, $v: $(( ($(jit_ticks "${pid[$v]}") - ${jit0[$v]}) * 10 )) ms of CPU" >&2
done
sleep 6 # the batch span processors' last scheduled export (5 s)
exported[lookout]=$(( $(traced_bytes sink-lookout) - start_l )); exported[agent]=$(( $(traced_bytes sink-agent) - start_a ))

med() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mb=$(echo ${rps[bare]} | med); ma=$(echo ${rps[agent]} | med)
echo
echo "wrk -t1 -c$conns, $rounds rounds × ${secs} s, $(nproc) CPUs, $(java -version 2>&1 | head -1)"
printf '| %-38s | %12s | %10s | %11s | %13s |\n' variant 'median req/s' 'median p99' 'ratio to bare' 'span bytes/req'
printf '|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..40})" "$(printf -- '-%.0s' {1..14})" "$(printf -- '-%.0s' {1..12})" "$(printf -- '-%.0s' {1..13})" "$(printf -- '-%.0s' {1..15})"
for v in $variants; do
  m=$(echo ${rps[$v]} | med); p=$(echo ${p99[$v]} | med)
  case $v in
    bare) label="bare servlet (no Lookout)"; per="—" ;;
    lookout) label="Lookout (IDs, metrics, spans→OTLP, JSON log)"; per=$(awk "BEGIN {printf \"%.0f\", ${exported[lookout]}/${requests[lookout]}}") ;;
    agent) label="OpenTelemetry Java agent (spans→OTLP)"; per=$(awk "BEGIN {printf \"%.0f\", ${exported[agent]}/${requests[agent]}}") ;;
  esac
  printf '| %-38s | %12.0f | %8s ms | %13.3f | %15s |\n' "$label" "$m" "$p" "$(awk "BEGIN {print $m/$mb}")" "$per"
done
ml=$(echo ${rps[lookout]} | med)
echo
echo "Lookout / bare = $(awk "BEGIN {printf \"%.3f\", $ml/$mb}") (goal ≥ 0.93); Lookout / agent = $(awk "BEGIN {printf \"%.2f\", $ml/$ma}") (goal ≥ 1.3)"
echo "server CPU per request over bare: Lookout $(awk "BEGIN {printf \"%.2f\", 1e6/$ml - 1e6/$mb}") µs, agent $(awk "BEGIN {printf \"%.2f\", 1e6/$ma - 1e6/$mb}") µs"
echo "access-log lines written by Lookout: $(grep -c '"request_completed"' "$work/lookout.out" || true) for ${requests[lookout]} requests"

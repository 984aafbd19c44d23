#!/usr/bin/env bash
# Startup cost (benchmarks issue): time from launching the JVM to the first 200, and the threads the
# process has once it served requests and probes, with and without Lookout — run alternately, medians.
#   example        the example WAR (orders API, Jersey, H2) in embedded Jetty, GET /api/orders
#   example-off    the same WAR with LOOKOUT_ENABLED=false (Lookout's jars present, nothing started)
#   bare / lookout the load-test app (GET /hello) without Lookout at all, and with Lookout's defaults
#   lookout-otlp   the load-test app with Lookout exporting spans by OTLP to a sink on loopback
# Usage: benchmarks/startup.sh [runs=5]
# Environment: VARIANTS (default: all five, in this order), JAVA_OPTS (extra JVM options for every
# variant, e.g. "-XX:TieredStopAtLevel=1" or "-Xlog:class+load:file=/tmp/cl-%p.log").
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
echo "building (mvn -Dmaven.test.skip=true -Pbenchmarks package -pl jetty-it,benchmarks -am)…" >&2
mvn -B -q -Dmaven.test.skip=true -Pbenchmarks -pl jetty-it,benchmarks -am package >&2
war=jetty-it/target/wars/lookout-example.war
example_cp="jetty-it/target/classes:$(cat jetty-it/target/launcher.classpath)"
load_cp="benchmarks/target/classes:$(cat benchmarks/target/run.classpath)"
sink_cp="benchmarks/target/classes:$(cat benchmarks/target/sink.classpath)"
work=$(mktemp -d); pids=()
# servers start in the subshells of measure(): their PIDs are kept in a file, for this trap too
trap 'for p in "${pids[@]:-}" $(cat "$work/servers" 2>/dev/null); do kill "$p" 2>/dev/null || true; done; sleep 0.5; rm -rf "$work"' EXIT
hz=$(getconf CLK_TCK)

variants=${VARIANTS:-example example-off bare lookout lookout-otlp}
sink=
if [[ " $variants " == *" lookout-otlp "* ]]; then
  java -Xmx64m -cp "$sink_cp" dev.lookout.benchmarks.load.OtlpSink "$work/sink.counts" >/dev/null 2>"$work/sink.err" &
  pids+=($!)
  for _ in $(seq 1 100); do grep -q LISTENING "$work/sink.err" 2>/dev/null && break; sleep 0.1; done
  sink=$(awk '/LISTENING/ {print $2}' "$work/sink.err")
fi

# one measurement: prints "<ms to first 200> <threads> <threads after the probes> <ms from LISTENING to the
# first 200: the first request, and the polling's wait for it> <CPU ms until the first 200>" and the thread names to $work/<variant>.threads
measure() {
  local variant=$1 port= path cmd=() envs=() jvm=(-Xmx512m)
  read -r -a extra <<<"${JAVA_OPTS:-}"
  jvm+=("${extra[@]}")
  case $variant in
    example) path=/api/orders; cmd=(java "${jvm[@]}" -cp "$example_cp" dev.lookout.it.ExampleServer "$war" 0) ;;
    example-off) path=/api/orders; envs=(LOOKOUT_ENABLED=false); cmd=(java "${jvm[@]}" -cp "$example_cp" dev.lookout.it.ExampleServer "$war" 0) ;;
    bare) path=/hello; cmd=(java "${jvm[@]}" -cp "$load_cp" dev.lookout.benchmarks.load.LoadServer bare 0) ;;
    lookout) path=/hello; cmd=(java "${jvm[@]}" -cp "$load_cp" dev.lookout.benchmarks.load.LoadServer lookout 0) ;;
    lookout-otlp) path=/hello; envs=(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$sink")
      cmd=(java "${jvm[@]}" -cp "$load_cp" dev.lookout.benchmarks.load.LoadServer lookout 0) ;;
    *) echo "a variant is example, example-off, bare, lookout or lookout-otlp, not '$variant'" >&2; exit 2 ;;
  esac
  local t0 tl t1 pid code cpu
  t0=$(date +%s%N)
  env "${envs[@]}" "${cmd[@]}" >"$work/$variant.out" 2>&1 &
  pid=$!
  echo "$pid" >>"$work/servers"
  # both launchers bind port 0 and print "LISTENING <port>" once the server is up (plain, or in a JSON log line)
  while :; do
    if [ -z "$port" ]; then
      port=$(grep -o 'LISTENING [0-9]*' "$work/$variant.out" 2>/dev/null | awk '{print $2; exit}' || true)
      [ -n "$port" ] || { kill -0 "$pid" 2>/dev/null || { echo "$variant exited:" >&2; tail -20 "$work/$variant.out" >&2; exit 1; }; sleep 0.005; continue; }
      tl=$(date +%s%N)
    fi
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port$path" || true)
    [ "$code" = 200 ] && break
    kill -0 "$pid" 2>/dev/null || { echo "$variant exited:" >&2; tail -20 "$work/$variant.out" >&2; exit 1; }
    (( ($(date +%s%N) - t0) < 120000000000 )) || { echo "$variant: no 200 within 120 s" >&2; kill "$pid"; exit 1; }
    sleep 0.005
  done
  t1=$(date +%s%N)
  # CPU time the process used until then (all threads; utime + stime): on a busy machine far steadier than
  # the wall time, and what a one-CPU pod would wait for at least
  cpu=$(sed 's/^.*) //' "/proc/$pid/stat" | awk -v hz="$hz" '{print int(($12 + $13) * 1000 / hz)}')
  # what a running service sees: some traffic, the probes, a scrape
  for _ in $(seq 1 20); do curl -s -o /dev/null "http://127.0.0.1:$port$path"; done
  curl -s -o /dev/null "http://127.0.0.1:$port/metrics"
  sleep 2 # an exporter's first batch (otel.bsp.schedule.delay is 1 s here) has gone out
  local threads probed
  threads=$(ls "/proc/$pid/task" | wc -l)
  for t in /proc/"$pid"/task/*; do cat "$t/comm" 2>/dev/null || true; done | sed -E 's/[-#]?[0-9]+$//; s/-[0-9]+-/-N-/' | sort | uniq -c >"$work/$variant.threads"
  # Kubernetes' probes: the health checks run on threads that end after 30 s without probes
  for p in /health/live /health/ready /health/started; do curl -s -o /dev/null "http://127.0.0.1:$port$p"; done
  probed=$(ls "/proc/$pid/task" | wc -l)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$(( (t1 - t0) / 1000000 )) $threads $probed $(( (t1 - tl) / 1000000 )) $cpu"
}

declare -A ms th pr fr cp
export OTEL_BSP_SCHEDULE_DELAY=1000
for r in $(seq 1 "$runs"); do
  for v in $variants; do
    read -r m t q f c < <(measure "$v")
    printf '%-13s run %d: %5d ms to the first 200 (%4d ms after LISTENING), %5d ms CPU, %3d threads, %3d after the probes\n' "$v" "$r" "$m" "$f" "$c" "$t" "$q" >&2
    ms[$v]="${ms[$v]:-} $m"; th[$v]="${th[$v]:-} $t"; pr[$v]="${pr[$v]:-} $q"; fr[$v]="${fr[$v]:-} $f"; cp[$v]="${cp[$v]:-} $c"
  done
done
med() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo
echo "$runs runs each, alternating; $(nproc) CPUs; $(java -version 2>&1 | head -1)"
printf '| %-13s | %22s | %24s | %20s | %14s | %22s |\n' variant 'median ms to first 200' 'of which after LISTENING' 'CPU ms to first 200' 'median threads' 'threads after 3 probes'
printf '|%s|%s|%s|%s|%s|%s|\n' "---------------" "------------------------" "--------------------------" "----------------------" "----------------" "------------------------"
for v in $variants; do
  printf '| %-13s | %22s | %24s | %20s | %14s | %22s |\n' "$v" "$(echo ${ms[$v]} | med)" "$(echo ${fr[$v]} | med)" "$(echo ${cp[$v]} | med)" "$(echo ${th[$v]} | med)" "$(echo ${pr[$v]} | med)"
done
echo
d() { echo $(( $(echo ${ms[$1]} | med) - $(echo ${ms[$2]} | med) )) ms, $(( $(echo ${cp[$1]} | med) - $(echo ${cp[$2]} | med) )) ms CPU, $(( $(echo ${th[$1]} | med) - $(echo ${th[$2]} | med) )) threads; }
ran() { [ -n "${ms[$1]:-}" ] && [ -n "${ms[$2]:-}" ]; }
# a spread to read the medians against: each variant's fastest and slowest run
for v in $variants; do
  echo "$v: $(echo ${ms[$v]} | tr ' ' '\n' | grep -v '^$' | sort -g | tr '\n' ' ')ms; CPU $(echo ${cp[$v]} | tr ' ' '\n' | grep -v '^$' | sort -g | tr '\n' ' ')ms"
done
if ran example example-off; then echo "Lookout in the example (on − off): $(d example example-off)   (goals: ≤ +300 ms, ≤ 2 threads)"; fi
if ran lookout bare; then echo "Lookout in the small app (lookout − bare): $(d lookout bare)"; fi
if ran lookout-otlp bare; then echo "with OTLP export (lookout-otlp − bare): $(d lookout-otlp bare)"; fi
echo
echo "threads by name (count name) before the probes, last run: what differs"
threads_diff() { # from to
  ran "$1" "$2" || return 0
  echo "  $1 → $2:"
  { diff "$work/$1.threads" "$work/$2.threads" || true; } | { grep '^[<>]' || true; } | sed 's/^/    /'
}
threads_diff example-off example
threads_diff bare lookout
threads_diff bare lookout-otlp

#!/usr/bin/env bash
# A CPU flame graph of one load-test server under load: async-profiler (the tools.profiler:async-profiler
# jar from Maven Central, which carries the native agent) is attached to the warmed-up server, pinned to
# CPU 0 as in load-test.sh, while wrk loads it; the interactive HTML flame graph is written to
# docs/flamegraphs/<variant>-<label>.html, and a table of where the CPU went (by the owner of each
# sample's leaf-most frame, background threads by what they do) is printed as Markdown.
#
# Usage: benchmarks/flamegraph.sh [variant=lookout] [label=current] [seconds=30] [warm-up seconds=60] [load=full] [connections=16]
#   variant  lookout (spans → OTLP, as in load-test.sh), lookout-okhttp (the same, OkHttp sender), lookout-defaults (no exporter), bare, agent
#   load     full, or a think time in ms per connection (see load-test.sh)
# Environment: EVENT=cpu (async-profiler's event: cpu, itimer, wall, alloc), INTERVAL=1ms (512k for alloc).
set -euo pipefail
cd "$(dirname "$0")/.."
variant=${1:-lookout}; label=${2:-current}; secs=${3:-30}; warm=${4:-60}; load=${5:-full}; conns=${6:-16}
event=${EVENT:-cpu}; interval=${INTERVAL:-$([ "$event" = alloc ] && echo 512k || echo 1ms)}
[[ $label =~ ^[A-Za-z0-9._-]+$ ]] || { echo "a label is letters, digits, '.', '_' or '-', not '$label'" >&2; exit 2; }
case $variant in bare|lookout|lookout-okhttp|lookout-defaults|agent) ;; *) echo "a variant is bare, lookout, lookout-okhttp, lookout-defaults or agent, not '$variant'" >&2; exit 2 ;; esac
[[ $load == full || $load =~ ^[0-9]+$ ]] || { echo "a load is 'full' or a think time in ms, not '$load'" >&2; exit 2; }
command -v jcmd >/dev/null || { echo "needs jcmd (a JDK, not a JRE)" >&2; exit 2; }
. benchmarks/load-lib.sh

profiler=benchmarks/target/async-profiler
unzip -o -q benchmarks/target/agent/async-profiler.jar 'linux-x64/*' -d "$profiler"
lib=$PWD/$profiler/linux-x64/libasyncProfiler.so
profile() { # pid action: async-profiler's agent loaded again takes the next command, as its own launcher does
  jcmd "$1" JVMTI.agent_load "$lib" "\"$2\"" >"$work/jcmd.out" 2>&1 \
    && grep -q 'return code: 0' "$work/jcmd.out" \
    || { echo "async-profiler: '$2' failed:" >&2; cat "$work/jcmd.out" >&2; exit 1; }
}

sink_port=
case $variant in lookout|lookout-okhttp|agent) sink_port=$(sink sink) ;; esac
port=$(start_variant "$variant" "$sink_port")
pid=$(cat "$work/$variant.pid")
[ -n "$port" ] || { echo "variant $variant did not start:"; cat "$work/$variant.err"; exit 1; }
curl -sf -o /dev/null "http://127.0.0.1:$port/hello" || { echo "variant $variant does not answer"; exit 1; }
mapfile -t wrk_opts < <(pace_opts "$load")

echo "warm-up: $warm s on both CPUs, then pinned" >&2
warm_up "$pid" "$port" "$conns" "$warm"
out=docs/flamegraphs/$variant-$label.html
mkdir -p docs/flamegraphs
load_desc=$([ "$load" = full ] && echo "full load" || echo "paced: $load ms think time")
title="$variant under load ($load_desc; wrk -c$conns) $secs s event=$event $(date -u +%Y-%m-%d)"
echo "profiling $secs s (event=$event, interval=$interval)…" >&2
read -r mb0 mt0 < <(machine_ticks); times >"$work/times"; own0=$(own_ticks "$work/times")
profile "$pid" "start,event=$event,interval=$interval"
result=$(taskset -c 1 wrk -t1 -c"$conns" -d"${secs}s" --latency "${wrk_opts[@]}" "http://127.0.0.1:$port/hello")
read -r mb1 mt1 < <(machine_ticks); times >"$work/times"; own1=$(own_ticks "$work/times")
other=$(( (mb1 - mb0 - (own1 - own0)) * 100 / (mt1 - mt0) ))
profile "$pid" "stop,file=$PWD/$out,title=$title"
# the same samples as collapsed stacks, for the table below
profile "$pid" "dump,file=$work/stacks.collapsed"
cp "$work/stacks.collapsed" "benchmarks/target/$variant-$label.collapsed"

echo
echo "$title; $(echo "$result" | awk '/Requests\/sec/ {printf "%.0f req/s", $2}'); $(describe_machine)"
echo "flame graph: $out (collapsed stacks: benchmarks/target/$variant-$label.collapsed)"
echo "other work on the machine meanwhile: $other % of all CPUs' time$([ "$other" -le 10 ] || echo ": the machine was shared, so req/s is not a result (the shares below suffer less)")"
echo
echo "| share of the server's $(awk '{n += $NF} END {print n}' "$work/stacks.collapsed") $event samples | what |"
echo "|---|---|"
# Background threads are recognised by their root frames, request threads by the owner of the
# leaf-most frame that belongs to a known library (JDK and kernel frames count for their caller).
awk '
  {
    n = $NF; sub(/ [0-9]+$/, ""); total += n
    stack = $0
    if (stack ~ /CompileBroker::|C2Compiler::|Compiler::compile/) { what = "JIT compiler threads" }
    else if (stack ~ /GCTaskThread|ConcurrentGCThread|WorkerThread::run|G1[A-Za-z]*Thread|VM_G1|VMThread::/) { what = "GC and VM threads" }
    else if (stack ~ /BatchSpanProcessor\$Worker|jdk\/internal\/net\/http\/|okhttp3\//) { what = "span export (batch processor, OTLP marshalling, HTTP sender)" }
    else if (stack ~ /PeriodicMetricReader|MetricReader/) { what = "metrics export (agent)" }
    else {
      k = split(stack, f, ";"); what = "JDK, VM and kernel (no library frame)"
      for (i = k; i >= 1; i--) {
        if (f[i] ~ /^dev\/lookout\/benchmarks\//) { what = "the application (the servlet)"; break }
        if (f[i] ~ /^dev\/lookout\//) { what = "Lookout"; break }
        if (f[i] ~ /^io\/opentelemetry\/javaagent\/|^io\/opentelemetry\/instrumentation\//) { what = "the OpenTelemetry agent (request path)"; break }
        if (f[i] ~ /io\/opentelemetry\//) { what = "the OpenTelemetry SDK and API (request path)"; break }
        if (f[i] ~ /^org\/apache\/logging\//) { what = "Log4j2 (request path)"; break }
        if (f[i] ~ /^io\/prometheus\//) { what = "prometheus-metrics"; break }
        if (f[i] ~ /^org\/eclipse\/jetty\//) { what = "Jetty (with the kernel'"'"'s socket I/O below it)"; break }
      }
    }
    share[what] += n
  }
  END {
    for (w in share) printf "%.1f\t%s\n", 100 * share[w] / total, w
  }' "$work/stacks.collapsed" | sort -rn | awk -F'\t' '{printf "| %s %% | %s |\n", $1, $2}'

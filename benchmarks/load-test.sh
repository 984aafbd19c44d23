#!/usr/bin/env bash
# Load comparison: the same small GET (~100 bytes) on embedded Jetty 12, as
#   bare    the servlet alone, no Lookout — the limit;
#   lookout Lookout's full stack: request IDs, metrics, a SERVER span for every request exported by
#           OTLP/HTTP to a sink on loopback, the access log at its default sampling written to a file
#           through the JSON template layout (log4j2-lookout.xml, stdout redirected to a file);
#   agent   the bare app under the OpenTelemetry Java agent 2.33.1: every span sampled and exported by
#           OTLP/HTTP to an identical sink, its metrics on (OTLP, default interval).
# All variants run at once, the server JVMs pinned to CPU 0 and wrk + sinks to CPU 1; after a warm-up the
# variants are loaded in turn, A B C A B C …, and the tables show medians over the rounds.
#
# Nothing is taken on trust: each sink decodes the OTLP it receives and counts the SERVER spans, and the
# servers' logs are read for the batch span processor's own "dropped … because the queue is full" count.
# A load at which any variant loses spans is reported as such, because a variant that drops spans skips
# most of its export work and looks cheaper than it is. Server CPU per request is the process's CPU time
# (/proc/<pid>/stat utime + stime, every thread: request threads, exporter, GC, JIT) divided by the
# requests wrk completed: far less sensitive than req/s to how the two CPUs are shared.
#
# Usage: benchmarks/load-test.sh [rounds=5] [seconds=10] [connections=16] [warm-up seconds=60] [loads="full 3"]
#   loads  one table per entry: "full" is as fast as wrk goes; a number N is a paced load, each connection
#          waiting N ms after every response before its next request (wrk's Lua delay()), the same for
#          every variant, so that no exporter has to drop.
# Environment:
#   VARIANTS  default "bare lookout agent"; "lookout-defaults" adds Lookout without an exporter, as
#             installed with no OpenTelemetry setting; "lookout-okhttp" adds Lookout exporting through
#             OpenTelemetry's OkHttp sender (the agent's) instead of the JDK HttpClient one it ships. Bare comes first: the others are compared to it.
#   OTEL_BSP_* reach both exporting variants alike (e.g. OTEL_BSP_MAX_QUEUE_SIZE=65536 sizes both queues
#             the same; unset, each SDK uses its default), and the tables say which were set.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}; secs=${2:-10}; conns=${3:-16}; warm=${4:-60}; loads=${5:-full 3}
variants=${VARIANTS:-bare lookout agent}
[[ $variants == bare\ * ]] || { echo "VARIANTS starts with bare (the others are compared to it), not '$variants'" >&2; exit 2; }
exporting=$(for v in $variants; do case $v in lookout|lookout-okhttp|agent) echo "$v" ;; esac; done)
for l in $loads; do [[ $l == full || $l =~ ^[0-9]+$ ]] || { echo "a load is 'full' or a think time in ms, not '$l'" >&2; exit 2; }; done
. benchmarks/load-lib.sh

jit_ticks() { # CPU of the live JIT compiler threads
  local t=0 d
  for d in /proc/"$1"/task/*; do
    grep -q Compiler "$d/comm" 2>/dev/null && t=$((t + $(sed 's/^.*) //' "$d/stat" | awk '{print $12 + $13}')))
  done
  echo $t
}
# the sink's /v1/traces line: exports bytes spans server-spans undecodable ms-since-last-export
trace_field() { awk -v f="$2" '$1=="/v1/traces" {print $f}' "$work/$1.counts" 2>/dev/null || echo 0; }
# The server's output (stdout and stderr) written since the offsets "<out bytes> <err bytes>".
output_since() {
  local offsets=($2)
  tail -c +$(( offsets[0] + 1 )) "$work/$1.out"; tail -c +$(( offsets[1] + 1 )) "$work/$1.err"
}
output_offsets() { echo "$(wc -c <"$work/$1.out") $(wc -c <"$work/$1.err")"; }
# Both SDKs log "BatchSpanProcessor dropped N span(s) since the last export because the queue is full".
dropped_since() { output_since "$1" "$2" | { grep -o 'BatchSpanProcessor dropped [0-9]*' || true; } | awk '{n += $3} END {print n + 0}'; }
export_failures_since() { output_since "$1" "$2" | grep -c 'Failed to export\|Exporter failed\|Exporter threw' || true; }
# Waits until neither sink has received a trace export for longer than the batch span processor's
# schedule delay: every span made so far has then been exported or dropped.
quiet_ms=$(( ${OTEL_BSP_SCHEDULE_DELAY:-5000} + 1500 ))
wait_quiet() {
  local s last ok
  for _ in $(seq 1 300); do
    ok=1
    for s in $exporting; do
      last=$(trace_field "sink-$s" 7)
      [ "$last" = -1 ] || [ "$last" -ge "$quiet_ms" ] || ok=0
    done
    [ $ok = 1 ] && return 0
    sleep 0.5
  done
  echo "the sinks still receive spans after 150 s; counting anyway" >&2
}

declare -A port pid
for v in $variants; do
  case $v in
    lookout|lookout-okhttp|agent) port[$v]=$(start_variant "$v" "$(sink "sink-$v")") ;;
    *) port[$v]=$(start_variant "$v") ;;
  esac
  pid[$v]=$(cat "$work/$v.pid")
  [ -n "${port[$v]}" ] || { echo "variant $v did not start:"; cat "$work/$v.err"; exit 1; }
  body=$(curl -sf "http://127.0.0.1:${port[$v]}/hello") || { echo "variant $v does not answer"; exit 1; }
done
echo "response body: ${#body} bytes" >&2

load_avg_start=$(cut -d' ' -f1-3 /proc/loadavg)
pinned=$(( warm < 15 ? warm : 15 ))
echo "warm-up: $warm s each on both CPUs, then $pinned s pinned" >&2
for v in $variants; do warm_up "${pid[$v]}" "${port[$v]}" "$conns" "$warm"; done

to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; printf "%.3f", v}'; }
med() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2] + a[NR/2+1]) / 2}'; }
div() { awk -v a="$1" -v b="$2" -v f="${3:-%.2f}" 'BEGIN {if (b == 0) print "—"; else printf f, a / b}'; }
# per (load,variant): per-round lists, and totals over the load's rounds
declare -A rps p99 cpu_us cpu_over requests errors cpu_total jit spans spans_all dropped failures undecod other

for load in $loads; do
  mapfile -t wrk_opts < <(pace_opts "$load")
  wait_quiet
  declare -A c0 j0 s0 a0 u0 o0
  for v in $variants; do
    c0[$v]=$(cpu_ticks "${pid[$v]}"); j0[$v]=$(jit_ticks "${pid[$v]}"); o0[$v]=$(output_offsets "$v")
  done
  for s in $exporting; do
    s0[$s]=$(trace_field "sink-$s" 5); a0[$s]=$(trace_field "sink-$s" 4); u0[$s]=$(trace_field "sink-$s" 6)
  done
  read -r mb0 mt0 < <(machine_ticks); times >"$work/times"; own0=$(own_ticks "$work/times")
  echo "load: $load" >&2
  printf '%-16s %-5s %10s %9s %12s\n' variant round 'req/s' 'p99 ms' 'CPU µs/req' >&2
  for r in $(seq 1 "$rounds"); do
    for v in $variants; do
      t0=$(cpu_ticks "${pid[$v]}")
      out=$(taskset -c 1 wrk -t1 -c"$conns" -d"${secs}s" --latency "${wrk_opts[@]}" "http://127.0.0.1:${port[$v]}/hello")
      t1=$(cpu_ticks "${pid[$v]}")
      n=$(echo "$out" | awk '/requests in/ {print $1}')
      x=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
      l=$(echo "$out" | awk '$1=="99%" {print $2}' | to_ms)
      c=$(div "$(( (t1 - t0) * 1000000 / hz ))" "$n")
      e=$(echo "$out" | awk '/Non-2xx|Socket errors/' || true)
      [ -z "$e" ] || { echo "  $v: $e" >&2; errors[$load,$v]="${errors[$load,$v]:-} round $r: $e"; }
      printf '%-16s %-5s %10s %9s %12s\n' "$v" "$r" "$x" "$l" "$c" >&2
      rps[$load,$v]="${rps[$load,$v]:-} $x"; p99[$load,$v]="${p99[$load,$v]:-} $l"; cpu_us[$load,$v]="${cpu_us[$load,$v]:-} $c"
      # the round's difference to bare, measured seconds before: drift of the machine cancels out
      [ "$v" = bare ] && cb_round=$c || cpu_over[$load,$v]="${cpu_over[$load,$v]:-} $(awk -v a="$c" -v b="$cb_round" 'BEGIN {printf "%.2f", a - b}')"
      requests[$load,$v]=$(( ${requests[$load,$v]:-0} + n ))
    done
  done
  for v in $variants; do jit[$load,$v]=$(( ($(jit_ticks "${pid[$v]}") - ${j0[$v]}) * 1000 / hz )); done
  read -r mb1 mt1 < <(machine_ticks); times >"$work/times"; own1=$(own_ticks "$work/times")
  other[$load]=$(div "$(( (mb1 - mb0 - (own1 - own0)) * 100 ))" "$(( mt1 - mt0 ))" %.0f)
  wait_quiet # the rounds' last spans have been exported (or dropped)
  for v in $variants; do
    cpu_total[$load,$v]=$(div "$(( ($(cpu_ticks "${pid[$v]}") - ${c0[$v]}) * 1000000 / hz ))" "${requests[$load,$v]}")
  done
  for s in $exporting; do
    spans[$load,$s]=$(( $(trace_field "sink-$s" 5) - ${s0[$s]} ))
    spans_all[$load,$s]=$(( $(trace_field "sink-$s" 4) - ${a0[$s]} ))
    undecod[$load,$s]=$(( $(trace_field "sink-$s" 6) - ${u0[$s]} ))
    dropped[$load,$s]=$(dropped_since "$s" "${o0[$s]}")
    failures[$load,$s]=$(export_failures_since "$s" "${o0[$s]}")
  done
done
load_avg_end=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "## Load test, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "Machine: $(describe_machine); load average $load_avg_start at the start, $load_avg_end at the end."
echo "wrk -t1 -c$conns, $rounds rounds × $secs s per load, variants interleaved, medians; warm-up $warm s on both CPUs + $pinned s pinned each."
bsp=$(env | grep '^OTEL_BSP_' | sort | paste -sd' ' || true)
[ -n "$bsp" ] || bsp="each SDK's defaults (no OTEL_BSP_* set)"
echo "Batch span processors: $bsp, the same environment for Lookout and the agent."
for load in $loads; do
  echo
  if [ "$load" = full ]; then echo "### Full load (no think time)"; else echo "### Paced: $load ms think time per connection"; fi
  echo
  echo "Other work on the machine during these rounds: ${other[$load]} % of all CPUs' time."
  [ "${other[$load]}" = "—" ] || [ "${other[$load]}" -le 10 ] \
    || echo "**That is more than 10 %: the machine was shared, these figures are not results.**"
  echo
  echo "| variant | median req/s | median p99 | server CPU µs/req (median) | over bare (median of rounds) | CPU µs/req, whole load | JIT CPU ms | SERVER spans received / req | dropped (SDK's count) | delivery |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  lost_any=
  for v in $variants; do
    m=$(echo ${rps[$load,$v]} | med); p=$(echo ${p99[$load,$v]} | med); c=$(echo ${cpu_us[$load,$v]} | med)
    over=$([ "$v" = bare ] && echo "—" || echo ${cpu_over[$load,$v]} | med | awk '{printf "%+.2f", $1}')
    case $v in
      bare) label="bare servlet (no Lookout)"; per="—"; drop="—"; deliv="—" ;;
      lookout-defaults) label="Lookout, defaults (no exporter: spans made, none sent)"; per="—"; drop="—"; deliv="—" ;;
      lookout|lookout-okhttp|agent)
        case $v in
          lookout) label="Lookout (IDs, metrics, spans→OTLP, JSON log)" ;;
          lookout-okhttp) label="Lookout, the same with the OkHttp sender" ;;
          agent) label="OpenTelemetry Java agent (spans→OTLP)" ;;
        esac
        per=$(div "${spans[$load,$v]}" "${requests[$load,$v]}" %.3f)
        drop=${dropped[$load,$v]}
        lost=$(( ${requests[$load,$v]} - ${spans[$load,$v]} ))
        if [ "$drop" -gt 0 ] || [ "$lost" -gt 0 ] || [ "${failures[$load,$v]}" -gt 0 ] || [ "${undecod[$load,$v]}" -gt 0 ]; then
          deliv="**LOST $(( lost > drop ? lost : drop ))** ($(div "$(( (lost > drop ? lost : drop) * 100 ))" "${requests[$load,$v]}" %.1f) %)"
          lost_any="$lost_any $v"
        else
          deliv="every span"
        fi
        [ "${failures[$load,$v]}" -gt 0 ] && deliv="$deliv, ${failures[$load,$v]} failed exports"
        [ "${undecod[$load,$v]}" -gt 0 ] && deliv="$deliv, ${undecod[$load,$v]} undecodable exports"
        [ "${spans_all[$load,$v]}" -ne "${spans[$load,$v]}" ] && per="$per ($(div "${spans_all[$load,$v]}" "${requests[$load,$v]}" %.3f) all kinds)"
        ;;
    esac
    printf '| %s | %.0f | %s ms | %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$m" "$p" "$c" "$over" \
      "${cpu_total[$load,$v]}" "${jit[$load,$v]}" "$per" "$drop" "$deliv"
    [ -z "${errors[$load,$v]:-}" ] || echo "| ↳ wrk errors |${errors[$load,$v]} | | | | | | | | |"
  done
  has() { [[ " $variants " == *" $1 "* ]]; }
  mb=$(echo ${rps[$load,bare]} | med)
  echo
  if has lookout && has agent; then
    ol=$(echo ${cpu_over[$load,lookout]} | med); oa=$(echo ${cpu_over[$load,agent]} | med)
    ml=$(echo ${rps[$load,lookout]} | med); ma=$(echo ${rps[$load,agent]} | med)
    ratio=$(awk -v l="$ol" -v a="$oa" 'BEGIN {if (a <= 0) print "—"; else printf "%.2f", l / a}')
    if [ -n "$lost_any" ]; then
      echo "**Not an equal-work comparison: spans were lost by$lost_any.** A variant that drops spans skips their export; its CPU per request is not comparable. Compare at a paced load."
    else
      echo "Every span delivered by both: Lookout's server CPU over bare / the agent's = $ratio (goal ≤ 0.5)."
    fi
    echo "Throughput: Lookout / bare = $(div "$ml" "$mb" %.3f), Lookout / agent = $(div "$ml" "$ma" %.2f)$([ "$load" = full ] && echo " (goal ≥ 1.3 with every Lookout span delivered)")."
  elif [ -n "$lost_any" ]; then
    echo "**Spans were lost by$lost_any.**"
  fi
  if has lookout-okhttp; then
    echo "Sender: Lookout with OkHttp over bare $(echo ${cpu_over[$load,lookout-okhttp]} | med) µs of server CPU per request, with the JDK sender $(echo ${cpu_over[$load,lookout]:-} | med) µs; JIT CPU ${jit[$load,lookout-okhttp]} ms against ${jit[$load,lookout]:-—} ms."
  fi
  if has lookout-defaults; then
    md=$(echo ${rps[$load,lookout-defaults]} | med); od=$(echo ${cpu_over[$load,lookout-defaults]} | med)
    echo "Defaults: Lookout / bare = $(div "$md" "$mb" %.3f) in throughput (goal ≥ 0.95), $od µs of server CPU per request over bare (goal ≤ 1.5)."
  fi
done
echo
[ ! -f "$work/lookout.out" ] || echo "Access-log lines written by Lookout (exporting): $(grep -c '"request_completed"' "$work/lookout.out" || true)."
echo "Server CPU µs/req (median) is each round's process CPU over its own wrk run; \"over bare\" is, in each round, the difference"\
  "to the bare server's round just before it, median over the rounds; \"whole load\" is all the CPU the process used"\
  "from before the load's first round until its last span was exported (exporter tail, idle schedulers, JIT), over the same requests."

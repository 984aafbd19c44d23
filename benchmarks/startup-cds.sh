#!/usr/bin/env bash
# The example WAR (Lookout on, embedded Jetty) on a small pod — one CPU (taskset -c 0 and
# -XX:ActiveProcessorCount=1) — with the JDK's default CDS archive and with an AppCDS archive made by a
# training run (-XX:ArchiveClassesAtExit, then -XX:SharedArchiveFile). Variants alternate, medians:
#   time to the first 200 of GET /api/orders, from launching the JVM;
#   time to steady state: a paced load (wrk on CPU 1, 2 connections, each waiting PACE_MS after every
#   response) in WINDOW-second windows from the first 200 on; steady state is the end of the first
#   window from which every later window's server CPU per request is at most 1.5 × the median of the
#   last 10 windows and its p99 at most 2 × theirs (wrk's latency, closed-loop: not a fixed arrival rate);
#   the JIT: CPU of the live compiler threads (/proc) over the whole run (a lower bound: HotSpot ends
#   idle compiler threads), and its steady-state share.
# Then one more run of each with -Xlog:class+load counts where classes came from (the archive or jars).
# Usage: benchmarks/startup-cds.sh [runs=5] [seconds of load=60]
# Environment: PACE_MS (default 5), WINDOW (seconds, default 2), VARIANTS (default "default-cds appcds";
# also "no-cds" = -Xshare:off).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
seconds=${2:-60}
pace=${PACE_MS:-5}
win=${WINDOW:-2}
variants=${VARIANTS:-default-cds appcds}
command -v wrk >/dev/null || { echo "needs wrk: apt-get install -y wrk" >&2; exit 2; }
[ "$(nproc)" -ge 2 ] || { echo "needs 2 CPUs: one for the server, one for wrk" >&2; exit 2; }
echo "building (mvn -Dmaven.test.skip=true package -pl jetty-it -am)…" >&2
mvn -B -q -Dmaven.test.skip=true -pl jetty-it -am package >&2
war=jetty-it/target/wars/lookout-example.war
# CDS archives the class path's classes only from jars (a non-empty directory stops the dump): the launcher's jar
launcher=$(ls jetty-it/target/lookout-jetty-it-*.jar | grep -v -- '-tests.jar' | head -1)
cp="$launcher:$(cat jetty-it/target/launcher.classpath)"
work=$(mktemp -d); pid=; port=; ms=; cpu_ms=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; sleep 0.5; rm -rf "$work"' EXIT
printf 'function delay()\n  return %d\nend\n' "$pace" >"$work/pace.lua"
jsa=$work/example.jsa
hz=$(getconf CLK_TCK)

cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $12 + $13}' || echo 0; }
# the compiler threads alive now ("C1 CompilerThre", "C2 CompilerThre")
jit_ticks() {
  local t sum=0
  for t in /proc/"$1"/task/*; do
    case $(cat "$t/comm" 2>/dev/null) in C1\ Compiler*|C2\ Compiler*)
      sum=$(( sum + $(sed 's/^.*) //' "$t/stat" 2>/dev/null | awk '{print $12 + $13}' || echo 0) )) ;;
    esac
  done
  echo "$sum"
}

# starts the example on CPU 0 with the variant's flags; sets $pid, $port, $ms (to the first 200) and $cpu_ms
# (the CPU time the process had used by then: steadier than the wall time on a shared machine)
launch() { # variant out [extra jvm args…]
  local variant=$1 out=$2; shift 2
  local flags=(-XX:ActiveProcessorCount=1 -Xmx512m)
  case $variant in
    default-cds) ;;
    no-cds) flags+=(-Xshare:off) ;;
    appcds) flags+=("-XX:SharedArchiveFile=$jsa") ;;
    train) flags+=("-XX:ArchiveClassesAtExit=$jsa" -Xlog:cds=info -Xlog:cds+dynamic=info) ;;
    *) echo "a variant is default-cds, appcds or no-cds, not '$variant'" >&2; exit 2 ;;
  esac
  local t0 code
  port=
  t0=$(date +%s%N)
  taskset -c 0 java "${flags[@]}" "$@" -cp "$cp" dev.lookout.it.ExampleServer "$war" 0 >"$out" 2>&1 &
  pid=$!
  while :; do
    if [ -z "$port" ]; then
      port=$(grep -o 'LISTENING [0-9]*' "$out" 2>/dev/null | awk '{print $2; exit}' || true)
    fi
    if [ -n "$port" ]; then
      code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/api/orders" || true)
      [ "$code" = 200 ] && break
    fi
    kill -0 "$pid" 2>/dev/null || { echo "$variant exited:" >&2; tail -20 "$out" >&2; exit 1; }
    (( ($(date +%s%N) - t0) < 120000000000 )) || { echo "$variant: no 200 within 120 s" >&2; exit 1; }
    sleep 0.005
  done
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  cpu_ms=$(( $(cpu_ticks "$pid") * 1000 / hz ))
}

# one load window: "<requests> <p99 ms> <server CPU ms> <JIT CPU ms>"
window() { # port
  local c0 j0 out req p99
  c0=$(cpu_ticks "$pid"); j0=$(jit_ticks "$pid")
  out=$(taskset -c 1 wrk -t1 -c2 -d"${win}s" --latency -s "$work/pace.lua" "http://127.0.0.1:$1/api/orders" 2>&1)
  req=$(awk '/requests in/ {print $1; exit}' <<<"$out")
  p99=$(awk '$1 == "99%" { v = $2
      if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }
      print v; exit }' <<<"$out")
  echo "${req:-0} ${p99:-0} $(( ($(cpu_ticks "$pid") - c0) * 1000 / hz )) $(( ($(jit_ticks "$pid") - j0) * 1000 / hz ))"
}

stop() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=; }

# the steady-state analysis of one run's windows ("req p99 cpu jit" lines): prints
# "<seconds from the first 200 to steady state> <steady p99 ms> <steady CPU µs per request> <JIT ms in all>"
settle() { # file
  awk -v win="$win" '{ req[NR] = $1; p99[NR] = $2; cpu[NR] = ($1 > 0 ? $3 * 1000 / $1 : 1e9); jit += $4 }
    function median(a, from, to,   n, i, j, t, b) { n = 0; for (i = from; i <= to; i++) b[++n] = a[i]
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (b[j] < b[i]) { t = b[i]; b[i] = b[j]; b[j] = t }
      return b[int((n + 1) / 2)] }
    END { from = NR > 10 ? NR - 9 : 1; c = median(cpu, from, NR); p = median(p99, from, NR); s = NR
      for (i = NR; i >= 1; i--) { if (cpu[i] > 1.5 * c || p99[i] > 2 * p) break; s = i }
      printf "%d %.2f %.0f %d\n", (s - 1) * win, p, c, jit }' "$1"
}

echo "training run: the archive is written at exit ($jsa)" >&2
launch train "$work/train.out"
for _ in $(seq 1 $(( 20 / win ))); do window "$port" >/dev/null; done
stop
[ -s "$jsa" ] || { echo "no archive was written:" >&2; grep -i 'cds' "$work/train.out" | tail -20 >&2; exit 1; }
echo "archive: $(du -k "$jsa" | cut -f1) KiB; the dump said:" >&2
grep -E '\[cds' "$work/train.out" | grep -viE 'skipping' | tail -8 | sed 's/^/  /' >&2
skipped=$(grep -ciE '\[cds.*skipping' "$work/train.out" || true)
echo "  classes skipped at the dump: $skipped; by reason:" >&2
grep -iE '\[cds.*skipping' "$work/train.out" | sed -E 's/.*Skipping [^:]*: //' | sort | uniq -c | sort -rn | head -8 | sed 's/^/   /' >&2

declare -A first firstcpu steady p99 cpu jit
for r in $(seq 1 "$runs"); do
  for v in $variants; do
    launch "$v" "$work/$v.out"
    : >"$work/$v-$r.windows"
    for _ in $(seq 1 $(( seconds / win ))); do window "$port" >>"$work/$v-$r.windows"; done
    stop
    read -r s p c j < <(settle "$work/$v-$r.windows")
    printf '%-12s run %d: %5d ms to the first 200 (%5d ms CPU), steady after %3d s more (p99 %5.2f ms, %4d µs CPU/request), JIT %5d ms\n' \
      "$v" "$r" "$ms" "$cpu_ms" "$s" "$p" "$c" "$j" >&2
    first[$v]="${first[$v]:-} $ms"; firstcpu[$v]="${firstcpu[$v]:-} $cpu_ms"; steady[$v]="${steady[$v]:-} $(( ms + s * 1000 ))"
    p99[$v]="${p99[$v]:-} $p"; cpu[$v]="${cpu[$v]:-} $c"; jit[$v]="${jit[$v]:-} $j"
  done
done

# where classes come from, one run each with -Xlog:class+load (first 200, then 10 s of load)
declare -A census
for v in $variants; do
  launch "$v" "$work/$v-census.out" "-Xlog:class+load=info:file=$work/$v-classes.log"
  for _ in $(seq 1 $(( 10 / win ))); do window "$port" >/dev/null; done
  stop
  census[$v]=$(awk '/source: shared objects file \(top\)/ {top++; next} /source: shared objects file/ {base++; next}
      /WEB-INF/ {webinf++; next} /source:/ {other++}
      END {printf "%d from the JDK'"'"'s archive, %d from the AppCDS archive, %d from the WAR'"'"'s jars, %d from other jars and the JDK", base, top, webinf, other}' \
    "$work/$v-classes.log")
done

med() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
spread() { tr ' ' '\n' | grep -v '^$' | sort -g | awk 'NR == 1 {lo = $1} {hi = $1} END {print lo "–" hi}'; }
echo
echo "$runs runs each, alternating; server on CPU 0 with -XX:ActiveProcessorCount=1, wrk on CPU 1 (2 connections, $pace ms think time, ${win} s windows, $seconds s); $(nproc) CPUs; $(java -version 2>&1 | head -1)"
printf '| %-11s | %-23s | %-23s | %-27s | %-12s | %-17s | %-22s |\n' variant 'ms to first 200' 'CPU ms to first 200' 's to steady state' 'steady p99' 'steady CPU/request' 'JIT CPU ms (whole run)'
printf '|%s|%s|%s|%s|%s|%s|%s|\n' -------------  -------------------------  -------------------------  -----------------------------  --------------  -------------------  ------------------------
for v in $variants; do
  printf '| %-11s | %-23s | %-23s | %-27s | %-12s | %-17s | %-22s |\n' "$v" \
    "$(echo ${first[$v]} | med) ($(echo ${first[$v]} | spread))" \
    "$(echo ${firstcpu[$v]} | med) ($(echo ${firstcpu[$v]} | spread))" \
    "$(awk '{printf "%.1f", $1 / 1000}' <<<"$(echo ${steady[$v]} | med)") ($(echo ${steady[$v]} | tr ' ' '\n' | grep -v '^$' | awk '{printf "%.1f\n", $1 / 1000}' | spread))" \
    "$(echo ${p99[$v]} | med) ms" "$(echo ${cpu[$v]} | med) µs" "$(echo ${jit[$v]} | med)"
done
echo
echo "classes loaded (first 200 and 10 s of load):"
for v in $variants; do echo "  $v: ${census[$v]}"; done

#!/usr/bin/env bash
# Per-request cost of lookout-filters, measured side by side: the example WAR in embedded Jetty,
# started once per variant, interleaved A B C … in every round, wrk on loopback.
# Usage: benchmarks/filter-overhead.sh [rounds] [seconds]   (after mvn -B -DskipTests verify)
# Variants: off      LOOKOUT_ENABLED=false (the limit)
#           notrace  Lookout without tracing
#           nolog    Lookout with tracing, without the access log
#           on       everything: IDs, metrics, SERVER span (no exporter), sampled JSON access log to stdout
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}; secs=${2:-10}
command -v wrk >/dev/null || { echo "needs wrk: apt-get install -y wrk" >&2; exit 2; }
war=jetty-it/target/wars/lookout-example.war
[ -f "$war" ] || { echo "build first: mvn -B -DskipTests verify" >&2; exit 2; }
cp="jetty-it/target/classes:$(cat jetty-it/target/launcher.classpath)"
work=$(mktemp -d)
# Servers start inside $(…) subshells: their PIDs are kept in files, not in a variable.
trap 'for f in "$work"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done; rm -rf "$work"' EXIT
start() { # name, env...
  local name=$1; shift
  env "$@" taskset -c 0 java -Xmx512m -cp "$cp" dev.lookout.it.ExampleServer "$war" 0 >"$work/$name.out" 2>"$work/$name.err" &
  echo $! >"$work/$name.pid"
  for _ in $(seq 1 300); do grep -q LISTENING "$work/$name.err" 2>/dev/null && break; sleep 0.1; done
  grep -o 'LISTENING [0-9]*' "$work/$name.err" | awk '{print $2}' | head -1
}
declare -A port all
port[off]=$(start off LOOKOUT_ENABLED=false)
port[notrace]=$(start notrace LOOKOUT_TRACING_ENABLED=false)
port[nolog]=$(start nolog LOOKOUT_ACCESS_LOG_ENABLED=false)
port[on]=$(start on LOOKOUT_ENABLED=true)
variants="off notrace nolog on"
for v in $variants; do taskset -c 1 wrk -t1 -c16 -d5s "http://127.0.0.1:${port[$v]}/echo/warm" >/dev/null; done
printf '%-8s %-6s %12s %10s\n' variant round req/s p99
for r in $(seq 1 "$rounds"); do
  for v in $variants; do
    out=$(taskset -c 1 wrk -t1 -c16 -d"${secs}s" --latency "http://127.0.0.1:${port[$v]}/echo/x")
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p99=$(echo "$out" | awk '$1=="99%" {print $2}')
    printf '%-8s %-6s %12s %10s\n' "$v" "$r" "$rps" "$p99"
    all[$v]="${all[$v]:-} $rps"
  done
done
med() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
moff=$(echo ${all[off]} | med)
for v in notrace nolog on; do
  m=$(echo ${all[$v]} | med)
  echo "$v: median $m req/s vs off $moff: ratio $(awk "BEGIN {printf \"%.3f\", $m/$moff}"), cost $(awk "BEGIN {printf \"%.2f\", (1e6/$m - 1e6/$moff)}") µs of the server core per request"
done
mn=$(echo ${all[notrace]} | med); mo=$(echo ${all[on]} | med)
echo "tracing: on vs notrace ratio $(awk "BEGIN {printf \"%.3f\", $mo/$mn}"), added $(awk "BEGIN {printf \"%.2f\", (1e6/$mo - 1e6/$mn)}") µs per request"

# Sourced by load-test.sh and flamegraph.sh (from the repository root): builds the benchmarks module and
# starts the load-test servers and OTLP sinks, servers pinned to CPU 0, sinks to CPU 1. Defines $work
# (a temporary directory, removed on exit with every process started here), $cp, $sink_cp, $agent.
command -v wrk >/dev/null || { echo "needs wrk: apt-get install -y wrk" >&2; exit 2; }
command -v taskset >/dev/null || { echo "needs taskset (util-linux)" >&2; exit 2; }
[ "$(nproc)" -ge 2 ] || { echo "needs 2 CPUs: one for the servers, one for wrk" >&2; exit 2; }

echo "building (mvn -Pbenchmarks -pl benchmarks -am package, main code only)…" >&2
mvn -B -q -Pbenchmarks -pl benchmarks -am -Dmaven.test.skip=true package >&2
cp="benchmarks/target/classes:$(cat benchmarks/target/run.classpath)"
sink_cp="benchmarks/target/classes:$(cat benchmarks/target/sink.classpath)"
agent=benchmarks/target/agent/opentelemetry-javaagent.jar

work=$(mktemp -d)
# Servers and sinks start inside $(…) subshells: their PIDs are kept in files, not in a variable.
trap 'for f in "$work"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done; sleep 0.5; rm -rf "$work"' EXIT

wait_port() { # file → port
  for _ in $(seq 1 600); do grep -q LISTENING "$1" 2>/dev/null && break; sleep 0.1; done
  grep -o 'LISTENING [0-9]*' "$1" | awk '{print $2}' | head -1
}

sink() { # name → port; counts in $work/<name>.counts
  taskset -c 1 java -Xmx256m -cp "$sink_cp" dev.lookout.benchmarks.load.OtlpSink "$work/$1.counts" \
    >/dev/null 2>"$work/$1.err" &
  echo $! >"$work/$1.pid"; wait_port "$work/$1.err"
}

server() { # name variant [env…] [-- jvm args…] → port; output in $work/<name>.out and .err ($extra_cp appended)
  local name=$1 variant=$2; shift 2
  local envs=() jvm=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
  [ $# -gt 0 ] && shift && jvm=("$@")
  env "${envs[@]}" taskset -c 0 java -Xmx512m "${jvm[@]}" -cp "$cp${extra_cp:-}" dev.lookout.benchmarks.load.LoadServer "$variant" 0 \
    >"$work/$name.out" 2>"$work/$name.err" &
  echo $! >"$work/$name.pid"; wait_port "$work/$name.err"
}

# The benchmarks' classpath has the JDK sender (what Lookout ships) and, in okhttp.classpath, the OkHttp
# one (what the agent uses): with both present the exporter takes the one this property names.
sender_property=io.opentelemetry.sdk.common.export.HttpSenderProvider
jdk_sender=io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSenderProvider
okhttp_sender=io.opentelemetry.exporter.sender.okhttp.internal.OkHttpHttpSenderProvider

# One of the compared variants, by name (see load-test.sh); exporting variants need their sink's port.
start_variant() { # name [sink port] → port
  case $1 in
    bare) server bare bare ;;
    lookout) server lookout lookout \
      OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$2" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf \
      OTEL_TRACES_SAMPLER=always_on OTEL_SERVICE_NAME=load-lookout \
      -- -Dlog4j2.configurationFile=log4j2-lookout.xml "-D$sender_property=$jdk_sender" ;;
    lookout-okhttp) extra_cp=":$(cat benchmarks/target/okhttp.classpath)" server lookout-okhttp lookout \
      OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$2" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf \
      OTEL_TRACES_SAMPLER=always_on OTEL_SERVICE_NAME=load-lookout \
      -- -Dlog4j2.configurationFile=log4j2-lookout.xml "-D$sender_property=$okhttp_sender" ;;
    lookout-defaults) server lookout-defaults lookout -- -Dlog4j2.configurationFile=log4j2-lookout.xml ;;
    agent) server agent bare \
      OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$2" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf \
      OTEL_TRACES_SAMPLER=always_on OTEL_SERVICE_NAME=load-agent OTEL_METRICS_EXPORTER=otlp \
      -- "-javaagent:$agent" ;;
    *) echo "a variant is bare, lookout, lookout-okhttp, lookout-defaults or agent, not '$1'" >&2; exit 2 ;;
  esac
}

# Warm-up: a JVM pinned to one busy CPU takes minutes to finish compiling its hot code, longer the
# more code it runs (Lookout, the agent). So the server gets both CPUs while it warms up, then is
# pinned back to CPU 0 (all its threads) and warmed a little more before anything is measured. The
# warm-up reconnects as the measured rounds do (wrk runs of 10 s, then 5 s): with one long run, the
# connection-setup branches are missing from the profiles C2 compiles with, and the first measured
# round's new connections deoptimize and recompile the server's hottest methods (JFR: unstable_if).
warm_up() { # pid port connections seconds
  local pinned=$(( $4 < 15 ? $4 : 15 )) left
  taskset -a -p -c 0,1 "$1" >/dev/null
  left=$4; while [ "$left" -gt 0 ]; do
    taskset -c 1 wrk -t1 -c"$3" -d"$(( left < 10 ? left : 10 ))s" "http://127.0.0.1:$2/hello" >/dev/null
    left=$(( left - 10 ))
  done
  taskset -a -p -c 0 "$1" >/dev/null
  left=$pinned; while [ "$left" -gt 0 ]; do
    taskset -c 1 wrk -t1 -c"$3" -d"$(( left < 5 ? left : 5 ))s" "http://127.0.0.1:$2/hello" >/dev/null
    left=$(( left - 5 ))
  done
}

# wrk's options for a load: none for "full", a Lua delay() script for a think time in ms.
pace_opts() { # load → options, one a line
  [ "$1" = full ] && return 0
  [[ $1 =~ ^[0-9]+$ ]] || { echo "a load is 'full' or a think time in ms, not '$1'" >&2; exit 2; }
  printf 'function delay()\n  return %d\nend\n' "$1" >"$work/pace-$1.lua"
  printf '%s\n' -s "$work/pace-$1.lua"
}

hz=$(getconf CLK_TCK)
# /proc/<pid>/stat with "pid (comm) " cut off, since a thread's comm may hold spaces ("C2 CompilerThre"):
# field 12 is then utime, 13 stime, in clock ticks.
cpu_ticks() { [ -r "/proc/$1/stat" ] || { echo 0; return; }; sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
# Other work on the machine: all CPUs' busy time (/proc/stat, steal included) less this test's own, which
# is the CPU of every server and sink started here plus that of the commands this shell ran and waited
# for (wrk, from `times`).
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }
own_ticks() { # file holding the output of `times`, run in this shell (a subshell's children are not ours)
  local t p
  t=$(tail -1 "$1" | awk -v hz="$hz" '{s = 0; for (i = 1; i <= 2; i++) {split($i, a, /[ms]/); s += a[1] * 60 + a[2]}; printf "%d", s * hz}')
  for p in "$work"/*.pid; do t=$(( t + $(cpu_ticks "$(cat "$p")") )); done
  echo "$t"
}
describe_machine() {
  echo "$(nproc) CPUs ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)," \
    "$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME"), $(java -version 2>&1 | head -1 | sed 's/"//g')"
}

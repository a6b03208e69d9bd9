#!/usr/bin/env bash
# Shoal benchmark: requests per server CPU-second, Shoal against opentracker, on loopback UDP (BEP 15).
#
# Usage:  bench/run.sh [--redis] [--requests N] [--duration SECONDS] [--jar PATH] [--out DIR]
#
#   --redis       also measure a shard on a fresh redis-server (redis-server's CPU counts as the shard's)
#   --requests N  measured announces + scrapes per tracker (default 1000000)
#   --duration S  time limit of the measured run per tracker (default 60)
#   --jar PATH    the tracker jar (default tracker-shard/target/shoal-tracker.jar; build it first:
#                 mvn -pl tracker-shard -am package -DskipTests). This script builds nothing.
#   --out DIR     where the summary goes (default bench-results/, gitignored)
#
# Environment: SHOAL_BENCH_REDIS_OPTION  the shard's option that names its Redis (default --redis);
#              its value is redis://127.0.0.1:<port>.
#
# For each tracker (opentracker, shoal on the memory store, optionally shoal on Redis), with the same
# world and the same requests (loadgen, fixed seeds):
#   1. start it on 127.0.0.1 (pinned with taskset to the last core; the load generator to core 0),
#   2. warm-up: every simulated peer announces once (10k torrents, 1000 clients), then a warm-up load
#      of other requests of the same mix so that the JVM is compiled before measuring (every tracker gets
#      the same warm-up, so all are measured in the same state),
#   3. measured run: 80 % announce / 20 % scrape (5 hashes each), numwant 50, 128 requests in flight;
#      server CPU = utime + stime from /proc/<pid>/stat (in CLK_TCK ticks) before and after,
#   4. VmRSS / VmHWM from /proc/<pid>/status after the load.
# Prints requests per server CPU-second for each and the ratio shoal/opentracker, and writes
# bench-results/bench-<time>.json and .md. Every reply is validated by the load generator; a run with an
# invalid reply fails. opentracker returns the announcer in its own peer list, which is allowed for it
# only (--allow-self-peer). One full run takes about two to four minutes.
set -euo pipefail

ARGS="$*"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/tracker-shard/target/shoal-tracker.jar"
OUT="$ROOT/bench-results"
REQUESTS=1000000
DURATION=60
WITH_REDIS=0
REDIS_OPTION="${SHOAL_BENCH_REDIS_OPTION:---redis}"

SEED=20250101            # the world: torrents, clients, swarms
WARMUP_TRAFFIC_SEED=7    # the warm-up load: other requests, same world
CLIENTS=1000
TORRENTS=10000
PEERS_PER_TORRENT=20
WARMUP_REQUESTS=300000
ANNOUNCE_PERCENT=80      # the rest are scrapes
SCRAPE_HASHES=5
NUMWANT=50
WINDOW=128               # requests in flight

while [[ $# -gt 0 ]]; do
  case "$1" in
    --redis) WITH_REDIS=1; shift ;;
    --requests) REQUESTS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --jar) JAR="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

die() { echo "bench: $*" >&2; exit 1; }
[[ -f "$JAR" ]] || die "jar missing at $JAR: build it first (mvn -pl tracker-shard -am package -DskipTests)"
command -v opentracker >/dev/null || die "opentracker missing (apt-get install opentracker)"
command -v java >/dev/null || die "java missing"
command -v jq >/dev/null || die "jq missing (apt-get install jq)"
if [[ $WITH_REDIS == 1 ]]; then command -v redis-server >/dev/null || die "redis-server missing"; fi

CLK_TCK=$(getconf CLK_TCK)
CORES=$(nproc)
if command -v taskset >/dev/null && [[ $CORES -ge 2 ]]; then
  SERVER_CPUS="$((CORES - 1))"
  LOADGEN_PIN=(taskset -c 0)
  SERVER_PIN=(taskset -c "$SERVER_CPUS")
  PINNING="loadgen on core 0, servers on core $SERVER_CPUS"
else
  LOADGEN_PIN=()
  SERVER_PIN=()
  PINNING="none (fewer than 2 cores or no taskset)"
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/shoal-bench.XXXXXX")"
mkdir -p "$OUT"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {  # a port free for TCP and UDP on loopback
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if ! ss -Hantu "sport = :$port" 2>/dev/null | grep -q .; then echo "$port"; return; fi
  done
  die "no free port"
}

cpu_ticks() {  # utime + stime of a process, in CLK_TCK ticks (fields 14 and 15 of /proc/<pid>/stat)
  sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'
}
status_kib() {  # a VmXXX line of /proc/<pid>/status, in KiB
  awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"
}

loadgen() {
  "${LOADGEN_PIN[@]}" java -Xms256m -Xmx256m -XX:+UseSerialGC -cp "$JAR" io.shoal.tracker.loadgen.LoadgenCommand \
    --clients "$CLIENTS" --torrents "$TORRENTS" --peers-per-torrent "$PEERS_PER_TORRENT" --seed "$SEED" \
    --numwant "$NUMWANT" --announce-percent "$ANNOUNCE_PERCENT" --scrape-hashes "$SCRAPE_HASHES" \
    --window "$WINDOW" --sockets 2 \
    --max-timeout-ratio 0.01 "$@"
}

await_ready() {  # <name> <pid> <log> <command that succeeds when ready>
  local name="$1" pid="$2" log="$3"; shift 3
  for _ in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || die "$name exited during start-up: $(tail -n 20 "$log")"
    if "$@" >/dev/null 2>&1; then return; fi
    sleep 0.2
  done
  die "$name not ready within 30 s"
}

RESULTS=()   # one JSON object per tracker

# measure <name> <udp port> <extra loadgen flags> -- <pid>...
measure() {
  local name="$1" port="$2" extra="$3"; shift 4
  local pids=("$@") before=0 after=0 pid
  echo "== $name: warm-up (every peer announces once), then $WARMUP_REQUESTS warm-up requests" >&2
  # shellcheck disable=SC2086
  loadgen --port "$port" --phase WARMUP $extra --json-file "$WORK/$name-warmup.json" > "$WORK/$name-warmup.txt" \
    || { cat "$WORK/$name-warmup.txt" >&2; die "$name: warm-up failed"; }
  # shellcheck disable=SC2086
  loadgen --port "$port" --phase LOAD --traffic-seed "$WARMUP_TRAFFIC_SEED" --requests "$WARMUP_REQUESTS" \
    --duration 60s $extra --json-file "$WORK/$name-jit.json" > "$WORK/$name-jit.txt" \
    || { cat "$WORK/$name-jit.txt" >&2; die "$name: warm-up load failed"; }
  sleep 1
  for pid in "${pids[@]}"; do before=$((before + $(cpu_ticks "$pid"))); done
  echo "== $name: measured run ($REQUESTS requests or ${DURATION}s)" >&2
  # shellcheck disable=SC2086
  loadgen --port "$port" --phase LOAD --requests "$REQUESTS" --duration "${DURATION}s" $extra \
    --json-file "$WORK/$name.json" > "$WORK/$name.txt" \
    || { cat "$WORK/$name.txt" >&2; die "$name: measured run failed"; }
  for pid in "${pids[@]}"; do after=$((after + $(cpu_ticks "$pid"))); done
  local rss=0 hwm=0
  for pid in "${pids[@]}"; do
    rss=$((rss + $(status_kib "$pid" VmRSS))); hwm=$((hwm + $(status_kib "$pid" VmHWM)))
  done
  grep -E '^(load|TOTAL)' "$WORK/$name.txt" >&2
  RESULTS+=("$(jq -c --arg name "$name" --argjson ticks $((after - before)) --argjson hz "$CLK_TCK" \
      --argjson rss "$rss" --argjson hwm "$hwm" '
    .report.load as $l
    | ($ticks / $hz) as $cpu
    | {name: $name, requests: $l.sent, answered: ($l.ok + $l.errors + $l.invalid), ok: $l.ok,
       announces: $l.announcesOk, scrapes: $l.scrapesOk, invalid: $l.invalid, errors: $l.errors,
       timeouts: $l.timeouts, wallSeconds: $l.seconds, requestsPerSecond: $l.requestsPerSecond,
       serverCpuSeconds: $cpu,
       requestsPerCpuSecond: (if $cpu > 0 then (($l.ok + $l.errors + $l.invalid) / $cpu) else null end),
       rssKiB: $rss, hwmKiB: $hwm}' "$WORK/$name.json")")
}

stop() { kill "$@" 2>/dev/null || true; for pid in "$@"; do wait "$pid" 2>/dev/null || true; done; }

# ---- opentracker (Debian builds it with a whitelist: list the benchmark's torrents)
loadgen --write-infohashes "$WORK/whitelist" >/dev/null
mkdir -p "$WORK/opentracker" && cp "$WORK/whitelist" "$WORK/opentracker/whitelist" && chmod 755 "$WORK/opentracker"
OT_PORT=$(free_port)
(cd "$WORK/opentracker" && exec "${SERVER_PIN[@]}" opentracker -i 127.0.0.1 -p "$OT_PORT" -P "$OT_PORT" \
   -w whitelist -d "$WORK/opentracker") > "$WORK/opentracker.log" 2>&1 &
OT_PID=$!; PIDS+=("$OT_PID")
sleep 1
kill -0 "$OT_PID" 2>/dev/null || die "opentracker did not start: $(cat "$WORK/opentracker.log")"
measure opentracker "$OT_PORT" "--allow-self-peer" -- "$OT_PID"
stop "$OT_PID"

# ---- shoal on the memory store
start_shard() {  # <log> <extra shard args...>; sets SHARD_PID SHARD_PORT
  local log="$1"; shift
  SHARD_PORT=$(free_port); local admin; admin=$(free_port)
  "${SERVER_PIN[@]}" java -jar "$JAR" shard --bind 127.0.0.1 --port "$SHARD_PORT" --admin-port "$admin" "$@" \
    > "$log" 2>&1 &
  SHARD_PID=$!; PIDS+=("$SHARD_PID")
  await_ready shoal "$SHARD_PID" "$log" curl -sf "http://127.0.0.1:$admin/readyz"
}
start_shard "$WORK/shoal-memory.log"
measure shoal-memory "$SHARD_PORT" "" -- "$SHARD_PID"
stop "$SHARD_PID"

# ---- shoal on Redis
if [[ $WITH_REDIS == 1 ]]; then
  REDIS_PORT=$(free_port)
  "${SERVER_PIN[@]}" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
    --dir "$WORK" > "$WORK/redis.log" 2>&1 &
  REDIS_PID=$!; PIDS+=("$REDIS_PID")
  await_ready redis-server "$REDIS_PID" "$WORK/redis.log" redis-cli -p "$REDIS_PORT" ping
  start_shard "$WORK/shoal-redis.log" "$REDIS_OPTION" "redis://127.0.0.1:$REDIS_PORT"
  measure shoal-redis "$SHARD_PORT" "" -- "$SHARD_PID" "$REDIS_PID"
  stop "$SHARD_PID" "$REDIS_PID"
fi

# ---- summary
SUMMARY="$(printf '%s\n' "${RESULTS[@]}" | jq -s --arg stamp "$STAMP" --arg pinning "$PINNING" \
  --arg cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')" \
  --argjson cores "$CORES" --arg cmd "bench/run.sh $ARGS" --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" '
  (map(select(.name == "opentracker"))[0].requestsPerCpuSecond) as $ot
  | {time: $stamp, command: $cmd, cpu: $cpu, cores: $cores, pinning: $pinning, loadAverageAfter: $load,
     workload: {torrents: '"$TORRENTS"', clients: '"$CLIENTS"', peersPerTorrent: '"$PEERS_PER_TORRENT"',
                announcePercent: '"$ANNOUNCE_PERCENT"', scrapeHashes: '"$SCRAPE_HASHES"', numwant: '"$NUMWANT"',
                window: '"$WINDOW"', requests: '"$REQUESTS"'},
     results: map(. + {ratioToOpentracker: (if $ot then .requestsPerCpuSecond / $ot else null end)})}')"
echo "$SUMMARY" > "$OUT/bench-$STAMP.json"
{
  echo "# Shoal benchmark $STAMP"
  echo
  echo "UDP, loopback, $TORRENTS torrents, $CLIENTS clients, $ANNOUNCE_PERCENT % announce /" \
    "$((100 - ANNOUNCE_PERCENT)) % scrape ($SCRAPE_HASHES hashes), numwant $NUMWANT;"
  echo "pinning: $PINNING; $CORES cores; load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "(other work on the machine lowers every tracker's requests per CPU-second: compare within one run)."
  echo
  echo "| tracker | requests | req/s | server CPU s | req per CPU-s | vs opentracker | RSS MiB | peak RSS MiB | timeouts |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  echo "$SUMMARY" | jq -r '.results[] | "| \(.name) | \(.answered) | \(.requestsPerSecond | floor) | \(.serverCpuSeconds) | \(.requestsPerCpuSecond | floor) | \(if .ratioToOpentracker then (.ratioToOpentracker * 100 | floor | tostring) + " %" else "" end) | \(.rssKiB / 1024 | floor) | \(.hwmKiB / 1024 | floor) | \(.timeouts) |"'
} > "$OUT/bench-$STAMP.md"
cat "$OUT/bench-$STAMP.md"
echo
echo "written: $OUT/bench-$STAMP.json $OUT/bench-$STAMP.md"

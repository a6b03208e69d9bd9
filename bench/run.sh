#!/usr/bin/env bash
# Shoal benchmark: replies per server CPU-second and latency, Shoal against Debian's opentracker, on loopback.
#
# Usage:  bench/run.sh [--redis | --no-redis] [--rounds N] [--requests N] [--duration SECONDS] [--zipf S]
#                      [--no-http] [--no-ingress] [--shard-jvm "FLAGS"] [--jfr FILE] [--jar PATH] [--out DIR]
#
#   --redis       measure a shard on a fresh redis-server too (redis-server's CPU counts as the shard's); this is
#                 the default when redis-server is installed, --redis makes a missing redis-server an error
#   --no-redis    leave the Redis row out
#   --rounds N    measured rounds; in each round every tracker gets the same requests, one after the other,
#                 in an order that rotates from round to round (default 3); the table shows medians
#   --requests N  measured announces + scrapes per tracker per round (default 500000)
#   --duration S  time limit of one measured run (default 30)
#   --zipf S      popularity skew of the torrents asked about (default 1; 0 is uniform)
#   --no-http     leave the HTTP rows out (opentracker, shard memory and ingress+shard over HTTP keep-alive)
#   --no-ingress  leave the ingress rows out (it is measured only when the jar has the `ingress` command)
#   --shard-jvm F JVM flags of every shard and ingress process (default: the README's recommendation below)
#   --jfr FILE    also record a JFR profile (settings=profile) of the memory shard during its measured rounds
#   --jar PATH    the tracker jar (default tracker-shard/target/shoal-tracker.jar; build it first:
#                 mvn -pl tracker-shard -am package -DskipTests). This script builds nothing.
#   --out DIR     where the summary goes (default bench-results/, gitignored)
#
# Environment: SHOAL_BENCH_REDIS_OPTION  the shard's option that names its Redis (default --redis);
#              its value is redis://127.0.0.1:<port>.
#
# What it does, in ONE run so that every ratio compares trackers measured under the same machine load:
#   1. starts every tracker at once on 127.0.0.1, pinned with taskset to the last core (the load generator to
#      core 0): opentracker (UDP and HTTP on one port; Debian builds it IPv4-only with a whitelist, so the
#      benchmark's torrents are whitelisted), a shard on the memory store, a shard on a fresh redis-server, and
#      an ingress in front of a shard when available,
#   2. warms each up: every simulated peer announces once (10k torrents, 1000 clients), then 300k requests of
#      the same mix so that the JVMs are compiled before measuring (every tracker gets the same warm-up),
#   3. rounds: each tracker in turn gets the same measured load (80 % announce / 20 % scrape of 5 hashes,
#      numwant 50, 128 UDP requests or 32 HTTP connections in flight, Zipf popularity); the load generator
#      validates every reply and reads the tracker's CPU (utime + stime of every pid it is charged, e.g. shard +
#      redis-server) from /proc before and after,
#   4. prints medians over the rounds: replies per second, replies per server CPU-second, latency p50/p99 (from
#      send to validated reply, as the load generator sees it), RSS, and the ratios to opentracker of the same
#      protocol; writes bench-results/bench-<time>.json and .md.
# A run with an invalid reply fails. opentracker returns the announcer in its own peer list and sends scrape
# keys unsorted; both are allowed for it only. A run takes about six to ten minutes with the defaults.
set -euo pipefail

ARGS="$*"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/tracker-shard/target/shoal-tracker.jar"
OUT="$ROOT/bench-results"
ROUNDS=3
REQUESTS=500000
DURATION=30
ZIPF=1
WITH_REDIS=auto
WITH_HTTP=1
WITH_INGRESS=1
JFR_FILE=""
REDIS_OPTION="${SHOAL_BENCH_REDIS_OPTION:---redis}"
# A shard's heap is its peers (about 40 bytes each) plus short-lived request garbage: the serial collector costs
# the least CPU per reply on one or two cores (no concurrent GC threads, no barriers' bookkeeping), and Netty's
# pooled allocator lets the UDP replies be written without a fresh direct buffer each (about 10 % of the CPU per
# reply in an A/B on this machine). Size -Xmx at about twice 40 bytes x the peers expected, plus 128 MiB.
SHARD_JVM="-Xms128m -Xmx512m -XX:+UseSerialGC -Dio.netty.allocator.type=pooled"

SEED=20250101            # the world: torrents, clients, swarms
WARMUP_TRAFFIC_SEED=7    # the warm-up load: other requests, same world
CLIENTS=1000
TORRENTS=10000
PEERS_PER_TORRENT=20
WARMUP_REQUESTS=300000
HTTP_WARMUP_REQUESTS=100000
ANNOUNCE_PERCENT=80      # the rest are scrapes
SCRAPE_HASHES=5
NUMWANT=50
WINDOW=128               # UDP requests in flight
HTTP_WINDOW=32           # HTTP connections, one request in flight on each

while [[ $# -gt 0 ]]; do
  case "$1" in
    --redis) WITH_REDIS=1; shift ;;
    --no-redis) WITH_REDIS=0; shift ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --requests) REQUESTS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --zipf) ZIPF="$2"; shift 2 ;;
    --no-http) WITH_HTTP=0; shift ;;
    --no-ingress) WITH_INGRESS=0; shift ;;
    --shard-jvm) SHARD_JVM="$2"; shift 2 ;;
    --jfr) JFR_FILE="$(realpath -m "$2")"; shift 2 ;;
    --jar) JAR="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,41p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

die() { echo "bench: $*" >&2; exit 1; }
[[ -f "$JAR" ]] || die "jar missing at $JAR: build it first (mvn -pl tracker-shard -am package -DskipTests)"
command -v opentracker >/dev/null || die "opentracker missing (apt-get install opentracker)"
command -v java >/dev/null || die "java missing"
command -v jq >/dev/null || die "jq missing (apt-get install jq)"
if [[ $WITH_REDIS == auto ]]; then
  if command -v redis-server >/dev/null; then WITH_REDIS=1; else WITH_REDIS=0; fi
elif [[ $WITH_REDIS == 1 ]]; then
  command -v redis-server >/dev/null || die "redis-server missing"
fi
if [[ $WITH_INGRESS == 1 ]] && ! { java -jar "$JAR" ingress --help 2>/dev/null | grep -q -- --routing \
     && java -jar "$JAR" shard --help 2>/dev/null | grep -q -- --internal-port; }; then
  echo "bench: this jar has no ingress command (or no shard --internal-port): the ingress row is left out" >&2
  WITH_INGRESS=0
fi
read -r -a SHARD_JVM_ARGS <<< "$SHARD_JVM"

CORES=$(nproc)
if command -v taskset >/dev/null && [[ $CORES -ge 2 ]]; then
  SERVER_CPUS="$((CORES - 1))"
  LOADGEN_PIN=(taskset -c 0)
  SERVER_PIN=(taskset -c "$SERVER_CPUS")
  PINNING="loadgen on core 0, every server on core $SERVER_CPUS"
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

loadgen() {
  "${LOADGEN_PIN[@]}" java -Xms256m -Xmx256m -XX:+UseSerialGC -cp "$JAR" io.shoal.tracker.loadgen.LoadgenCommand \
    --clients "$CLIENTS" --torrents "$TORRENTS" --peers-per-torrent "$PEERS_PER_TORRENT" --seed "$SEED" \
    --numwant "$NUMWANT" --announce-percent "$ANNOUNCE_PERCENT" --scrape-hashes "$SCRAPE_HASHES" \
    --zipf "$ZIPF" --sockets 2 --max-timeout-ratio 0.01 "$@"
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

# Trackers: name -> port, pids charged, extra loadgen flags
declare -A PORT PIDS_OF FLAGS
TRACKERS=()

# ---- opentracker (Debian builds it with a whitelist: list the benchmark's torrents)
loadgen --write-infohashes "$WORK/whitelist" >/dev/null
mkdir -p "$WORK/opentracker" && cp "$WORK/whitelist" "$WORK/opentracker/whitelist" && chmod 755 "$WORK/opentracker"
OT_PORT=$(free_port)
(cd "$WORK/opentracker" && exec "${SERVER_PIN[@]}" opentracker -i 127.0.0.1 -p "$OT_PORT" -P "$OT_PORT" \
   -w whitelist -d "$WORK/opentracker") > "$WORK/opentracker.log" 2>&1 &
OT_PID=$!; PIDS+=("$OT_PID")
sleep 1
kill -0 "$OT_PID" 2>/dev/null || die "opentracker did not start: $(cat "$WORK/opentracker.log")"
TRACKERS+=(opentracker); PORT[opentracker]=$OT_PORT; PIDS_OF[opentracker]=$OT_PID
FLAGS[opentracker]="--allow-self-peer --allow-unsorted-keys"

start_shard() {  # <log> <extra shard args...>; sets SHARD_PID SHARD_PORT
  local log="$1"; shift
  SHARD_PORT=$(free_port); local admin; admin=$(free_port)
  "${SERVER_PIN[@]}" java "${SHARD_JVM_ARGS[@]}" -jar "$JAR" shard --bind 127.0.0.1 --port "$SHARD_PORT" \
    --admin-port "$admin" "$@" > "$log" 2>&1 &
  SHARD_PID=$!; PIDS+=("$SHARD_PID")
  await_ready shoal "$SHARD_PID" "$log" curl -sf "http://127.0.0.1:$admin/readyz"
}

# ---- shoal on the memory store
start_shard "$WORK/shoal-memory.log"
TRACKERS+=(shoal-memory); PORT[shoal-memory]=$SHARD_PORT; PIDS_OF[shoal-memory]=$SHARD_PID; FLAGS[shoal-memory]=""

# ---- shoal on Redis
if [[ $WITH_REDIS == 1 ]]; then
  REDIS_PORT=$(free_port)
  "${SERVER_PIN[@]}" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
    --dir "$WORK" > "$WORK/redis.log" 2>&1 &
  REDIS_PID=$!; PIDS+=("$REDIS_PID")
  await_ready redis-server "$REDIS_PID" "$WORK/redis.log" redis-cli -p "$REDIS_PORT" ping
  # a busy shared machine can stall redis-server past the shard's default 1 s; the benchmark measures cost, not
  # the timeout policy (environment, so that a shard without the option ignores it)
  SHOAL_REDIS_TIMEOUT="${SHOAL_REDIS_TIMEOUT:-5s}" \
    start_shard "$WORK/shoal-redis.log" "$REDIS_OPTION" "redis://127.0.0.1:$REDIS_PORT"
  TRACKERS+=(shoal-redis); PORT[shoal-redis]=$SHARD_PORT; PIDS_OF[shoal-redis]="$SHARD_PID,$REDIS_PID"
  FLAGS[shoal-redis]=""
fi

# ---- an ingress in front of a memory shard (both processes' CPU counted)
if [[ $WITH_INGRESS == 1 ]]; then
  head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$WORK/connection-id.key"
  INTERNAL=$(free_port)
  # trusting the ingress, as deployed, so that HTTP announces are the clients' (X-Forwarded-For), not the ingress's
  start_shard "$WORK/shoal-behind-ingress.log" --internal-port "$INTERNAL" \
    --connection-id-key-file "$WORK/connection-id.key" --trusted-proxy 127.0.0.1/32
  BEHIND_PID=$SHARD_PID
  printf '{"epoch":1,"shards":[{"shard":0,"ranges":[[0,65535]],"endpoint":"127.0.0.1:%s"}]}\n' "$INTERNAL" \
    > "$WORK/routing.json"
  INGRESS_PORT=$(free_port); INGRESS_ADMIN=$(free_port)
  "${SERVER_PIN[@]}" java "${SHARD_JVM_ARGS[@]}" -jar "$JAR" ingress --bind 127.0.0.1 --port "$INGRESS_PORT" \
    --admin-port "$INGRESS_ADMIN" --routing "$WORK/routing.json" --connection-id-key-file "$WORK/connection-id.key" \
    > "$WORK/ingress.log" 2>&1 &
  INGRESS_PID=$!; PIDS+=("$INGRESS_PID")
  await_ready ingress "$INGRESS_PID" "$WORK/ingress.log" curl -sf "http://127.0.0.1:$INGRESS_ADMIN/readyz"
  TRACKERS+=(ingress+shard); PORT[ingress+shard]=$INGRESS_PORT; PIDS_OF[ingress+shard]="$INGRESS_PID,$BEHIND_PID"
  FLAGS[ingress+shard]=""
fi

# ---- warm-up: the world (every peer once), then the JIT (UDP, and HTTP where measured)
if [[ -n $JFR_FILE ]]; then
  # started before the warm-up, so that the recorder's own start-up is not charged to a measured round
  jcmd "${PIDS_OF[shoal-memory]}" JFR.start name=bench settings=profile > /dev/null
fi
http_measured() { [[ $WITH_HTTP == 1 && ( $1 == opentracker || $1 == shoal-memory || $1 == ingress+shard ) ]]; }
for t in "${TRACKERS[@]}"; do
  echo "== $t: warm-up (every peer announces once), then $WARMUP_REQUESTS warm-up requests" >&2
  # shellcheck disable=SC2086
  loadgen --port "${PORT[$t]}" --phase WARMUP --window "$WINDOW" ${FLAGS[$t]} > "$WORK/$t-warmup.txt" \
    || { cat "$WORK/$t-warmup.txt" >&2; die "$t: warm-up failed"; }
  # shellcheck disable=SC2086
  loadgen --port "${PORT[$t]}" --phase LOAD --traffic-seed "$WARMUP_TRAFFIC_SEED" --requests "$WARMUP_REQUESTS" \
    --duration 90s --window "$WINDOW" ${FLAGS[$t]} > "$WORK/$t-jit.txt" \
    || { cat "$WORK/$t-jit.txt" >&2; die "$t: warm-up load failed"; }
  if http_measured "$t"; then
    # shellcheck disable=SC2086
    loadgen --protocol HTTP --port "${PORT[$t]}" --phase LOAD --traffic-seed "$WARMUP_TRAFFIC_SEED" \
      --requests "$HTTP_WARMUP_REQUESTS" --duration 90s --window "$HTTP_WINDOW" ${FLAGS[$t]} \
      > "$WORK/$t-http-jit.txt" || { cat "$WORK/$t-http-jit.txt" >&2; die "$t: HTTP warm-up failed"; }
  fi
done

# A measured run that failed only on timeouts (every reply valid, no error) is kept: on a busy shared machine
# the load generator's own stalls look like lost replies; the table shows the timeouts.
only_timeouts() {
  [[ -f $1 ]] && jq -e '.report | [.connect, .warmup, .load] | map(.invalid + .errors) | add == 0' "$1" >/dev/null \
    && echo "bench: (the run above passed every reply it got; its timeouts are in the table)" >&2
}

# ---- measured rounds; the order rotates so that no tracker always runs first or last
RUNS=()   # json files
n=${#TRACKERS[@]}
for ((round = 1; round <= ROUNDS; round++)); do
  for ((i = 0; i < n; i++)); do
    t=${TRACKERS[$(( (i + round - 1) % n ))]}
    for proto in UDP HTTP; do
      if [[ $proto == HTTP ]] && ! http_measured "$t"; then continue; fi
      window=$WINDOW; [[ $proto == HTTP ]] && window=$HTTP_WINDOW
      file="$WORK/$t-$proto-$round.json"
      echo "== round $round: $t $proto ($REQUESTS requests or ${DURATION}s)" >&2
      sleep 1
      # shellcheck disable=SC2086
      loadgen --protocol "$proto" --port "${PORT[$t]}" --phase LOAD --traffic-seed "$((1000 + round))" \
        --requests "$REQUESTS" --duration "${DURATION}s" --window "$window" --target-pid "${PIDS_OF[$t]}" \
        ${FLAGS[$t]} --json-file "$file" > "$WORK/$t-$proto-$round.txt" \
        || only_timeouts "$file" \
        || { cat "$WORK/$t-$proto-$round.txt" >&2; die "$t: measured $proto run $round failed"; }
      grep -E '^(load|target)' "$WORK/$t-$proto-$round.txt" >&2
      RUNS+=("$(jq -c --arg name "$t" --arg proto "$proto" --argjson round "$round" '
        .report as $r | $r.load as $l
        | {name: $name, protocol: $proto, round: $round, sent: $l.sent, answered: ($l.ok + $l.errors + $l.invalid),
           ok: $l.ok, errors: $l.errors, invalid: $l.invalid, timeouts: $l.timeouts, wallSeconds: $l.seconds,
           repliesPerSecond: $l.requestsPerSecond, p50Micros: $l.p50Micros, p90Micros: $l.p90Micros,
           p99Micros: $l.p99Micros, p999Micros: $l.p999Micros, serverCpuSeconds: $r.usage.cpuSeconds,
           repliesPerCpuSecond: $r.usage.repliesPerCpuSecond, rssKiB: $r.usage.rssKiB}' "$file")")
    done
  done
done

if [[ -n $JFR_FILE ]]; then
  jcmd "${PIDS_OF[shoal-memory]}" JFR.stop name=bench filename="$JFR_FILE" > /dev/null
  echo "JFR profile of shoal-memory: $JFR_FILE" >&2
fi

# ---- summary: medians per (tracker, protocol), ratios to opentracker of the same protocol
JDK="$(java -version 2>&1 | head -n 1)"
SUMMARY="$(printf '%s\n' "${RUNS[@]}" | jq -s --arg stamp "$STAMP" --arg pinning "$PINNING" \
  --arg cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')" \
  --argjson cores "$CORES" --arg kernel "$(uname -sr)" --arg jdk "$JDK" --arg shardJvm "$SHARD_JVM" \
  --arg opentracker "$(dpkg-query -W -f '${Version}' opentracker 2>/dev/null || echo unknown)" \
  --arg redis "$(redis-server --version 2>/dev/null | awk '{print $3}' || true)" \
  --arg cmd "bench/run.sh $ARGS" --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
  --argjson rounds "$ROUNDS" '
  def median: sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor]
                     else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  group_by([.name, .protocol]) | map({
      name: .[0].name, protocol: .[0].protocol, rounds: length,
      repliesPerSecond: (map(.repliesPerSecond) | median),
      repliesPerCpuSecond: (map(.repliesPerCpuSecond) | median),
      p50Micros: (map(.p50Micros) | median), p99Micros: (map(.p99Micros) | median),
      p999Micros: (map(.p999Micros) | median),
      rssKiB: (map(.rssKiB) | max), timeouts: (map(.timeouts) | add), errors: (map(.errors) | add),
      perRound: map({round, repliesPerCpuSecond, repliesPerSecond, p99Micros})}) as $rows
  | ($rows | map(select(.name == "opentracker")) | INDEX(.protocol)) as $ot
  | {time: $stamp, command: $cmd, cpu: $cpu, cores: $cores, kernel: $kernel, jdk: $jdk, shardJvm: $shardJvm,
     opentracker: $opentracker, redis: $redis, pinning: $pinning, loadAverageAfter: $load, rounds: $rounds,
     workload: {torrents: '"$TORRENTS"', clients: '"$CLIENTS"', peersPerTorrent: '"$PEERS_PER_TORRENT"',
                announcePercent: '"$ANNOUNCE_PERCENT"', scrapeHashes: '"$SCRAPE_HASHES"', numwant: '"$NUMWANT"',
                zipf: '"$ZIPF"', udpWindow: '"$WINDOW"', httpConnections: '"$HTTP_WINDOW"',
                requests: '"$REQUESTS"'},
     results: ($rows | map(. as $row | ($ot[$row.protocol]) as $o | $row + {
        cpuRatioToOpentracker: (if $o then $row.repliesPerCpuSecond / $o.repliesPerCpuSecond else null end),
        wallRatioToOpentracker: (if $o then $row.repliesPerSecond / $o.repliesPerSecond else null end),
        p99RatioToOpentracker: (if $o and $o.p99Micros > 0 then $row.p99Micros / $o.p99Micros else null end)})
        | sort_by(.protocol != "UDP", .name != "opentracker", .name))}')"
echo "$SUMMARY" > "$OUT/bench-$STAMP.json"
{
  echo "# Shoal benchmark $STAMP"
  echo
  echo "Command: \`$(echo "$SUMMARY" | jq -r .command)\`"
  echo
  echo "Machine: $(echo "$SUMMARY" | jq -r '"\(.cpu), \(.cores) cores, \(.kernel), \(.jdk); opentracker \(.opentracker), redis \(.redis)"')"
  echo "Shard JVM flags: \`$SHARD_JVM\`; pinning: $PINNING; load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "Workload: $TORRENTS torrents, $CLIENTS clients, ~$PEERS_PER_TORRENT peers per torrent, Zipf $ZIPF popularity," \
    "$ANNOUNCE_PERCENT % announce / $((100 - ANNOUNCE_PERCENT)) % scrape ($SCRAPE_HASHES hashes), numwant $NUMWANT;" \
    "UDP: $WINDOW requests in flight; HTTP: $HTTP_WINDOW keep-alive connections (opentracker closes each after" \
    "one reply; the load generator reconnects). $REQUESTS requests or ${DURATION}s per run; medians of $ROUNDS" \
    "alternating rounds. Latency: send to validated reply, at the load generator."
  echo
  echo "| tracker | protocol | replies/s | replies per server CPU-s | vs opentracker (CPU) | vs opentracker (wall) | p50 ms | p99 ms | p99 vs opentracker | RSS MiB | timeouts |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  echo "$SUMMARY" | jq -r '
    def pct: if . == null then "" else (. * 100 | round | tostring) + " %" end;
    def ms: if . == null then "" else (. / 10 | round / 100 | tostring) end;
    .results[] | "| \(.name) | \(.protocol) | \(.repliesPerSecond | floor) | \(.repliesPerCpuSecond | floor) | \(.cpuRatioToOpentracker | pct) | \(.wallRatioToOpentracker | pct) | \(.p50Micros | ms) | \(.p99Micros | ms) | \(if .p99RatioToOpentracker == null then "" else (.p99RatioToOpentracker * 100 | round / 100 | tostring) + "x" end) | \(.rssKiB / 1024 | floor) | \(.timeouts) |"'
  echo
  echo "Per round (replies per server CPU-second):"
  echo
  echo "$SUMMARY" | jq -r '.results[] | "- \(.name) \(.protocol): \(.perRound | map(.repliesPerCpuSecond | floor | tostring) | join(", "))"'
} > "$OUT/bench-$STAMP.md"
cat "$OUT/bench-$STAMP.md"
echo
echo "written: $OUT/bench-$STAMP.json $OUT/bench-$STAMP.md"

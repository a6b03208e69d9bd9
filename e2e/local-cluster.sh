#!/usr/bin/env bash
# A whole sharded Shoal tracker on one machine, every part its own process from the packaged jar:
# N shards (optionally one of them with two replicas, optionally one redis-server per shard), a routing
# document made with `routing init`, and an ingress in front. Everything listens on loopback only.
#
#   e2e/local-cluster.sh [start] [options]     run in the foreground; Ctrl-C stops everything
#   e2e/local-cluster.sh start --detach ...    start, print the addresses and return; stop later with:
#   e2e/local-cluster.sh stop [--dir DIR]
#   e2e/local-cluster.sh status [--dir DIR]
#
# Options (start):
#   --shards N             shards (1..50, default 3)
#   --replicated-shard K   run shard K as two replicas, on 127.0.0.1 and on ::1, behind one endpoint name
#                          (shoal-shard-K) that the ingress resolves to both through its own hosts file
#   --redis                one redis-server per shard (replicas of a shard share it); default: peers in memory
#   --base-port B          ports used: B (ingress UDP+HTTP), B+1 (ingress admin), B+100.. (shards' public),
#                          B+200.. (shards' admin), B+300.. (shards' internal), B+400.. (redis). Default 17000
#   --dir DIR              logs, key, routing document, pids (default ./local-cluster)
#   --jar FILE             shoal-tracker.jar (default: tracker-shard/target/shoal-tracker.jar next to this script)
#   --java FILE            java to run it with (default: $JAVA_HOME/bin/java, else java on PATH)
#   --heap SIZE            -Xmx of each JVM (default 256m)
#   --detach               return once everything is ready instead of waiting for Ctrl-C
#
# Layout of shard k, replica r (r = 0, or 1 for the second replica of --replicated-shard):
#   public UDP+HTTP B+100+2k+r, admin B+200+2k+r, internal B+300+k (both replicas: they bind different
#   addresses), redis B+400+k. The routing document's endpoint is 127.0.0.1:B+300+k, or
#   shoal-shard-k:B+300+k for the replicated shard.
#
# DIR/cluster.json describes what runs (ports, pids, files) for scripts and tests.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
READY_SECONDS=90

die() {
    echo "local-cluster: $*" >&2
    exit 2
}

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

command_name=start
if [[ $# -gt 0 && "$1" != -* ]]; then
    command_name="$1"
    shift
fi

shards=3
replicated=-1
redis=false
base_port=17000
dir="$PWD/local-cluster"
jar="$SCRIPT_DIR/../tracker-shard/target/shoal-tracker.jar"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/java}"
java_bin="${java_bin:-java}"
heap=256m
detach=false

while [[ $# -gt 0 ]]; do
    case "$1" in
        --shards) shards="${2:?--shards needs a number}"; shift 2 ;;
        --replicated-shard) replicated="${2:?--replicated-shard needs a shard index}"; shift 2 ;;
        --redis) redis=true; shift ;;
        --base-port) base_port="${2:?--base-port needs a number}"; shift 2 ;;
        --dir) dir="${2:?--dir needs a directory}"; shift 2 ;;
        --jar) jar="${2:?--jar needs a file}"; shift 2 ;;
        --java) java_bin="${2:?--java needs a file}"; shift 2 ;;
        --heap) heap="${2:?--heap needs a size}"; shift 2 ;;
        --detach) detach=true; shift ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown option $1 (try --help)" ;;
    esac
done

is_number() {
    [[ "$1" =~ ^[0-9]+$ ]]
}

pids_file() {
    echo "$dir/pids"
}

# Start time of a process in clock ticks since boot (field 22 of /proc/PID/stat; the name in field 2 may
# hold spaces, so count from the last ')').
start_time() {
    local stat
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
    stat="${stat##*) }"
    awk '{ print $20 }' <<< "$stat"
}

# A pid recorded in DIR/pids is ours only while it has the start time recorded with it: pids are reused,
# and this script must never signal someone else's process.
ours() {
    local pid="$1" started="$2" now
    now="$(start_time "$pid")" || return 1
    [[ "$now" == "$started" ]]
}

stop_all() {
    local file
    file="$(pids_file)"
    [[ -f "$file" ]] || return 0
    local name pid started
    local -a alive=() alive_started=()
    # Ingress first so that no client sees a half-stopped cluster, then shards, then Redis.
    while read -r name pid started; do
        if ours "$pid" "$started"; then
            kill -TERM "$pid" 2>/dev/null || true
            alive+=("$pid")
            alive_started+=("$started")
        fi
    done < <(tac "$file")
    local deadline=$((SECONDS + 15)) i
    for ((i = 0; i < ${#alive[@]}; i++)); do
        while ours "${alive[i]}" "${alive_started[i]}" && [[ $SECONDS -lt $deadline ]]; do
            sleep 0.2
        done
        if ours "${alive[i]}" "${alive_started[i]}"; then
            kill -KILL "${alive[i]}" 2>/dev/null || true
        fi
    done
    rm -f "$file"
    echo "local-cluster: stopped (${#alive[@]} processes); logs are in $dir" >&2
}

status() {
    local file
    file="$(pids_file)"
    [[ -f "$file" ]] || { echo "nothing running from $dir"; return 1; }
    local name pid started down=0
    while read -r name pid started; do
        if ours "$pid" "$started"; then
            echo "$name pid $pid running"
        else
            echo "$name pid $pid NOT running"
            down=1
        fi
    done < "$file"
    return $down
}

case "$command_name" in
    stop) dir="$(cd "$dir" 2>/dev/null && pwd)" || die "no directory $dir"; stop_all; exit 0 ;;
    status) dir="$(cd "$dir" 2>/dev/null && pwd)" || die "no directory $dir"; status; exit $? ;;
    start) ;;
    *) die "unknown command $command_name: start, stop or status" ;;
esac

is_number "$shards" && ((shards >= 1 && shards <= 50)) || die "--shards must be 1..50"
[[ "$replicated" == -1 ]] || { is_number "$replicated" && ((replicated < shards)); } \
    || die "--replicated-shard must be a shard index 0..$((shards - 1))"
is_number "$base_port" && ((base_port >= 1024 && base_port + 500 <= 65535)) || die "--base-port must be 1024..65035"
[[ -f "$jar" ]] || die "no jar at $jar: build it with mvn -pl tracker-shard -am package -DskipTests"
command -v "$java_bin" >/dev/null || die "no java at $java_bin"
if $redis; then
    command -v redis-server >/dev/null || die "--redis needs redis-server on PATH (apt-get install redis-server)"
fi
command -v curl >/dev/null || die "curl is needed to wait for readiness"

mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
jar="$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")"
if [[ -f "$(pids_file)" ]] && status >/dev/null 2>&1; then
    die "a cluster from $dir is already running: $0 stop --dir $dir"
fi
rm -f "$(pids_file)"

ingress_port=$base_port
ingress_admin=$((base_port + 1))
public_port() { echo $((base_port + 100 + 2 * $1 + $2)); }
admin_port() { echo $((base_port + 200 + 2 * $1 + $2)); }
internal_port() { echo $((base_port + 300 + $1)); }
redis_port() { echo $((base_port + 400 + $1)); }
replicas_of() { if [[ "$1" == "$replicated" ]]; then echo 2; else echo 1; fi; }
bind_of() { if [[ "$1" == 0 ]]; then echo 127.0.0.1; else echo ::1; fi; }
url_host() { if [[ "$1" == *:* ]]; then echo "[$1]"; else echo "$1"; fi; }
endpoint_of() {
    if [[ "$1" == "$replicated" ]]; then echo "shoal-shard-$1:$(internal_port "$1")"; else echo "127.0.0.1:$(internal_port "$1")"; fi
}

started_ok=false
on_exit() {
    if ! $started_ok || ! $detach; then
        stop_all
    fi
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Starts a process in its own session (so Ctrl-C in this terminal reaches only this script, which then stops
# everything in order) and records its pid under a name.
launch() {
    local name="$1" log="$2"
    shift 2
    setsid "$@" >"$log" 2>&1 < /dev/null &
    local pid=$!
    echo "$name $pid $(start_time "$pid")" >> "$(pids_file)"
}

await_ready() {
    local name="$1" url="$2" log="$3" pid started
    read -r pid started < <(awk -v n="$name" '$1 == n { print $2, $3 }' "$(pids_file)")
    local deadline=$((SECONDS + READY_SECONDS))
    until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
        if ! ours "$pid" "$started"; then
            echo "local-cluster: $name exited; last lines of $log:" >&2
            tail -n 20 "$log" >&2 || true
            exit 1
        fi
        if ((SECONDS >= deadline)); then
            echo "local-cluster: $name not ready within ${READY_SECONDS}s ($url); last lines of $log:" >&2
            tail -n 20 "$log" >&2 || true
            exit 1
        fi
        sleep 0.3
    done
}

# One key for every shard and the ingress: the ingress hands out connection ids the shards accept.
key_file="$dir/connection-id.key"
if [[ ! -s "$key_file" ]]; then
    (umask 077 && od -An -tx1 -N16 /dev/urandom | tr -d ' \n' > "$key_file")
fi

if $redis; then
    for ((k = 0; k < shards; k++)); do
        mkdir -p "$dir/redis-$k"
        launch "redis-$k" "$dir/redis-$k.log" redis-server --port "$(redis_port "$k")" --bind 127.0.0.1 \
            --save "" --appendonly no --daemonize no --dir "$dir/redis-$k"
    done
fi

# The serial collector and a small heap: a cluster of several JVMs on one machine stays small.
jvm=("$java_bin" "-Xmx$heap" -XX:+UseSerialGC)
for ((k = 0; k < shards; k++)); do
    for ((r = 0; r < $(replicas_of "$k"); r++)); do
        args=(shard --bind "$(bind_of "$r")" --port "$(public_port "$k" "$r")" --admin-port "$(admin_port "$k" "$r")"
            --internal-port "$(internal_port "$k")" --trusted-proxy 127.0.0.1/32,::1/128
            --connection-id-key-file "$key_file")
        if $redis; then
            args+=(--redis "redis://127.0.0.1:$(redis_port "$k")")
        fi
        launch "shard-$k-$r" "$dir/shard-$k-$r.log" "${jvm[@]}" -jar "$jar" "${args[@]}"
    done
done
for ((k = 0; k < shards; k++)); do
    for ((r = 0; r < $(replicas_of "$k"); r++)); do
        await_ready "shard-$k-$r" "http://$(url_host "$(bind_of "$r")"):$(admin_port "$k" "$r")/readyz" \
            "$dir/shard-$k-$r.log"
    done
done

# Names the ingress resolves: only the replicated shard has one, standing for both of its addresses as a
# headless Service does in Kubernetes. The file is read by the ingress JVM alone (jdk.net.hosts.file).
hosts_file="$dir/hosts"
: > "$hosts_file"
if [[ "$replicated" != -1 ]]; then
    printf '127.0.0.1 shoal-shard-%s\n::1 shoal-shard-%s\n' "$replicated" "$replicated" >> "$hosts_file"
fi
echo "127.0.0.1 localhost" >> "$hosts_file"

endpoints=()
for ((k = 0; k < shards; k++)); do
    endpoints+=(--endpoint "$(endpoint_of "$k")")
done
"${jvm[@]}" -jar "$jar" routing init --shards "$shards" "${endpoints[@]}" > "$dir/routing.json.new"
mv "$dir/routing.json.new" "$dir/routing.json"

launch ingress "$dir/ingress.log" "${jvm[@]}" -Djdk.net.hosts.file="$hosts_file" -jar "$jar" ingress \
    --bind 127.0.0.1 --port "$ingress_port" --admin-port "$ingress_admin" --routing "$dir/routing.json" \
    --connection-id-key-file "$key_file"
await_ready ingress "http://127.0.0.1:$ingress_admin/readyz" "$dir/ingress.log"

pid_of() { awk -v n="$1" '$1 == n { print $2 }' "$(pids_file)"; }

# cluster.json: the same facts for programs.
{
    printf '{"dir":"%s","routing":"%s","keyFile":"%s","hostsFile":"%s",\n' "$dir" "$dir/routing.json" "$key_file" \
        "$hosts_file"
    printf ' "ingress":{"host":"127.0.0.1","port":%d,"adminPort":%d,"pid":%s},\n' "$ingress_port" "$ingress_admin" \
        "$(pid_of ingress)"
    printf ' "shards":['
    for ((k = 0; k < shards; k++)); do
        ((k == 0)) || printf ','
        printf '\n  {"shard":%d,"endpoint":"%s","internalPort":%d,' "$k" "$(endpoint_of "$k")" "$(internal_port "$k")"
        if $redis; then
            printf '"redis":{"port":%d,"pid":%s},' "$(redis_port "$k")" "$(pid_of "redis-$k")"
        fi
        printf '"replicas":['
        for ((r = 0; r < $(replicas_of "$k"); r++)); do
            ((r == 0)) || printf ','
            printf '{"host":"%s","port":%d,"adminPort":%d,"pid":%s,"log":"%s"}' "$(bind_of "$r")" \
                "$(public_port "$k" "$r")" "$(admin_port "$k" "$r")" "$(pid_of "shard-$k-$r")" "$dir/shard-$k-$r.log"
        done
        printf ']}'
    done
    printf '\n]}\n'
} > "$dir/cluster.json"

started_ok=true
cat <<EOF
Shoal local cluster: $shards shard(s)$([[ "$replicated" != -1 ]] && echo ", shard $replicated with two replicas")$($redis && echo ", one redis-server per shard")
  announce (UDP)   udp://127.0.0.1:$ingress_port/announce
  announce (HTTP)  http://127.0.0.1:$ingress_port/announce
  ingress admin    http://127.0.0.1:$ingress_admin/stats   (/healthz /readyz /metrics)
EOF
for ((k = 0; k < shards; k++)); do
    for ((r = 0; r < $(replicas_of "$k"); r++)); do
        h="$(url_host "$(bind_of "$r")")"
        name="shard $k"
        if (($(replicas_of "$k") > 1)); then
            name="shard $k/$r"
        fi
        printf '  %-16s public %s:%s  admin http://%s:%s/stats  internal %s:%s%s\n' "$name" "$h" \
            "$(public_port "$k" "$r")" "$h" "$(admin_port "$k" "$r")" "$h" "$(internal_port "$k")" \
            "$($redis && echo "  redis 127.0.0.1:$(redis_port "$k")")"
    done
done
cat <<EOF
  routing          $dir/routing.json (the ingress re-reads it when it changes)
  logs, pids       $dir
Change the routing (the ingress follows within seconds), e.g. leave the last shard out:
  java -jar $jar routing rebalance --shards $((shards > 1 ? shards - 1 : 1)) --from $dir/routing.json > $dir/next.json && mv $dir/next.json $dir/routing.json
EOF
if $detach; then
    echo "Stop with: $0 stop --dir $dir"
    exit 0
fi
echo "Ctrl-C stops everything."
# Wait for any part to die, then stop the rest: a half-running cluster is worse than none.
while true; do
    while read -r name pid started; do
        if ! ours "$pid" "$started"; then
            echo "local-cluster: $name (pid $pid) exited; stopping everything" >&2
            exit 1
        fi
    done < "$(pids_file)"
    sleep 1
done

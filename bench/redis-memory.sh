#!/usr/bin/env bash
# Redis memory per peer of the Redis peer store: loads TORRENTS x PEERS peers through the store's announce script
# into a fresh, private redis-server (loopback, no persistence) and prints used_memory growth per peer.
#   bench/redis-memory.sh [TORRENTS=100000] [PEERS_PER_TORRENT=10]
# Needs redis-server (PATH or /usr/bin), JDK 17, Maven (offline is fine). Takes about a minute for 1M peers.
set -euo pipefail
cd "$(dirname "$0")/.."
torrents="${1:-100000}"
peers="${2:-10}"

mvn -o -q -B -pl tracker-shard -am package -DskipTests

quiet_log="$(mktemp --suffix=.xml)"
trap 'rm -f "$quiet_log"' EXIT
cat > "$quiet_log" <<'XML'
<configuration>
  <appender name="ERR" class="ch.qos.logback.core.ConsoleAppender">
    <target>System.err</target>
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n</pattern></encoder>
  </appender>
  <root level="WARN"><appender-ref ref="ERR"/></root>
</configuration>
XML

exec java -Xmx2g -Dlogback.configurationFile="$quiet_log" \
  -cp tracker-shard/target/shoal-tracker.jar:tracker-shard/target/test-classes \
  io.shoal.tracker.peers.redis.RedisMemoryMeasurement "$torrents" "$peers"

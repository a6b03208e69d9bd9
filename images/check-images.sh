#!/usr/bin/env bash
# Builds both images as tars from a local base (no registry needed) and proves that each starts:
#   - shoal-tracker: unpacked and run as its own non-root user, it answers an HTTP announce and
#     its /readyz, and the same image's load generator drives it over UDP with every reply checked;
#   - shoal-operator: prints its --help and exits 0;
#   - both: numeric non-root user, tagged with the project version and latest, and a second build of the
#     tracker image gives the same image id (reproducible layers and config).
# CI runs it from .ci/run. Needs root or user namespaces (see run-image.sh), jq, curl, python3.
# Usage: images/check-images.sh            (about a minute or two on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "check-images: $*"; }
fail() { echo "check-images: FAILED: $*" >&2; exit 1; }

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

version="$(sed -n 's|^  <version>\(.*\)</version>$|\1|p' pom.xml | head -1)"
[ -n "$version" ] || fail "cannot read the project version from pom.xml"

base="$PWD/images/target/base.tar"
images/make-base.sh "$base"

build_images() {
  ./mvnw -B -q -pl "$1" -am package -DskipTests -Dmaven.test.skip=true jib:buildTar \
    -Dshoal.image.base="tar://$base"
}
say "building images $version from $base"
build_images tracker-shard,operator

image_config() { tar -xOf "$1" config.json; }

check_metadata() { # image.tar name
  local image="$1" name="$2" user tags
  user="$(image_config "$image" | jq -r .config.User)"
  [[ "$user" =~ ^[1-9][0-9]*:[0-9]+$ ]] || fail "$name: user '$user' is not a numeric non-root uid:gid"
  tags="$(tar -xOf "$image" manifest.json | jq -r '.[0].RepoTags | join(" ")')"
  case " $tags " in
    *" $name:$version "*) ;;
    *) fail "$name: tagged '$tags', expected $name:$version" ;;
  esac
  case " $tags " in
    *" $name:latest "*) ;;
    *) fail "$name: tagged '$tags', expected $name:latest too (the CRDs' default image)" ;;
  esac
  say "$name: user $user, tag $tags"
}

free_port() {
  python3 -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]
t = socket.socket(); t.bind(("127.0.0.1", p)); print(p)'
}

tracker="tracker-shard/target/jib-image.tar"
operator="operator/target/jib-image.tar"
check_metadata "$tracker" shoal-tracker
check_metadata "$operator" shoal-operator

# --- the tracker image serves ---
port="$(free_port)"
admin="$(free_port)"
# A subshell that execs: its PID becomes the tracker's, so the trap can stop exactly that process.
( exec images/run-image.sh --root "$work/tracker" "$tracker" shard --bind 127.0.0.1 --port "$port" \
    --admin-port "$admin" >"$work/tracker.log" 2>&1 ) &
pids+=($!)
for _ in $(seq 120); do
  if curl -sf "http://127.0.0.1:$admin/readyz" >/dev/null; then break; fi
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$work/tracker.log" >&2; fail "the tracker image exited"; }
  sleep 0.5
done
curl -sf "http://127.0.0.1:$admin/readyz" >/dev/null || { cat "$work/tracker.log" >&2; fail "tracker never became ready"; }
uid="$(awk '/^Uid:/ {print $2}' "/proc/${pids[0]}/status")"
image_uid="$(image_config "$tracker" | jq -r .config.User | cut -d: -f1)"
[ "$uid" = "$image_uid" ] || fail "the tracker runs as uid $uid, not the image's $image_uid"

hash='%01%02%03%04%05%06%07%08%09%0A%0B%0C%0D%0E%0F%10%11%12%13%14'
reply="$(curl -sf "http://127.0.0.1:$port/announce?info_hash=$hash&peer_id=-SH0001-imagecheck01&port=6881&uploaded=0&downloaded=0&left=0&event=started")" \
  || fail "the HTTP announce failed"
case "$reply" in
  d8:completei1e*8:intervali*5:peers*) say "shoal-tracker: HTTP announce answered: $reply" ;;
  *) fail "unexpected announce reply: $reply" ;;
esac

# The image's own load generator (a second unpacked copy) against the tracker, over UDP: bounded in
# requests and time; it exits non-zero when a reply is wrong or missing.
images/run-image.sh --root "$work/loadgen" "$tracker" loadgen --host 127.0.0.1 --port "$port" \
  --clients 20 --torrents 50 --peers-per-torrent 4 --requests 2000 --duration 20s --warmup-duration 20s \
  >"$work/loadgen.log" 2>&1 || { cat "$work/loadgen.log" >&2; fail "UDP load through the image failed"; }
say "shoal-tracker: UDP loadgen from the image: $(grep "^load " "$work/loadgen.log")"

# --- the operator image starts ---
images/run-image.sh --root "$work/operator" "$operator" --help >"$work/operator.log" 2>&1 \
  || { cat "$work/operator.log" >&2; fail "shoal-operator --help exited non-zero"; }
grep -qi 'usage' "$work/operator.log" || { cat "$work/operator.log" >&2; fail "shoal-operator --help printed no usage"; }
say "shoal-operator: --help: $(head -1 "$work/operator.log")"

# --- reproducible: the same inputs give the same image ---
first="$(cat tracker-shard/target/jib-image.id)"
build_images tracker-shard
again="$(cat tracker-shard/target/jib-image.id)"
[ "$first" = "$again" ] || fail "two builds of shoal-tracker differ: $first vs $again"
say "shoal-tracker: rebuilt with the same image id $again"
say "all images checked"

#!/usr/bin/env bash
# Runs a container image without a container runtime: unpacks a docker-archive tar (what
# `jib:buildTar` and `docker save` write) into a directory and starts the image's own entrypoint
# in it, as the image's user, with the image's environment and working directory. The process
# gets a private mount namespace (unshare) in which /proc and /dev are bind-mounted into the
# unpacked root before it becomes the root directory; the network is the host's.
#
# This is how CI proves that an image starts; it is not a sandbox. It needs root, or user
# namespaces (then it runs as a mapped root instead of the image's user).
#
# Usage: images/run-image.sh [--root DIR] IMAGE.tar [ARG...]
#   ARGs replace the image's Cmd, as `docker run IMAGE ARG...` does. The script execs the image's
#   process, so its PID is the caller's child's PID. --root keeps the unpacked tree in DIR (it must be
#   empty or absent); otherwise a temporary directory is used and left for the OS's tmp cleaning.
set -euo pipefail

die() { echo "run-image: $*" >&2; exit 1; }

root=""
if [ "${1:-}" = "--root" ]; then root="${2:?--root needs a directory}"; shift 2; fi
image="${1:?usage: run-image.sh [--root DIR] IMAGE.tar [ARG...]}"
shift
[ -f "$image" ] || die "$image: no such file"
command -v jq >/dev/null || die "jq is needed (Debian package jq)"
command -v unshare >/dev/null || die "unshare is needed (util-linux)"

if [ -z "$root" ]; then root="$(mktemp -d)"; fi
mkdir -p "$root"
[ -z "$(ls -A "$root")" ] || die "$root is not empty"
root="$(cd "$root" && pwd)"
# mktemp makes 0700 directories; the image's user must be able to enter its own root.
chmod 755 "$root"

meta="$(mktemp -d)"
tar -xf "$image" -C "$meta" manifest.json
manifest="$meta/manifest.json"
[ "$(jq length "$manifest")" = 1 ] || die "$image holds more than one image"
config_file="$(jq -r '.[0].Config' "$manifest")"
tar -xf "$image" -C "$meta" "$config_file"
config="$meta/$config_file"

# Layers in order; whiteouts (.wh.*) would delete lower files, and neither Jib nor make-base.sh
# writes any, so one is refused rather than half-applied.
while IFS= read -r layer; do
  # Through a file, so that tar sees whether the layer is compressed.
  tar -xf "$image" -C "$meta" "$layer"
  tar --warning=no-unknown-keyword -xf "$meta/$layer" -C "$root"
  rm -f "$meta/$layer"
done < <(jq -r '.[0].Layers[]' "$manifest")
if find "$root" -name '.wh.*' -print -quit | grep -q .; then die "$image has whiteout files"; fi

mapfile -t entrypoint < <(jq -r '.config.Entrypoint // [] | .[]' "$config")
if [ $# -gt 0 ]; then
  command=("${entrypoint[@]}" "$@")
else
  mapfile -t cmd < <(jq -r '.config.Cmd // [] | .[]' "$config")
  command=("${entrypoint[@]}" "${cmd[@]}")
fi
[ ${#command[@]} -gt 0 ] || die "$image has neither an entrypoint nor a command"
mapfile -t env < <(jq -r '.config.Env // [] | .[]' "$config")
user="$(jq -r '.config.User // ""' "$config")"
workdir="$(jq -r '.config.WorkingDir // "" | if . == "" then "/" else . end' "$config")"
rm -rf "$meta"

as_user=()
if [ "$(id -u)" -eq 0 ]; then
  unshare_ns=(--mount)
  if [ -n "$user" ]; then
    uid="${user%%:*}"
    gid="${user#*:}"; [ "$gid" != "$user" ] || gid="$uid"
    [[ "$uid" =~ ^[0-9]+$ && "$gid" =~ ^[0-9]+$ ]] || die "user '$user' is not numeric"
    as_user=(--setuid "$uid" --setgid "$gid")
  fi
else
  unshare_ns=(--mount --map-root-user)
fi

mkdir -p "$root/proc" "$root/dev"
# The inner unshare runs on the host's binaries and changes root only when it execs the entrypoint,
# which it finds on the image's PATH (from the image's Env, the only environment it gets). The inline
# script's variables are its own, hence single quotes.
# shellcheck disable=SC2016
exec env -i "${env[@]}" unshare "${unshare_ns[@]}" -- /bin/sh -c '
  root="$1"; shift
  mount --rbind /proc "$root/proc" && mount --rbind /dev "$root/dev" || exit 125
  exec "$@"
' run-image "$root" unshare --root="$root" --wd="$workdir" "${as_user[@]}" -- "${command[@]}"

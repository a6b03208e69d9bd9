#!/usr/bin/env bash
# Makes a container base image from the JDK on this machine, without Docker or a registry: a jlink
# runtime at /opt/java/openjdk, the shared libraries it links (as ldd finds them), the dynamic
# loader, CA certificates, /etc/passwd and /etc/group with the non-root user the images run as,
# and an empty /tmp. The output is a docker-archive tar (the layout `docker save` writes), which
# Jib takes as a base with -Dshoal.image.base=tar:///absolute/path.tar.
#
# Machines that can pull images do not need this: the build's default base is a maintained JRE
# image. This exists for machines with no registry (CI here) and for air-gapped builds.
#
# Usage: images/make-base.sh [OUTPUT.tar]        (default: images/target/base.tar)
# Environment: JAVA_HOME (default: the JDK of `javac` on PATH), SHOAL_BASE_MODULES (jlink modules).
# The same JDK, modules and libraries give a byte-identical tar: every time and owner is fixed.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/target/base.tar}"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac

die() { echo "make-base: $*" >&2; exit 1; }

if [ -z "${JAVA_HOME:-}" ]; then
  javac_path="$(command -v javac)" || die "no javac on PATH and JAVA_HOME unset"
  JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$javac_path")")")"
fi
[ -x "$JAVA_HOME/bin/jlink" ] || die "$JAVA_HOME/bin/jlink not found (a full JDK is needed)"
[ -d "$JAVA_HOME/jmods" ] || die "$JAVA_HOME/jmods not found (on Debian: openjdk-17-jdk-headless)"
for tool in ldd tar sha256sum; do command -v "$tool" >/dev/null || die "$tool not found"; done

# What a server JRE needs (what Temurin's JRE has), less the desktop: no AWT, so no X11, font or
# image libraries. Add modules here if a dependency ever needs them.
modules="${SHOAL_BASE_MODULES:-java.base,java.compiler,java.datatransfer,java.instrument,java.logging,\
java.management,java.management.rmi,java.naming,java.net.http,java.prefs,java.rmi,java.scripting,\
java.security.jgss,java.security.sasl,java.sql,java.sql.rowset,java.transaction.xa,java.xml,java.xml.crypto,\
jdk.charsets,jdk.crypto.cryptoki,jdk.crypto.ec,jdk.httpserver,jdk.jcmd,jdk.jfr,jdk.management,\
jdk.management.agent,jdk.management.jfr,jdk.naming.dns,jdk.net,jdk.security.auth,jdk.security.jgss,\
jdk.unsupported,jdk.zipfs}"

case "$(uname -m)" in
  x86_64) arch=amd64 ;;
  aarch64) arch=arm64 ;;
  *) die "unsupported machine $(uname -m)" ;;
esac

user_id=65532
java_home=/opt/java/openjdk

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/root"
mkdir -p "$root"

echo "make-base: jlink from $JAVA_HOME"
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --output "$root$java_home" \
  --strip-debug --no-man-pages --no-header-files --compress=2

# Debian's JDK links its security files to /etc; the image has no such /etc, so keep the contents.
for f in "$root$java_home"/lib/security/* "$root$java_home"/conf/security/*; do
  if [ -L "$f" ]; then cp --remove-destination -L "$f" "$f.real" && mv "$f.real" "$f"; fi
done
find "$root$java_home" -xtype l -print | grep . && die "dangling links in the runtime (above)"

# Every ELF file of the runtime, with every library it needs from the system. The runtime's own
# lib/ and lib/server/ are on the path, as the launcher arranges at run time, so anything still
# "not found" is really missing.
runtime_libs="$root$java_home/lib:$root$java_home/lib/server"
needed="$work/needed"
: >"$needed"
while IFS= read -r -d '' elf; do
  head -c 4 "$elf" | grep -q 'ELF' || continue
  deps="$(LD_LIBRARY_PATH="$runtime_libs" ldd "$elf" 2>&1)" || die "ldd failed on $elf: $deps"
  if grep -q 'not found' <<<"$deps"; then die "$elf needs a library that is not installed: $deps"; fi
  # "libz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x...)" and the loader "/lib64/ld-linux-x86-64.so.2 (0x...)"
  awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' <<<"$deps" >>"$needed"
done < <(find "$root$java_home" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0)
# Native code inside application jars (Netty's epoll, for one) is extracted and loaded at run time,
# so ldd above never sees it; it links against the rest of the C library, which every glibc
# distribution ships alongside libc.so.6. Take those too (on glibc 2.34+ most are small stubs).
libc_path="$(awk '$1 == "libc.so.6" {print $3}' <<<"$(LD_LIBRARY_PATH="$runtime_libs" ldd "$root$java_home/bin/java")")"
[ -n "$libc_path" ] || die "cannot find libc.so.6 through ldd"
for name in libdl.so.2 libpthread.so.0 librt.so.1 libresolv.so.2 libutil.so.1 libanl.so.1 \
  libnss_files.so.2 libnss_dns.so.2; do
  if [ -e "$(dirname "$libc_path")/$name" ]; then echo "$(dirname "$libc_path")/$name" >>"$needed"; fi
done
sort -u "$needed" | while IFS= read -r lib; do
  case "$lib" in "$root"*) continue ;; esac
  # Keep the path the loader asked for (e.g. /lib64/ld-linux-x86-64.so.2) and store the file itself.
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
[ -n "$(find "$root" -path '*/ld-linux*' -print -quit)" ] || die "no dynamic loader found by ldd"

mkdir -p "$root/etc/ssl/certs" "$root/home/shoal" "$root/tmp" "$root/proc" "$root/sys" "$root/dev"
chmod 1777 "$root/tmp"
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  cp -L /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
fi
cat >"$root/etc/passwd" <<EOF
root:x:0:0:root:/root:/sbin/nologin
shoal:x:$user_id:$user_id:shoal:/home/shoal:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
EOF
cat >"$root/etc/group" <<EOF
root:x:0:
shoal:x:$user_id:
nogroup:x:65534:
EOF
# glibc resolves names through these; Kubernetes mounts /etc/hosts and /etc/resolv.conf itself.
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
[ -f "$root$java_home/lib/security/cacerts" ] || die "the runtime has no lib/security/cacerts"

# Reproducible tars: sorted names, epoch times, root owner, no access or change times. Members are
# named without a leading "./", as `docker save` writes them.
repro_tar() {
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=posix \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime "$@"
}
image="$work/image"
mkdir -p "$image"
top_level() { find "$1" -mindepth 1 -maxdepth 1 -printf '%f\n' | LC_ALL=C sort; }
mapfile -t members < <(top_level "$root")
repro_tar -C "$root" -cf "$work/layer.tar" "${members[@]}"
diff_id="$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
mkdir -p "$image/$diff_id"
mv "$work/layer.tar" "$image/$diff_id/layer.tar"

java_version="$("$root$java_home/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.runtime.version/ {print $2}')"
cat >"$work/config.json" <<EOF
{"architecture":"$arch","os":"linux","created":"1970-01-01T00:00:00Z",
"config":{"Env":["PATH=$java_home/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=$java_home","JAVA_VERSION=$java_version","HOME=/home/shoal","LANG=C.UTF-8"],
"User":"$user_id:$user_id","WorkingDir":"/",
"Labels":{"org.opencontainers.image.description":"jlink runtime of Java $java_version made by images/make-base.sh"}},
"rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
"history":[{"created":"1970-01-01T00:00:00Z","created_by":"images/make-base.sh"}]}
EOF
config_id="$(sha256sum "$work/config.json" | cut -d' ' -f1)"
mv "$work/config.json" "$image/$config_id.json"
printf '[{"Config":"%s.json","RepoTags":["shoal-base:local"],"Layers":["%s/layer.tar"]}]\n' \
  "$config_id" "$diff_id" >"$image/manifest.json"

mkdir -p "$(dirname "$out")"
mapfile -t members < <(top_level "$image")
repro_tar -C "$image" -cf "$out.tmp" "${members[@]}"
mv "$out.tmp" "$out"
echo "make-base: $out ($(du -h "$out" | cut -f1), Java $java_version, layer sha256:$diff_id)"

#!/usr/bin/env bash
# Builds a runnable Java 17 base image as a docker-save tarball WITHOUT a registry or a daemon:
# FROM scratch + a jlink'd JRE + the host's glibc, libz, libstdc++, libgcc_s and dynamic loader.
# Jib consumes it offline as `tar://<path>` (kcl-consumer's -Pjib-offline profile).
#
#   docker/jib-offline-base/build-base.sh [output.tar]   (default: docker/jib-offline-base/target/jre17-base.tar)
#
# For real builds use the registry base image configured in kcl-consumer/pom.xml instead; this
# exists because this machine has neither registry access nor a Docker engine.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/target/jre17-base.tar}"
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
[[ -d "$java_home/jmods" ]] || { echo "build-base: $java_home has no jmods (install a full JDK 17)" >&2; exit 1; }

# What a Dropwizard + KCL + AWS SDK + Lettuce service needs (java.desktop: java.beans for
# Jackson/Hibernate Validator; jdk.crypto.ec: TLS to AWS; jdk.naming.dns: Netty's DNS resolver).
modules="java.base,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,java.desktop,\
java.scripting,java.security.jgss,java.instrument,java.compiler,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.unsupported,\
jdk.management,jdk.naming.dns,jdk.zipfs,jdk.localedata"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root"/{tmp,etc,opt}
chmod 1777 "$root/tmp"

"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress=2 --include-locales=en --output "$root/opt/java"

# Every shared library the JRE's binaries and libraries link against, plus the NSS modules glibc
# loads at run time for name resolution, copied under their real paths.
copy_lib() {
  local src="$1" real
  real="$(readlink -f "$src")"
  mkdir -p "$root$(dirname "$src")" "$root$(dirname "$real")"
  [[ -e "$root$real" ]] || cp "$real" "$root$real"
  [[ "$src" == "$real" || -e "$root$src" ]] || ln -s "$real" "$root$src"
  chmod 755 "$root$real"
}
# java.desktop is there for java.beans only: its GUI/sound/font natives (and their X11, ALSA and
# freetype dependencies) are never loaded by a headless server, so they are not scanned.
mapfile -t libs < <(find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) \
  ! -regex '.*/lib\(awt_xawt\|jawt\|atk-wrapper\|jsound\|splashscreen\|fontmanager\|lcms\|javajpeg\|mlib_image\)\.so' -exec ldd {} \; 2>/dev/null \
  | awk '/=> \//{print $3} /^\s*\/lib/{print $1}' | sort -u)
for lib in "${libs[@]}"; do
  [[ "$lib" == "$root"/* ]] || copy_lib "$lib"   # the JRE's own libraries are already in place
done
for extra in /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libnss_dns.so.2 /lib/x86_64-linux-gnu/libresolv.so.2; do
  [[ -e "$extra" ]] && copy_lib "$extra"
done
# The loader path the binaries ask for (/lib64/ld-linux-x86-64.so.2).
interp="$(readelf -l "$root/opt/java/bin/java" | sed -n 's/.*interpreter: \(.*\)]/\1/p')"
copy_lib "$interp"

cat > "$root/etc/passwd" <<'P'
root:x:0:0:root:/root:/sbin/nologin
app:x:1000:1000:app:/app:/sbin/nologin
P
echo 'app:x:1000:' > "$root/etc/group"
printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n' > "$root/etc/hosts"
# Java's cacerts come with the jlink'd java.base; nothing else is needed for TLS.

# One reproducible layer: sorted entries, fixed owner and mtime.
layer="$work/layer.tar"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='2000-01-01 00:00:00Z' -C "$root" -cf "$layer" .
layer_sha="$(sha256sum "$layer" | cut -d' ' -f1)"

mkdir -p "$work/image"
mv "$layer" "$work/image/$layer_sha.tar"
cat > "$work/image/config.json" <<J
{
  "architecture": "amd64",
  "os": "linux",
  "created": "2000-01-01T00:00:00Z",
  "config": {
    "Env": ["PATH=/opt/java/bin:/usr/bin:/bin", "JAVA_HOME=/opt/java", "LANG=C.UTF-8"],
    "WorkingDir": "/"
  },
  "rootfs": { "type": "layers", "diff_ids": ["sha256:$layer_sha"] },
  "history": [{ "created": "2000-01-01T00:00:00Z", "created_by": "docker/jib-offline-base/build-base.sh: scratch + jlink JRE 17 + host glibc" }]
}
J
config_sha="$(sha256sum "$work/image/config.json" | cut -d' ' -f1)"
mv "$work/image/config.json" "$work/image/$config_sha.json"
cat > "$work/image/manifest.json" <<M
[{ "Config": "$config_sha.json", "RepoTags": ["recsys/jre17-base:offline"], "Layers": ["$layer_sha.tar"] }]
M

mkdir -p "$(dirname "$out")"
# Plain member names (no "./" prefix): readers look up "manifest.json" literally.
tar --owner=0 --group=0 --numeric-owner --mtime='2000-01-01 00:00:00Z' -C "$work/image" -cf "$out" \
  manifest.json "$config_sha.json" "$layer_sha.tar"
echo "build-base: $(du -h "$out" | cut -f1) $out (JRE modules: $(echo "$modules" | tr ',' '\n' | wc -l), libraries: ${#libs[@]})"

#!/usr/bin/env bash
# Smoke check of the kcl-consumer image built offline by Jib (-Pjib-offline): unpack the image
# tarball into a root filesystem and run the image's own entrypoint, environment and user in a
# chroot (no Docker engine needed; must run as root).
#   1. `check consumer.yml` — the whole classpath loads and the bundled config parses (exit 0);
#   2. `server` (the default command) — the admin port answers /ping within the timeout.
#
#   docker/jib-offline-base/smoke.sh [image.tar]   (default: kcl-consumer/target/jib-image.tar)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
image="${1:-$here/../../kcl-consumer/target/jib-image.tar}"
timeout_s="${SMOKE_TIMEOUT_SECONDS:-90}"
[[ -f "$image" ]] || { echo "smoke: FAIL (no image tar at $image; build it with -Pjib-offline)"; exit 1; }
[[ $(id -u) == 0 ]] || { echo "smoke: FAIL (chroot needs root)"; exit 1; }
chroot_bin="$(command -v chroot)"   # absolute: the runs below start from an empty environment

work="$(mktemp -d)"
pid=""
cleanup() {
  [[ -n "$pid" ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  mountpoint -q "$work/root/proc" && umount "$work/root/proc"
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

mkdir -p "$work/img" "$work/root"
tar -xf "$image" -C "$work/img"
manifest="$work/img/manifest.json"
config="$work/img/$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["Config"])' "$manifest")"
while read -r layer; do
  tar --warning=no-unknown-keyword -xf "$work/img/$layer" -C "$work/root"   # in order; gzip auto-detected
done < <(python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))[0]["Layers"]))' "$manifest")

# The image's entrypoint, environment and user, exactly as a container runtime would use them.
mapfile -t entrypoint < <(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["config"]; print("\n".join(c.get("Entrypoint") or []))' "$config")
mapfile -t image_env < <(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["config"]; print("\n".join(c.get("Env") or []))' "$config")
user="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["config"].get("User") or "0:0")' "$config")"
workdir="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["config"].get("WorkingDir") or "/")' "$config")"
[[ ${#entrypoint[@]} -gt 0 ]] || { echo "smoke: FAIL (image has no entrypoint)"; exit 1; }
mkdir -p "$work/root/tmp" "$work/root/proc"
chmod 1777 "$work/root/tmp"
# A container runtime gives the process /proc: the JVM needs it (e.g. the launcher resolves its
# $ORIGIN library path through /proc/self/exe).
mount -t proc proc "$work/root/proc"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
app_port="$(free_port)"; admin_port="$(free_port)"
# Offline run: loopback only, endpoints that refuse at once, static fake credentials (no IMDS).
run_env=("${image_env[@]}" BIND_HOST=127.0.0.1 APP_PORT="$app_port" ADMIN_PORT="$admin_port"
  AWS_REGION=us-east-1 KINESIS_ENDPOINT=http://127.0.0.1:9 DYNAMODB_ENDPOINT=http://127.0.0.1:9
  S3_ENDPOINT=http://127.0.0.1:9 CLOUDWATCH_ENDPOINT=http://127.0.0.1:9
  STATIC_ACCESS_KEY_ID=smoke STATIC_SECRET_ACCESS_KEY=smoke KCL_LOG_LEVEL=ERROR
  KCL_SHUTDOWN_MILLIS=10000)  # a short graceful budget: nothing to flush with every endpoint down

echo "smoke: image $(basename "$image"): entrypoint ${entrypoint[*]:0:3} ... user $user workdir $workdir"

# 1. check: class loading + configuration parsing inside the image
if out="$(env -i "${run_env[@]}" "$chroot_bin" --userspec="$user" "$work/root" "${entrypoint[@]}" check consumer.yml 2>&1)"; then
  echo "$out" | tail -2 | sed 's/^/  | /'
else
  echo "$out" | tail -30 | sed 's/^/  | /'
  echo "smoke: FAIL (check consumer.yml exited non-zero)"; exit 1
fi

# 2. server: the default command starts and the admin port answers
t0=$(date +%s%N)
env -i "${run_env[@]}" "$chroot_bin" --userspec="$user" "$work/root" "${entrypoint[@]}" >"$work/server.log" 2>&1 &
pid=$!
ok=0
for _ in $(seq 1 $((timeout_s * 5))); do
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  if [[ "$(python3 - "$admin_port" <<'PY' 2>/dev/null
import sys, urllib.request
print(urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/ping", timeout=1).read().decode().strip())
PY
)" == "pong" ]]; then ok=1; break; fi
  sleep 0.2
done
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
if [[ $ok == 1 ]]; then
  # SIGTERM starts the graceful shutdown; like ECS (stopTimeout 120 s) give it a bounded window.
  kill -TERM "$pid"
  t1=$SECONDS
  while kill -0 "$pid" 2>/dev/null && (( SECONDS - t1 < 120 )); do sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid"; wait "$pid" 2>/dev/null || true; pid=""
    echo "smoke: FAIL (started, but did not stop within 120 s of SIGTERM: ECS would SIGKILL it)"; exit 1
  fi
  wait "$pid" 2>/dev/null || true; pid=""
  echo "smoke: OK — image entrypoint started; admin /ping answered after ${ms} ms; on SIGTERM it stopped after $((SECONDS - t1)) s"
else
  tail -30 "$work/server.log" | sed 's/^/  | /'
  echo "smoke: FAIL (admin /ping did not answer within ${timeout_s}s)"; exit 1
fi

#!/usr/bin/env bash
# Installs what the offline stack needs on a fresh machine: redis-server (Debian package) and the
# pinned Node tools in local/ (npm ci from the committed lockfile). Idempotent and quick when done.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

need() { command -v "$1" >/dev/null 2>&1 || { echo "bootstrap: '$1' is required but not installed ($2)" >&2; exit 1; }; }
need java "JDK 17+"
need node "Node.js 20+ with npm"
need npm "Node.js 20+ with npm"

if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: installing redis-server (Debian package)"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null
  else
    echo "bootstrap: redis-server is missing; install it (e.g. sudo apt-get install redis-server)" >&2
    exit 1
  fi
fi

stamp="$root/local/node_modules/.recsys-lock-stamp"
if [ ! -f "$stamp" ] || ! cmp -s "$root/local/package-lock.json" "$stamp"; then
  echo "bootstrap: installing pinned emulators (npm ci in local/)"
  (cd "$root/local" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$root/local/package-lock.json" "$stamp"
fi

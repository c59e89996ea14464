#!/usr/bin/env bash
# Installs what the offline stack needs on a fresh machine: redis-server (Debian package) and the pinned Node tools in
# local/ (npm ci from the committed lockfile); with --with-browser (./recsys test) also chromium and chromium-driver.
# Idempotent and quick when done.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

need() { command -v "$1" >/dev/null 2>&1 || { echo "bootstrap: '$1' is required but not installed ($2)" >&2; exit 1; }; }
need java "JDK 17+"
need node "Node.js 20+ with npm"
need npm "Node.js 20+ with npm"

# Debian packages: redis-server (ElastiCache's stand-in) and chromium + chromium-driver (the headless browser of
# local/runner's BrowserCorsIT). One `apt-get update`, only when something is missing.
debs=()
command -v redis-server >/dev/null 2>&1 || debs+=(redis-server)
if [ "${1:-}" = --with-browser ]; then
  command -v chromium >/dev/null 2>&1 || debs+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || debs+=(chromium-driver)
fi
if [ "${#debs[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: installing ${debs[*]} (Debian packages)"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${debs[@]}" >/dev/null
  else
    echo "bootstrap: missing ${debs[*]}; install them (e.g. sudo apt-get install ${debs[*]})" >&2
    exit 1
  fi
fi

stamp="$root/local/node_modules/.recsys-lock-stamp"
if [ ! -f "$stamp" ] || ! cmp -s "$root/local/package-lock.json" "$stamp"; then
  echo "bootstrap: installing pinned emulators (npm ci in local/)"
  (cd "$root/local" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$root/local/package-lock.json" "$stamp"
fi

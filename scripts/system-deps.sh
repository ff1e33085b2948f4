#!/usr/bin/env bash
# System packages the tests need, from Debian: installs what is missing when run as root with apt,
# otherwise says which command to run.
# redis-server: the multi-process channel layer; gcc: builds the CPU Ollama's SYCL stand-in;
# chromium + Noto fonts: browser tests (Arabic too); docker-compose: validates the compose files offline;
# nginx: the proxy tests run docker/nginx/hadra.conf in front of two hadra processes.
set -euo pipefail
PACKAGES="redis-server gcc make chromium fonts-noto-core docker-compose nginx"
missing=""
for pkg in $PACKAGES; do dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"; done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  echo "The tests need these system packages:$missing" >&2
  echo "Install them with: sudo apt-get install -y$missing" >&2
  exit 1
fi

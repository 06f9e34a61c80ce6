#!/usr/bin/env bash
# Makes sure python3 is on this machine, installing Debian's package when it
# is missing: `make test` runs the Python trainers' unit tests
# (assets/trainers/test_*.py, stdlib only).
set -euo pipefail

command -v python3 >/dev/null 2>&1 && exit 0

install_cmd="apt-get update && apt-get install -y python3"
if [ "$(id -u)" = 0 ]; then
  echo "python3 missing: running: $install_cmd" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q && apt-get install -y -q python3 >&2
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  echo "python3 missing: running: sudo sh -c '$install_cmd'" >&2
  sudo env DEBIAN_FRONTEND=noninteractive sh -c "apt-get update -q && apt-get install -y -q python3" >&2
else
  echo "python3 is missing and this user cannot install it." >&2
  echo "Run as root:  sudo sh -c '$install_cmd'" >&2
  exit 1
fi
command -v python3 >/dev/null 2>&1 || { echo "installed python3, but it is still not found" >&2; exit 1; }

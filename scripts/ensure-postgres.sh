#!/usr/bin/env bash
# Makes sure PostgreSQL's server binaries (initdb, postgres) are on this
# machine, installing Debian's package when they are missing. Brightrun's
# zero-config mode and its tests run a private cluster with them.
set -euo pipefail

have_initdb() {
  command -v initdb >/dev/null 2>&1 && return 0
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null 2>&1
}

have_initdb && exit 0

install_cmd="apt-get update && apt-get install -y postgresql"
if [ "$(id -u)" = 0 ]; then
  echo "PostgreSQL server binaries missing: running: $install_cmd" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q && apt-get install -y -q postgresql >&2
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  echo "PostgreSQL server binaries missing: running: sudo sh -c '$install_cmd'" >&2
  sudo env DEBIAN_FRONTEND=noninteractive sh -c "apt-get update -q && apt-get install -y -q postgresql" >&2
else
  echo "PostgreSQL server binaries (initdb) are missing and this user cannot install them." >&2
  echo "Run as root:  sudo sh -c '$install_cmd'" >&2
  exit 1
fi
have_initdb || { echo "installed postgresql, but initdb is still not found" >&2; exit 1; }

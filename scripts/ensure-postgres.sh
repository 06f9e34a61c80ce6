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

source "$(dirname "$0")/apt-install.sh"
apt_install postgresql "PostgreSQL server binaries (initdb)"
have_initdb || { echo "installed postgresql, but initdb is still not found" >&2; exit 1; }

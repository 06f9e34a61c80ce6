#!/usr/bin/env bash
# Makes sure python3 is on this machine, installing Debian's package when it
# is missing: `make test` runs the Python trainers' unit tests
# (assets/trainers/test_*.py, stdlib only).
set -euo pipefail

command -v python3 >/dev/null 2>&1 && exit 0

source "$(dirname "$0")/apt-install.sh"
apt_install python3 "python3"
command -v python3 >/dev/null 2>&1 || { echo "installed python3, but it is still not found" >&2; exit 1; }

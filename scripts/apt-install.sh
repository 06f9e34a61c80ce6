# Sourced by the ensure-*.sh scripts: installs a missing Debian package the
# same way for each of them.

# apt_install PACKAGE WHAT installs PACKAGE with apt-get, as root or through
# passwordless sudo; otherwise it says how to and exits 1. WHAT names the
# missing thing in its messages.
apt_install() {
  local pkg=$1 what=$2
  local install_cmd="apt-get update && apt-get install -y $pkg"
  if [ "$(id -u)" = 0 ]; then
    echo "$what missing: running: $install_cmd" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q && apt-get install -y -q "$pkg" >&2
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    echo "$what missing: running: sudo sh -c '$install_cmd'" >&2
    sudo env DEBIAN_FRONTEND=noninteractive sh -c "apt-get update -q && apt-get install -y -q $pkg" >&2
  else
    echo "$what missing, and this user cannot install $pkg." >&2
    echo "Run as root:  sudo sh -c '$install_cmd'" >&2
    exit 1
  fi
}

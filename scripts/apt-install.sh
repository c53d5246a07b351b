#!/usr/bin/env bash
# Installs the Debian packages Havainto needs when they are missing.
# As root it uses apt-get; otherwise it says what to install and carries on.
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install ${missing[*]}" >&2
  echo "(Voikko is needed for Finnish analysis; without it Havainto falls back to simplemma." >&2
  echo " chromium is needed only for the browser tests, which are skipped without it.)" >&2
fi

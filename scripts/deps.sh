#!/bin/sh
# Install what qingshui needs to build, test and run on Debian 12:
# the Debian packages listed below (with apt-get, as root) and the npm
# packages of package.json/package-lock.json (with npm ci). postgresql-15 is
# the server the tests start themselves (tests/pg.sh), libpq-dev its client.
# Not root and something missing: prints the exact apt-get line and fails.
set -eu

PACKAGES="gcc make pkg-config meson ninja-build sqlite3
  libsqlite3-dev libjansson-dev libmicrohttpd-dev libsodium-dev libuv1-dev
  libxlsxwriter-dev libcmocka-dev clang libclang-rt-14-dev chromium
  libcurl4-openssl-dev fonts-wqy-microhei libpango1.0-dev libcairo2-dev
  poppler-utils libpq-dev postgresql-15 libxml2-dev zlib1g-dev"

missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# Commands that may come from elsewhere than Debian (a newer Node.js, pyenv):
# install Debian's only when the command is absent.
command -v python3 >/dev/null 2>&1 || missing="$missing python3"
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"

if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "deps: installing$missing" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
  else
    echo "deps: missing Debian packages:$missing" >&2
    echo "deps: run as root:  apt-get update && apt-get install -y$missing" >&2
    exit 1
  fi
fi

cd "$(dirname "$0")/.."
# npm ci when the lock file changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.qingshui-lock; then
  echo "deps: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.qingshui-lock
fi

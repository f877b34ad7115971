#!/usr/bin/env bash
# Make sure Debian's Chromium is there for the browser tests (tests/web/test_browser.py).
#
# Installs the `chromium` package with apt-get when /usr/bin/chromium is missing and the script
# runs as root (a one-time cost; later runs find it installed).  The browser tests launch that
# binary; no browser is downloaded any other way.  When it cannot be had, the browser tests are
# reported as not run - and, with CI=true, this script fails so the run fails.
set -uo pipefail

note() { echo "chromium-for-tests: $*" >&2; }

if [ -x /usr/bin/chromium ]; then
  exit 0
fi
why=""
if [ "$(id -u)" != "0" ]; then
  why="Chromium is not installed, and installing it needs root"
elif ! command -v apt-get >/dev/null 2>&1; then
  why="Chromium is not installed, and this system has no apt-get (not Debian)"
else
  note "installing chromium from Debian's packages (one time)"
  if ! DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
    || ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; then
    why="apt-get could not install chromium"
  fi
fi
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
note "browser tests will not run: ${why:-chromium was installed but /usr/bin/chromium is missing}"
if [ "${CI:-}" = "true" ]; then
  exit 1
fi
exit 0

#!/bin/sh
# Installs headless Chromium and its WebDriver from Debian's packages for the browser tests
# (tests/browser). Idempotent: does nothing when both binaries are already there.
# Exit codes: 0 installed or already present, 2 cannot install (not root and no sudo), other: apt failed.
set -eu

CHROMIUM=/usr/bin/chromium
CHROMEDRIVER=/usr/bin/chromedriver
PACKAGES="chromium chromium-driver"

if [ -x "$CHROMIUM" ] && [ -x "$CHROMEDRIVER" ]; then
    echo "install-browser: $CHROMIUM and $CHROMEDRIVER already present, nothing to do"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "install-browser: $CHROMIUM or $CHROMEDRIVER missing and not root (no sudo); as root run:" >&2
    echo "  apt-get update && apt-get install -y $PACKAGES" >&2
    exit 2
fi

start=$(date +%s)
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PACKAGES >/dev/null
for bin in "$CHROMIUM" "$CHROMEDRIVER"; do
    if [ ! -x "$bin" ]; then
        echo "install-browser: installed $PACKAGES but $bin is still missing" >&2
        exit 1
    fi
done
echo "install-browser: installed $PACKAGES with apt-get${SUDO:+ (via sudo)} in $(( $(date +%s) - start ))s"

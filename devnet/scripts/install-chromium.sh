#!/bin/sh
# Installs Debian's headless Chromium and its driver for the dashboard's browser test, once.
# Needs root (apt-get); prints why and exits 3 when it cannot, so the test can skip with that reason.
set -e
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" != "0" ]; then
    echo "chromium/chromedriver missing and not root: run 'apt-get install chromium chromium-driver' as root" >&2
    exit 3
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "chromium/chromedriver missing and no apt-get on this machine" >&2
    exit 3
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2 || { echo "apt-get update failed" >&2; exit 3; }
apt-get install -y -q --no-install-recommends chromium chromium-driver >&2 || { echo "apt-get install chromium chromium-driver failed" >&2; exit 3; }
command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 || { echo "installed, but chromium or chromedriver is not on the PATH" >&2; exit 3; }

#!/usr/bin/env bash
# Install Debian's chromium for the report browser tests (tests/report/test_browser.py),
# unless a chromium is already on the PATH. Needs root (CI containers run as root).
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends chromium

#!/usr/bin/env bash
# Install Debian's chromium for the report browser tests (tests/report/test_browser.py) and
# for printing report.pdf, and poppler-utils (pdftotext, pdfinfo, pdftoppm) with which
# tests/report/test_print_pdf.py reads the printed pages; skips what is already on the PATH.
# Needs root (CI containers run as root).
set -euo pipefail
packages=()
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  packages+=(chromium)
fi
if ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then
  packages+=(poppler-utils)
fi
if [ ${#packages[@]} -eq 0 ]; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${packages[@]}"

"""Print the HTML report to PDF with a headless Chromium, so that the PDF *is* the report.

The browser runs with a fresh profile in a temporary folder and everything that would reach
the network switched off (the report fetches nothing anyway). Page breaks, the running header
and page numbers come from the report's print CSS (``@page`` margin boxes); charts are inline
SVG, so they stay vector graphics in the PDF.

The browser is ``$OFFICESIM_BROWSER`` when set, else the first of ``chromium``,
``chromium-browser``, ``google-chrome`` and ``google-chrome-stable`` on the PATH.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from sim.errors import OfficesimError

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--no-pdf-header-footer",
)
TIMEOUT_S = 300


def find_browser() -> str | None:
    """The browser executable to print with, or None when there is none."""
    chosen = os.environ.get("OFFICESIM_BROWSER")
    if chosen:
        return shutil.which(chosen) or (chosen if Path(chosen).is_file() else None)
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def print_to_pdf(html: Path, pdf: Path, browser: str) -> Path:
    """Print ``html`` (a file) to ``pdf`` with the browser, atomically; raise when it fails."""
    pdf.parent.mkdir(parents=True, exist_ok=True)
    tmp = pdf.with_name(f".{pdf.name}.printing")
    tmp.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="officesim-browser-") as profile:
        command = [
            browser,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={tmp}",
            html.resolve().as_uri(),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
            )
        except subprocess.TimeoutExpired:
            tmp.unlink(missing_ok=True)
            raise OfficesimError.single(
                str(pdf), "", f"the browser did not finish printing within {TIMEOUT_S} s"
            ) from None
    if not tmp.is_file() or tmp.stat().st_size == 0:
        tmp.unlink(missing_ok=True)
        detail = (done.stderr or "").strip().splitlines()[-1:] or ["no output"]
        raise OfficesimError.single(
            str(pdf),
            "",
            f"{browser} could not print the report (exit {done.returncode}: {detail[0]})",
        )
    os.replace(tmp, pdf)
    return pdf

"""The PDF is the HTML report printed by a headless browser; without one, a fallback that says
what it lacks. Checked by its page count and its text (pdftotext), page by page."""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest

from sim.experiment.api import run
from sim.experiment.inputs import scenario_from_dict
from sim.report import write_run_report
from sim.report.browser import FLAGS, find_browser
from tests.conftest import small_scenario

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="poppler-utils (pdftotext, pdfinfo) not installed",
)


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]


def _text(pdf: Path, page: int) -> str:
    args = ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def small_run():
    data = small_scenario()
    data["description"] = "A small counter office used to check the printed report."
    scenario = scenario_from_dict(data)
    return scenario, run(scenario)


def test_browser_flags_keep_it_offline_and_fresh():
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ):
        assert flag in FLAGS


@needs_poppler
@pytest.mark.skipif(find_browser() is None, reason="no Chromium or Chrome installed")
def test_pdf_is_the_printed_html_report(small_run, tmp_path):
    scenario, result = small_run
    paths = write_run_report(tmp_path, result, scenario, pdf=True)
    pdf = tmp_path / "report.pdf"
    assert pdf in paths
    html = (tmp_path / "report.html").read_text()
    n_sections = html.count("<section id=")
    pages = _pages(pdf)
    # Every section starts a page; none needs more than a handful.
    assert n_sections <= pages <= 3 * n_sections, (pages, n_sections)
    first = _text(pdf, 1)
    assert "Executive summary" in first and "Question:" in first and "Answer:" in first
    # Page one reads as the top of the HTML page: title, verdict banners and every paragraph
    # of the executive summary, word for word.
    flat = " ".join(first.split()).lower()  # the kicker is upper case in print
    shown = re.sub(r'<span class="files">.*?</span>', "", html)  # file names: screen only
    top = shown.split('<section id="executive-summary">', 1)[1].split("</section>", 1)[0]
    said = re.findall(r"<(?:h1|li|p)[^>]*>(.*?)</(?:h1|li|p)>", shown.split("<nav", 1)[0] + top)
    assert len(said) >= 5
    for text in said:
        words = " ".join(unescape(re.sub(r"<[^>]+>", "", text)).split()).lower()
        assert words in flat, words
    assert "A small counter office used to check the printed report." in first
    assert "small" in first.splitlines()[0]  # the running header names the report
    assert f"Page 1 of {pages}" in first
    assert f"Page 2 of {pages}" in _text(pdf, 2)
    full = "\n".join(_text(pdf, p) for p in range(1, pages + 1))
    # No cell is cut short, and verdicts are printed once each.
    assert "…" not in full
    verdicts = (
        html.count("served within 10 min: met")
        + html.count("served within 10 min: uncertain")
        + html.count("served within 10 min: missed")
    )
    printed = len(re.findall(r"served within 10 min: (met|uncertain|missed)", full))
    assert printed == verdicts
    for key in ("all.wait_mean_min", "role.teller.utilization", "Reproducibility"):
        assert key in full.replace("\n", " ") or key in full


@needs_poppler
def test_without_a_browser_the_fallback_says_what_it_lacks(
    small_run, tmp_path, monkeypatch, capsys
):
    scenario, result = small_run
    monkeypatch.setenv("OFFICESIM_BROWSER", str(tmp_path / "no-such-browser"))
    write_run_report(tmp_path, result, scenario, pdf=True)
    assert "no Chromium or Chrome found" in capsys.readouterr().err
    first = _text(tmp_path / "report.pdf", 1)
    assert "Printed without a web browser" in first
    assert _pages(tmp_path / "report.pdf") > 1

"""Render a :class:`~sim.report.model.Report` as one self-contained HTML file.

Charts are inlined as SVG (their element ids prefixed per chart so that several SVGs can share
a page), styles are inline, and nothing is fetched: no scripts, fonts or images from anywhere.
Jinja2 escapes every piece of text; only the SVG markup produced here is marked safe.
"""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, Template, select_autoescape
from markupsafe import Markup

from sim.report.model import Cell, Chart, Report
from sim.version import __version__

TEMPLATES = Path(__file__).parent / "templates"

_XML_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)
_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|xlink:href="#|href="#)([^")]+)')
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)


def svg_markup(chart: Chart, index: int) -> str:
    """The chart as inline SVG: no XML prologue or metadata, ids unique to this chart."""
    buf = io.StringIO()
    chart.figure.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    text = _METADATA.sub("", _XML_PROLOGUE.sub("", buf.getvalue(), count=1))
    prefix = f"c{index}-"
    text = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', text)
    text = _REF.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}", text)
    title = Markup.escape(chart.title)
    return text.replace(
        "<svg ", f'<svg role="img" aria-label="{title}" data-chart="{chart.key}" ', 1
    )


@cache
def report_template() -> Template:
    """The report's HTML template, compiled once per process (about 15 ms)."""
    return _environment().get_template("report.html.j2")


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.tests["cell"] = lambda value: isinstance(value, Cell)
    return env


def _css_string(text: str) -> str:
    """Text safe inside a CSS string in a <style> element (the running page header): quotes,
    backslashes and markup characters dropped, apostrophes typographic."""
    clean = "".join(ch for ch in text.replace("'", "’") if ch not in '<>"&\\\n')
    return Markup(clean)


HEADER_CHARS = 80
"""Longest running page header; a longer title gives way to the report's kind."""


def page_header(report: Report) -> str:
    """The running header of printed pages: ``officesim · TITLE``, or ``officesim · compare
    report`` when the title would not fit on one line (a header is never cut mid-word)."""
    text = f"officesim · {report.title}"
    return text if len(text) <= HEADER_CHARS else f"officesim · {report.kind} report"


def render_html(report: Report) -> str:
    """The report as an HTML document (charts must have their ``svg`` filled in)."""
    return report_template().render(
        report=report,
        svg=lambda chart: Markup(chart.svg),
        version=__version__,
        page_header=_css_string(page_header(report)),
        css=Markup((TEMPLATES / "report.css").read_text(encoding="utf-8")),
    )

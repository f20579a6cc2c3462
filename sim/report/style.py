"""The one chart style of every report: Okabe–Ito colours, readable type, units on every axis.

Okabe & Ito (2008), "Color Universal Design", is safe for the common forms of colour-vision
deficiency; verdicts also carry a symbol and a word so that nothing depends on colour alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib
from cycler import cycler

from sim.report.textmetrics import shared_text_metrics

OKABE_ITO: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}
SERIES: tuple[str, ...] = tuple(OKABE_ITO.values())
"""Colours of successive data series, in order."""

VERDICT_COLOURS: dict[str, str] = {
    "met": OKABE_ITO["green"],
    "missed": OKABE_ITO["vermillion"],
    "uncertain": OKABE_ITO["orange"],
}
VERDICT_SYMBOLS: dict[str, str] = {"met": "✓", "missed": "✗", "uncertain": "?"}
TARGET_COLOUR = "#444444"
BAND_ALPHA = 0.22

WIDTH = 8.0
"""Default figure width in inches (about a laptop screen's text column at 100 %)."""

RC: dict[Any, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"],
    "font.size": 9.5,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titley": 1.0,
    "axes.labelsize": 9.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
    "axes.prop_cycle": cycler(color=list(SERIES)),
    "legend.frameon": False,
    "legend.fontsize": 8.5,
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "svg.fonttype": "none",
    "svg.hashsalt": "officesim",
    "lines.linewidth": 1.8,
    "image.cmap": "viridis",
    "text.parse_math": False,
}
"""Matplotlib settings of all report charts (SVG text stays text: searchable and small; option,
role and space names are text even when they hold ``$``, never a formula to parse; titles sit
at a fixed height above the axes, as no chart has labels above its axes, so drawing does not
measure the tick labels again to move them)."""


@contextmanager
def chart_style() -> Iterator[None]:
    """Apply the report style to figures created and saved inside the block (and measure each
    string of their text once, :func:`~sim.report.textmetrics.shared_text_metrics`)."""
    with matplotlib.rc_context(RC), shared_text_metrics():
        yield


def colour(i: int) -> str:
    """The colour of the ``i``-th series (cycling)."""
    return SERIES[i % len(SERIES)]

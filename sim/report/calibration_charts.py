"""Charts of a calibration: QQ plot of a service fit, patience survival curve, staffing seen.

Plain numbers in, a matplotlib Figure out, drawn like the other report charts (call inside
:func:`sim.report.style.chart_style`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure

from sim.report.charts import figure
from sim.report.style import BAND_ALPHA, TARGET_COLOUR, colour


def qq_chart(title: str, fitted: Sequence[float], observed: Sequence[float], family: str) -> Figure:
    """Observed quantiles against the fitted family's, on log axes; the diagonal is a perfect fit."""
    fig = figure(3.6, width=4.6)
    ax = fig.axes[0]
    x = np.asarray(fitted, dtype=float) / 60
    y = np.asarray(observed, dtype=float) / 60
    ok = (x > 0) & (y > 0)
    lo, hi = float(min(x[ok].min(), y[ok].min())), float(max(x[ok].max(), y[ok].max()))
    ax.plot(
        [lo, hi], [lo, hi], color=TARGET_COLOUR, linestyle="--", linewidth=1, label="perfect fit"
    )
    ax.plot(x[ok], y[ok], "o", color=colour(0), markersize=3, label=f"percentiles 1-99 ({family})")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(f"fitted {family} quantile (min)")
    ax.set_ylabel("observed quantile (min)")
    ax.set_title(title)
    ax.legend(loc="upper left")
    return fig


def survival_chart(
    title: str,
    t: Sequence[float],
    sf: Sequence[float],
    low: Sequence[float],
    high: Sequence[float],
    fitted: Mapping[str, Sequence[float]],
) -> Figure:
    """Kaplan-Meier P(patience > t) with its band, and fitted survival curves over it."""
    fig = figure(3.4)
    ax = fig.axes[0]
    minutes = np.asarray(t, dtype=float) / 60
    ax.step(minutes, sf, where="post", color=colour(0), label="Kaplan-Meier (censored waits)")
    ax.fill_between(minutes, low, high, step="post", color=colour(0), alpha=BAND_ALPHA, linewidth=0)
    for i, (label, curve) in enumerate(fitted.items(), start=1):
        ax.plot(minutes, curve, color=colour(i), linestyle="--", label=label)
    ax.set_xlabel("waiting time (min)")
    ax.set_ylabel("P(patience > t)")
    ax.set_ylim(0, 1.02)
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def staffing_chart(
    title: str, hours: Sequence[float], agents: Sequence[float], occupancy: Sequence[float]
) -> Figure:
    """Agents per interval (bars) with their occupancy (line, right axis)."""
    fig = figure(3.2)
    ax = fig.axes[0]
    x = np.asarray(hours, dtype=float)
    width = float(x[1] - x[0]) if len(x) > 1 else 1.0
    ax.bar(x, agents, width=width * 0.9, align="edge", color=colour(0), label="agents")
    ax.set_xlabel("hour of day")
    ax.set_ylabel("agents")
    right = ax.twinx()
    right.plot(
        x + width / 2, np.asarray(occupancy) * 100, color=colour(1), marker="o", markersize=2.5
    )
    right.set_ylabel("occupancy (%)", color=colour(1))
    right.set_ylim(0, 100)
    ax.set_title(title)
    return fig

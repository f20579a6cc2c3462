"""Every report chart, drawn one way: titles that say what is shown, units on every axis.

Functions take plain numbers (an estimate is ``(mean, ci_low, ci_high)``; NaN where undefined)
and return a matplotlib :class:`~matplotlib.figure.Figure` built with the object API, so
charts render without a display and in parallel-safe code. Call them inside
:func:`sim.report.style.chart_style`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from sim.layout import EdgeKey, Floor, WalkNetwork, draw_floor
from sim.report.style import (
    BAND_ALPHA,
    OKABE_ITO,
    TARGET_COLOUR,
    VERDICT_COLOURS,
    WIDTH,
    colour,
)

Est = tuple[float, float, float]
"""An estimate: mean, CI low, CI high."""


@dataclass(frozen=True)
class Series:
    """A line with an optional confidence band."""

    label: str
    mean: Sequence[float]
    low: Sequence[float] | None = None
    high: Sequence[float] | None = None
    dashed: bool = False


@dataclass(frozen=True)
class XAxis:
    """The horizontal axis of a line chart: positions, their tick labels and the axis label."""

    values: Sequence[float]
    ticks: Sequence[str]
    label: str


def figure(
    height: float,
    width: float = WIDTH,
    nrows: int = 1,
    ncols: int = 1,
    *,
    constrained: bool = False,
) -> Figure:
    """A new figure with a grid of axes (``fig.axes``).

    Its margins are fitted to its text once it is drawn (:func:`sim.report.margins.fit_margins`,
    applied by :class:`~sim.report.model.Chart`); ``constrained`` asks for matplotlib's
    constrained layout instead, for figures whose parts that fitting does not place (a colour bar
    shared by several axes, a figure title). A figure of one axes is one made ahead by
    :func:`prepare_figures` when one is left (the same figure, sized now).
    """
    if nrows == ncols == 1 and not constrained and _SPARE and _style_now() == _SPARE_STYLE:
        fig = _SPARE.pop()
        fig.set_size_inches(width, height)
        return fig
    return _new_figure(height, width, nrows, ncols, constrained=constrained)


def _new_figure(
    height: float, width: float, nrows: int, ncols: int, *, constrained: bool
) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained" if constrained else None)
    fig.subplots(nrows, ncols, squeeze=False)
    return fig


SPARE_TICKS = 8
"""Ticks made ahead on each axis of a figure made ahead: about as many as a chart's axis shows
(matplotlib makes an axis's ticks when it first needs them, about half a millisecond each;
ones a chart does not use are never drawn)."""

_SPARE: list[Figure] = []
"""Empty figures of one axes made ahead (:func:`prepare_figures`), taken by :func:`figure`."""

_SPARE_STYLE: object = None
"""The matplotlib settings the spare figures were made with (a figure is taken only under the
same settings: the axes and ticks take theirs when made)."""


def _style_now() -> object:
    return matplotlib.rcParams.copy()  # not dict(rcParams): reading 'backend' loads one


def prepare_figures(count: int, waiting: Callable[[], bool] = lambda: False) -> None:
    """Make up to ``count`` empty figures of one axes ahead, for :func:`figure` to take, with
    :data:`SPARE_TICKS` ticks on each axis; stop early once ``waiting()`` says other work waits.

    Making a figure, its axes and their ticks is a fixed cost of every chart (about a fifth of
    drawing one); a process that has time before it knows what to draw (the standby copy that
    renders a run's report, while the run simulates) pays it then. A figure made ahead and sized
    later is drawn to the same bytes as one made at once. Call inside
    :func:`sim.report.style.chart_style`.
    """
    global _SPARE_STYLE
    style = _style_now()
    if style != _SPARE_STYLE:
        _SPARE.clear()
        _SPARE_STYLE = style
    while len(_SPARE) < count and not waiting():
        fig = _new_figure(3.4, WIDTH, 1, 1, constrained=False)
        ax = fig.axes[0]
        ax.xaxis.get_major_ticks(SPARE_TICKS)
        ax.yaxis.get_major_ticks(SPARE_TICKS)
        _SPARE.append(fig)


def _finite(values: Sequence[float]) -> np.ndarray:
    return np.asarray([np.nan if v is None else v for v in values], dtype=float)


def _target_line(ax: Axes, value: float | None, label: str, vertical: bool) -> None:
    if value is None or math.isnan(value):
        return
    draw = ax.axvline if vertical else ax.axhline
    draw(value, color=TARGET_COLOUR, linestyle="--", linewidth=1.3, label=label, zorder=4)


def band_chart(
    title: str,
    x: XAxis,
    series: Sequence[Series],
    ylabel: str,
    *,
    target: float | None = None,
    height: float = 3.4,
) -> Figure:
    """Lines over ``x`` (hours of the day, sweep values) with shaded 95% confidence bands."""
    fig = figure(height)
    ax = fig.axes[0]
    xs = np.asarray(x.values, dtype=float)
    for i, s in enumerate(series):
        c = colour(i)
        ax.plot(
            xs,
            _finite(s.mean),
            color=c,
            marker="o",
            markersize=3.5,
            linestyle="--" if s.dashed else "-",
            label=s.label,
        )
        if s.low is not None and s.high is not None:
            ax.fill_between(
                xs, _finite(s.low), _finite(s.high), color=c, alpha=BAND_ALPHA, linewidth=0
            )
    _target_line(ax, target, "target", vertical=False)
    ax.set_xticks(xs, list(x.ticks))
    if len(xs) > 10:
        ax.tick_params(axis="x", labelrotation=45)
    ax.set_xlabel(x.label)
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=min(0.0, float(np.nanmin(ax.get_ylim()))))
    ax.set_title(title)
    if len(series) > 1:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    elif target is not None:
        ax.legend(loc="best")
    return fig


def estimate_bars(
    title: str,
    labels: Sequence[str],
    values: Sequence[Est],
    xlabel: str,
    *,
    target: float | None = None,
    target_label: str = "target",
    colours: Sequence[str] | None = None,
) -> Figure:
    """Horizontal bars of means with 95% CI whiskers, one per label, first label on top."""
    fig = figure(max(1.6, 0.9 + 0.38 * len(labels)))
    ax = fig.axes[0]
    y = np.arange(len(labels))[::-1]
    mean = np.array([v[0] for v in values], dtype=float)
    low = np.array([v[1] for v in values], dtype=float)
    high = np.array([v[2] for v in values], dtype=float)
    err = np.vstack([np.nan_to_num(mean - low), np.nan_to_num(high - mean)])
    ax.barh(
        y,
        np.nan_to_num(mean),
        color=list(colours) if colours else OKABE_ITO["blue"],
        height=0.62,
        xerr=err,
        error_kw={"ecolor": "#222222", "capsize": 3, "elinewidth": 1.1},
        zorder=3,
    )
    _target_line(ax, target, target_label, vertical=True)
    ax.set_yticks(y, list(labels))
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    ax.set_title(title)
    if target is not None and not math.isnan(target):
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def dot_ranges(
    title: str,
    rows: Sequence[str],
    stats: Mapping[str, Sequence[Est]],
    xlabel: str,
    *,
    target: float | None = None,
    target_label: str = "target",
    markers: Mapping[str, Sequence[float]] | None = None,
) -> Figure:
    """Several statistics per row (median, mean, p90 ...) as dots with 95% CI whiskers.

    ``markers`` adds reference ticks per row (e.g. a task's due time), by legend label.
    """
    fig = figure(max(1.8, 1.0 + 0.5 * len(rows)))
    ax = fig.axes[0]
    base = np.arange(len(rows))[::-1].astype(float)
    shapes = "o", "D", "s", "^", "v", "P"
    offset = np.linspace(-0.22, 0.22, len(stats)) if len(stats) > 1 else np.zeros(1)
    for i, (name, values) in enumerate(stats.items()):
        mean = np.array([v[0] for v in values], dtype=float)
        low = np.array([v[1] for v in values], dtype=float)
        high = np.array([v[2] for v in values], dtype=float)
        err = np.vstack([np.nan_to_num(mean - low), np.nan_to_num(high - mean)])
        ax.errorbar(
            mean,
            base + offset[i],
            xerr=err,
            fmt=shapes[i % len(shapes)],
            color=colour(i),
            markersize=6,
            capsize=3,
            label=name,
            zorder=3,
        )
    for j, (name, xs) in enumerate((markers or {}).items()):
        for k, x in enumerate(xs):
            if x is not None and not math.isnan(x):
                ax.plot([x, x], [base[k] - 0.35, base[k] + 0.35], color="#222222", linewidth=2.2)
        ax.plot([], [], color="#222222", linewidth=2.2, label=name, marker="|" if j else None)
    _target_line(ax, target, target_label, vertical=True)
    ax.set_yticks(base, list(rows))
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlim(left=0)
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


@dataclass(frozen=True)
class TradeoffPoint:
    """One option on a trade-off chart: its label and two estimates (across, up)."""

    label: str
    x: Est
    y: Est


def tradeoff_points(
    title: str,
    points: Sequence[TradeoffPoint],
    xlabel: str,
    ylabel: str,
    *,
    target: float | None = None,
    target_label: str = "target",
) -> Figure:
    """One dot per option with 95% CI whiskers both ways (e.g. cost against a service KPI)."""
    fig = figure(3.2)
    ax = fig.axes[0]
    for i, p in enumerate(points):
        if math.isnan(p.x[0]) or math.isnan(p.y[0]):
            continue
        xerr = [[_half(p.x[0], p.x[1])], [_half(p.x[2], p.x[0])]]
        yerr = [[_half(p.y[0], p.y[1])], [_half(p.y[2], p.y[0])]]
        ax.errorbar(
            [p.x[0]],
            [p.y[0]],
            xerr=xerr,
            yerr=yerr,
            fmt="o",
            color=colour(i),
            capsize=3,
            label=p.label,
            zorder=3,
        )
    _target_line(ax, target, target_label, vertical=False)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def _half(high: float, low: float) -> float:
    """A whisker length: ``high - low``, 0 when undefined or negative."""
    d = high - low
    return 0.0 if math.isnan(d) else max(0.0, d)


@dataclass(frozen=True)
class DiffPanel:
    """One KPI's paired differences against the reference option."""

    label: str
    rows: Sequence[str]
    values: Sequence[Est]
    significant: Sequence[bool]


def difference_forest(title: str, panels: Sequence[DiffPanel]) -> Figure:
    """Paired differences (option − reference) with 95% CIs, one small panel per KPI."""
    n_rows = sum(max(1, len(p.rows)) for p in panels)
    fig = Figure(figsize=(WIDTH, 0.9 + 0.42 * n_rows + 0.45 * len(panels)))
    axes = fig.subplots(
        len(panels), 1, squeeze=False, height_ratios=[max(1, len(p.rows)) for p in panels]
    )[:, 0]
    for ax, p in zip(axes, panels, strict=True):
        y = np.arange(len(p.rows))[::-1]
        for k, (v, sig) in enumerate(zip(p.values, p.significant, strict=True)):
            c = OKABE_ITO["vermillion"] if sig else "#777777"
            lo = 0.0 if math.isnan(v[1]) else v[0] - v[1]
            hi = 0.0 if math.isnan(v[2]) else v[2] - v[0]
            ax.errorbar(v[0], y[k], xerr=[[lo], [hi]], fmt="o", color=c, capsize=3, zorder=3)
        ax.axvline(0, color=TARGET_COLOUR, linewidth=1.0)
        ax.set_yticks(y, list(p.rows))
        ax.set_ylim(-0.6, len(p.rows) - 0.4)
        ax.set_xlabel(p.label)
        ax.grid(axis="y", visible=False)
    axes[0].set_title(title)
    fig.legend(
        handles=[
            Line2D([], [], marker="o", color=OKABE_ITO["vermillion"], label="significant"),
            Line2D([], [], marker="o", color="#777777", label="not significant"),
        ],
        loc="outside lower center",
        ncols=2,
    )
    return fig


def staffing_steps(
    title: str,
    hours: Sequence[str],
    planned: Mapping[str, Sequence[float]],
    required: Mapping[str, Sequence[float]],
) -> Figure:
    """Staff on duty per opening hour under a plan (steps) against the analytic requirement."""
    fig = figure(3.4)
    ax = fig.axes[0]
    x = np.arange(len(hours) + 1)
    for i, (role, values) in enumerate(planned.items()):
        v = list(values)
        ax.step(x, [*v, v[-1]], where="post", color=colour(i), label=f"{role}: planned")
        need = required.get(role)
        if need:
            n = list(need)
            ax.step(
                x,
                [*n, n[-1]],
                where="post",
                color=colour(i),
                linestyle=":",
                linewidth=1.4,
                label=f"{role}: required (queueing theory)",
            )
    ax.set_xticks(x[:-1] + 0.5, list(hours))
    ax.set_xlabel("Opening hour (h)")
    ax.set_ylabel("Staff on duty (persons)")
    ax.set_ylim(bottom=0)
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def trace_chart(
    title: str,
    steps: Sequence[int],
    costs: Sequence[Est],
    statuses: Sequence[str],
    chosen: Sequence[bool],
    ylabel: str,
) -> Figure:
    """Every plan the search evaluated: its cost with CI, coloured by verdict, path of moves."""
    fig = figure(3.3)
    ax = fig.axes[0]
    x = np.asarray(steps, dtype=float)
    mean = np.array([c[0] for c in costs], dtype=float)
    path = np.array(chosen, dtype=bool)
    if path.any():
        ax.plot(x[path], mean[path], color="#999999", linewidth=1.0, zorder=2, label="search path")
    for status, c in {**VERDICT_COLOURS, "invalid": "#999999"}.items():
        sel = np.array([s == status for s in statuses], dtype=bool)
        if not sel.any():
            continue
        lo = np.nan_to_num(
            mean[sel] - np.array([c_[1] for c_, s in zip(costs, sel, strict=False) if s])
        )
        hi = np.nan_to_num(
            np.array([c_[2] for c_, s in zip(costs, sel, strict=False) if s]) - mean[sel]
        )
        ax.errorbar(
            x[sel], mean[sel], yerr=[lo, hi], fmt="o", color=c, capsize=2, label=status, zorder=3
        )
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Evaluation number (plans in the order simulated)")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def floor_chart(
    floor: Floor,
    network: WalkNetwork,
    traffic: Mapping[EdgeKey, float],
    queues: Sequence[tuple[float, float, str, float]],
    title: str,
) -> Figure:
    """The floor by function with walking traffic per day as heat, and mean queues at desks.

    ``queues`` are (x, y, label, mean queue length) circles, area proportional to the length.
    """
    minx, miny, maxx, maxy = floor.bounds
    aspect = (maxy - miny + 2) / max(maxx - minx, 1e-9)
    fig = Figure(figsize=(WIDTH + 1.5, min(max(WIDTH * aspect, 3.8), 9.0)))
    ax = fig.add_subplot(1, 1, 1)
    draw_floor(floor, ax, network=network, traffic=traffic, title=title)
    biggest = max((q[3] for q in queues), default=0.0)
    for x, y, label, value in queues:
        if not value > 0:
            continue
        size = 120 + 1400 * value / biggest
        ax.scatter(
            [x],
            [y],
            s=size,
            facecolor=OKABE_ITO["vermillion"],
            alpha=0.35,
            edgecolor=OKABE_ITO["vermillion"],
            zorder=9,
        )
        ax.annotate(
            f"{label}: {value:.1f} waiting",
            (x, y),
            xytext=(0, -18),
            textcoords="offset points",
            ha="center",
            fontsize=7.5,
            color="#5A1E00",
            fontweight="bold",
            zorder=10,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85},
        )
    return fig

"""Fixed margins: every chart's text lands inside the figure and outside the plotting area."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from sim.report import charts
from sim.report.charts import DiffPanel, Series, XAxis
from sim.report.margins import fit_margins, fittable, text_extent
from sim.report.style import chart_style

LONG = "Advice without an appointment, walk-in clients and their companions"


@pytest.fixture(autouse=True)
def _style() -> Iterator[None]:
    with chart_style():
        yield


def _drawn(fig: Figure) -> FigureCanvasAgg:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas


def _text_boxes(fig: Figure, canvas: FigureCanvasAgg) -> dict[str, list[Bbox]]:
    """Window extents of the tick labels, axis labels, titles and legends of every axes."""
    renderer = canvas.get_renderer()
    out: dict[str, list[Bbox]] = {"ticks": [], "labels": [], "titles": [], "legends": []}
    for ax in fig.axes:
        for k, axis in enumerate((ax.xaxis, ax.yaxis)):
            if ax.axison and axis.get_visible():
                lo, hi = sorted(axis.get_view_interval())
                out["ticks"] += [
                    t.get_window_extent(renderer)
                    for t in axis.get_ticklabels()
                    if t.get_text() and lo <= t.get_position()[k] <= hi  # drawn ones only
                ]
                if axis.get_label().get_text():
                    out["labels"].append(axis.get_label().get_window_extent(renderer))
        out["titles"] += [
            t.get_window_extent(renderer)
            for t in ax.get_children()
            if isinstance(t, Text) and t not in ax.texts and t.get_text()
        ]
        if ax.get_legend() is not None:
            out["legends"].append(ax.get_legend().get_window_extent(renderer))
    out["legends"] += [leg.get_window_extent(renderer) for leg in fig.legends]
    return out


def _inside(box: Bbox, outer: Bbox) -> bool:
    return (
        box.x0 >= outer.x0 - 0.5
        and box.y0 >= outer.y0 - 0.5
        and box.x1 <= outer.x1 + 0.5
        and box.y1 <= outer.y1 + 0.5
    )


def _check_fits(fig: Figure) -> None:
    canvas = _drawn(fig)
    boxes = _text_boxes(fig, canvas)
    for kind, found in boxes.items():
        for box in found:
            assert _inside(box, fig.bbox), f"{kind} {box} outside the figure {fig.bbox}"
    plot_areas = [ax.bbox for ax in fig.axes if ax.axison]
    for kind in ("ticks", "labels", "legends"):
        for box in boxes[kind]:
            for area in plot_areas:
                overlap = Bbox.intersection(box, area)
                assert overlap is None or overlap.width < 1 or overlap.height < 1, (
                    f"{kind} {box} overlaps the plotting area {area}"
                )


def test_band_chart_with_long_labels_and_a_legend_beside_fits() -> None:
    x = XAxis(list(range(12)), [f"{h:02d}–{h + 1:02d}" for h in range(7, 19)], "Opening hour (h)")
    series = [
        Series(LONG, [1000.0 * i for i in range(12)]),
        Series("all clients", [500.0] * 12, [400.0] * 12, [600.0] * 12),
    ]
    fig = charts.band_chart("Clients by hour", x, series, "Clients waiting (count)", target=3000)
    assert fittable(fig)
    _check_fits(fit_margins(fig))


def test_bars_with_long_row_names_fit() -> None:
    labels = ["staff", LONG, "rent"]
    fig = charts.estimate_bars(
        "Cost per day", labels, [(3000.0, 2900.0, 3100.0)] * 3, "Cost (EUR/day)", target=2000.0
    )
    _check_fits(fit_margins(fig))


def test_stacked_panels_and_a_legend_below_fit() -> None:
    panels = [
        DiffPanel(f"Δ KPI {k} (min)", ["option B", LONG], [(1.0, 0.5, 1.5)] * 2, [True, False])
        for k in range(3)
    ]
    fig = charts.difference_forest("Paired differences", panels)
    _check_fits(fit_margins(fig))


def test_measured_width_grows_with_the_text_and_turns_with_it() -> None:
    prop = FontProperties(size=10)
    short_w, short_h = text_extent("ab", prop)
    long_w, long_h = text_extent("ab" * 10, prop)
    assert long_w == pytest.approx(10 * short_w, rel=0.05)
    assert long_h == pytest.approx(short_h)
    turned_w, turned_h = text_extent("ab" * 10, prop, rotation=90)
    assert turned_w == pytest.approx(long_h) and turned_h == pytest.approx(long_w)
    two_w, two_h = text_extent("abab\nab", prop)
    assert two_w == pytest.approx(text_extent("abab", prop)[0]) and two_h > 1.9 * short_h


def test_a_figure_with_a_layout_engine_is_left_alone() -> None:
    fig = charts.figure(3.0, constrained=True)
    before = fig.axes[0].get_position().bounds
    assert not fittable(fig)
    fit_margins(fig)
    assert fig.axes[0].get_position().bounds == before

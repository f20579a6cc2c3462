"""Fixed figure margins from the sizes of the text a chart carries, instead of a layout engine.

Matplotlib's constrained layout finds room for titles, tick labels, axis labels and legends by
drawing the figure's text twice more before the real drawing; for the report's charts that is
about as much work as drawing them. The charts have a simple shape (a grid of axes, perhaps a
colour bar in a cell, legends beside the axes or below the figure), so the room each side needs
is worked out here from the strings and font sizes themselves: tick labels come from each
axis's own locator and formatter, widths from the font (the measure the SVG writer uses), and
the axes are then placed once with ``subplots_adjust``. Nothing is drawn to find the margins.

:func:`fit_margins` leaves a figure it cannot reason about (an axes placed by hand, a layout
engine, a figure title) as it is.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

import matplotlib
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.gridspec import SubplotSpec
from matplotlib.legend import Legend
from matplotlib.text import Text
from matplotlib.textpath import text_to_path

EDGE = 4.0
"""Points of clear space between any text and the figure's edge (constrained layout's pad)."""

LINE_SPACING = 1.2
"""Matplotlib's default distance between lines of one text, in font sizes."""

HINTING = 1.04
"""Text drawn into pixels (PNG) has its glyphs fitted to whole pixels, which makes it up to a few
per cent wider than its outline (the measure here and the SVG's); widths allow for that."""

PASSES = 2
"""Margins are fitted twice: the axes' size decides how many ticks (labels) the axes get."""


@dataclass
class Room:
    """Points of room one axes needs outside its box, on each side."""

    left: float = 0.0
    right: float = 0.0
    bottom: float = 0.0
    top: float = 0.0


@lru_cache(maxsize=4096)
def _line_size(line: str, size: float, weight: str, family: tuple[str, ...]) -> tuple[float, float]:
    prop = FontProperties(family=list(family), size=size, weight=weight)
    width, _, _ = text_to_path.get_text_width_height_descent(line, prop, ismath=False)
    _, height, _ = text_to_path.get_text_width_height_descent("lp", prop, ismath=False)
    return float(width), float(height)


def text_extent(text: str, prop: FontProperties, rotation: float = 0.0) -> tuple[float, float]:
    """Width and height in points of ``text`` (several lines allowed) set in ``prop``, rotated
    by ``rotation`` degrees; empty text takes no room."""
    lines = text.split("\n") if text else []
    if not lines:
        return 0.0, 0.0
    sizes = [
        _line_size(
            line, prop.get_size_in_points(), str(prop.get_weight()), tuple(prop.get_family())
        )
        for line in lines
    ]
    width = max(w for w, _ in sizes) * HINTING
    line_height = max(h for _, h in sizes)
    height = line_height + (len(lines) - 1) * LINE_SPACING * prop.get_size_in_points()
    a = math.radians(rotation)
    return (
        abs(width * math.cos(a)) + abs(height * math.sin(a)),
        abs(width * math.sin(a)) + abs(height * math.cos(a)),
    )


def _extent_of(t: Text) -> tuple[float, float]:
    if not t.get_visible():
        return 0.0, 0.0
    return text_extent(t.get_text(), t.get_fontproperties(), t.get_rotation())


def _tick_labels(axis: Axis) -> tuple[list[str], list[float]]:
    """The major tick labels the axis will show and their positions as fractions of its length
    (what drawing would compute, without drawing)."""
    v0, v1 = axis.get_view_interval()
    span = v1 - v0
    if not span or not math.isfinite(span):
        return [], []
    tol = 1e-9 * abs(span)
    locs = [float(x) for x in axis.get_majorticklocs()]
    labels = axis.get_major_formatter().format_ticks(locs) if locs else []
    shown = [
        (str(s), (x - v0) / span)
        for s, x in zip(labels, locs, strict=True)
        if min(v0, v1) - tol <= x <= max(v0, v1) + tol
    ]
    return [s for s, _ in shown], [f for _, f in shown]


@dataclass(frozen=True)
class _Side:
    """Room an axis's ticks and label need across it, and how far its end labels overhang."""

    across: float
    start: float
    end: float


def _axis_room(axis: Axis, length: float, horizontal: bool) -> tuple[_Side, str]:
    """What ``axis`` (``length`` points long) needs, and on which side (its label's side)."""
    labels, fracs = _tick_labels(axis)
    tick = axis.get_major_ticks(1)[0]
    text = tick.label1 if tick.label1.get_visible() else tick.label2
    shown = tick.label1.get_visible() or tick.label2.get_visible()
    across = start = end = 0.0
    if shown and labels:
        sizes = [text_extent(s, text.get_fontproperties(), text.get_rotation()) for s in labels]
        along = [w if horizontal else h for w, h in sizes]
        across = max(h if horizontal else w for w, h in sizes)
        across += tick.get_tick_padding() + cast(Callable[[], float], tick.get_pad)()
        start = max(a / 2 - f * length for a, f in zip(along, fracs, strict=True))
        end = max(a / 2 - (1 - f) * length for a, f in zip(along, fracs, strict=True))
    label_w, label_h = _extent_of(axis.get_label())
    label_across = label_h if horizontal else label_w
    if label_across:
        across += label_across + axis.labelpad
    return _Side(across, max(start, 0.0), max(end, 0.0)), axis.get_label_position()


def _titles(ax: Axes) -> Iterable[Text]:
    """The axes' titles (centre, left, right): the texts among its children it did not add."""
    added = set(map(id, ax.texts))
    return (
        t for t in ax.get_children() if isinstance(t, Text) and id(t) not in added and t.get_text()
    )


def _legend_room(fig: Figure, ax: Axes, legend: Legend, box: tuple[float, float]) -> Room:
    """Room for a legend anchored beside the axes (upper left at its right edge); none inside."""
    scale = 72.0 / fig.dpi
    anchor = legend.get_bbox_to_anchor()
    gap = (anchor.x0 - ax.bbox.x1) * scale
    if gap < -1.0:
        return Room()
    texts = legend.get_texts()
    size = texts[0].get_fontproperties().get_size_in_points() if texts else 10.0
    widths = [_extent_of(t)[0] for t in texts]
    heights = [max(_extent_of(t)[1], legend.handleheight * size) for t in texts]
    em = legend.borderaxespad + 2 * legend.borderpad + legend.handlelength + legend.handletextpad
    tall = sum(heights) + size * (
        legend.labelspacing * max(len(texts) - 1, 0) + 2 * legend.borderpad
    )
    return Room(right=gap + max(widths, default=0.0) + em * size, bottom=tall - box[1])


def axes_room(fig: Figure, ax: Axes) -> Room:
    """Points of room ``ax`` (of ``fig``) needs outside its box for ticks, labels, title and
    legend."""
    pos = ax.get_position()
    fig_w, fig_h = (v * 72.0 for v in fig.get_size_inches())
    box = (pos.width * fig_w, pos.height * fig_h)
    room = Room()
    if ax.axison:
        for axis, horizontal in ((ax.xaxis, True), (ax.yaxis, False)):
            if not axis.get_visible():
                continue
            side, where = _axis_room(axis, box[0] if horizontal else box[1], horizontal)
            _add_axis(room, side, where)
    pad = float(matplotlib.rcParams["axes.titlepad"])
    for t in _titles(ax):
        room.top = max(room.top, _extent_of(t)[1] + pad)
    legend = ax.get_legend()
    if legend is not None and legend.get_visible():
        extra = _legend_room(fig, ax, legend, box)
        room.right = max(room.right, extra.right)
        room.bottom = max(room.bottom, extra.bottom)
    return room


def _add_axis(room: Room, side: _Side, where: str) -> None:
    """Add an axis's needs to the room of its axes (its label's side across, overhang along)."""
    if where in ("bottom", "top"):
        setattr(room, where, max(getattr(room, where), side.across))
        room.left, room.right = max(room.left, side.start), max(room.right, side.end)
    else:
        setattr(room, where, max(getattr(room, where), side.across))
        room.bottom, room.top = max(room.bottom, side.start), max(room.top, side.end)


def _figure_legend_height(fig: Figure) -> float:
    """Points taken by figure legends below the axes (``loc="outside lower center"``)."""
    total = 0.0
    for legend in fig.legends:
        texts = legend.get_texts()
        if not texts:
            continue
        size = texts[0].get_fontproperties().get_size_in_points()
        rows = math.ceil(len(texts) / max(getattr(legend, "_ncols", 1), 1))
        line = max(max(_extent_of(t)[1] for t in texts), legend.handleheight * size)
        pads = legend.labelspacing * (rows - 1) + 2 * (legend.borderpad + legend.borderaxespad)
        total += rows * line + pads * size
    return total


def fittable(fig: Figure) -> bool:
    """True when the figure's axes all sit in cells of one grid and nothing else places them."""
    if fig.get_layout_engine() is not None or not fig.axes or fig.texts:
        return False
    if getattr(fig, "_suptitle", None) is not None:
        return False
    grids = set()
    for ax in fig.axes:
        spec = ax.get_subplotspec()
        if spec is None:
            return False
        grids.add(id(spec.get_topmost_subplotspec().get_gridspec()))
    return len(grids) == 1


def fit_margins(fig: Figure) -> Figure:
    """Place the axes of ``fig`` so its text fits inside the figure without overlapping.

    Returns the figure (unchanged unless :func:`fittable`).
    """
    if not fittable(fig):
        return fig
    for _ in range(PASSES):
        _place(fig, [(ax, axes_room(fig, ax)) for ax in fig.axes if ax.get_visible()])
    return fig


def _cell(ax: Axes) -> SubplotSpec:
    """The cell of the figure's grid that ``ax`` sits in (a colour bar: its parent's cell)."""
    spec = ax.get_subplotspec()
    assert spec is not None  # checked by fittable()
    return spec.get_topmost_subplotspec()


def _place(fig: Figure, rooms: Sequence[tuple[Axes, Room]]) -> None:
    """Set the figure's subplot parameters from the room every axes needs (points)."""
    grid = _cell(rooms[0][0]).get_gridspec()
    nrows, ncols = grid.get_geometry()
    left = right = bottom = top = gap_w = gap_h = 0.0
    below = above = after = before = 0.0
    for ax, room in rooms:
        spec = _cell(ax)
        rows, cols = spec.rowspan, spec.colspan
        left = max(left, room.left) if cols.start == 0 else left
        right = max(right, room.right) if cols.stop == ncols else right
        top = max(top, room.top) if rows.start == 0 else top
        bottom = max(bottom, room.bottom) if rows.stop == nrows else bottom
        below = max(below, room.bottom) if rows.stop < nrows else below
        above = max(above, room.top) if rows.start > 0 else above
        after = max(after, room.right) if cols.stop < ncols else after
        before = max(before, room.left) if cols.start > 0 else before
    gap_h, gap_w = below + above + EDGE, after + before + EDGE
    fig_w, fig_h = (v * 72.0 for v in fig.get_size_inches())
    bottom += _figure_legend_height(fig)
    width = fig_w - left - right - 2 * EDGE
    height = fig_h - top - bottom - 2 * EDGE
    cell_w = max((width - gap_w * (ncols - 1)) / ncols, 1.0)
    cell_h = max((height - gap_h * (nrows - 1)) / nrows, 1.0)
    fig.subplots_adjust(
        left=(left + EDGE) / fig_w,
        right=max(1 - (right + EDGE) / fig_w, (left + EDGE + 1) / fig_w),
        bottom=(bottom + EDGE) / fig_h,
        top=max(1 - (top + EDGE) / fig_h, (bottom + EDGE + 1) / fig_h),
        wspace=gap_w / cell_w,
        hspace=gap_h / cell_h,
    )

"""Drawings of buildings: one panel per level, the top floor on top."""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure

from sim.layout.building import Building
from sim.layout.draw import draw_floor


def draw_building(building: Building, *, width: float = 11.0) -> Figure:
    """Every level of ``building`` drawn with :func:`draw_floor`, one panel each."""
    levels = list(reversed(building.levels))
    minx, miny, maxx, maxy = levels[0].floor.bounds
    panel = min(max(width * (maxy - miny + 2) / max(maxx - minx, 1e-9) * 0.85, 3.0), 8.0)
    fig = Figure(figsize=(width, panel * len(levels)), dpi=110, layout="constrained")
    axes = fig.subplots(len(levels), 1, squeeze=False)[:, 0]
    for ax, level in zip(axes, levels, strict=True):
        draw_floor(
            level.floor, ax, title=f"Level {level.id} (ordinal {level.ordinal}): {level.name}"
        )
    return fig


def save_building_image(building: Building, path: str | Path) -> Path:
    """Draw ``building`` and save it as PNG, SVG or PDF (by suffix); returns the path."""
    target = Path(path)
    if target.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise ValueError(f"image path must end in .png, .svg or .pdf, got {target.name!r}")
    draw_building(building).savefig(target, bbox_inches="tight", dpi=150)
    return target

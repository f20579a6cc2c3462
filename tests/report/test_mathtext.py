"""Names with ``$`` are text: matplotlib must never parse an option or space name as a formula.

An unbalanced ``$x^{$`` parsed as mathtext raises while the figure is saved, and the report was
lost; with maths parsing off the characters are drawn as written.
"""

from __future__ import annotations

import io
from pathlib import Path

from matplotlib.figure import Figure

from sim.layout import floor_from_dict, save_floor_image
from sim.report.style import chart_style

BROKEN_MATH = "Option $x^{$ (premium)"


def test_chart_labels_with_dollars_are_drawn_as_text() -> None:
    with chart_style():
        fig = Figure()
        ax = fig.add_subplot(1, 1, 1)
        ax.bar([0, 1], [1.0, 2.0], label=BROKEN_MATH)
        ax.set_title(BROKEN_MATH)
        ax.set_xticks([0, 1], [BROKEN_MATH, "$\\frac{"])
        ax.legend()
        out = io.BytesIO()
        fig.savefig(out, format="svg")
    svg = out.getvalue().decode()
    assert BROKEN_MATH in svg


def test_floor_names_with_dollars_are_drawn_as_text(tmp_path: Path) -> None:
    floor = floor_from_dict(
        {
            "name": "Plan $^{",
            "spaces": {"hall": {"name": "Hall $x^{$", "category": "lobby", "rect": [0, 0, 8, 5]}},
            "doors": [{"between": ["outside", "hall"], "at": [4, 0]}],
            "entrances": [{"id": "e", "at": [4, 0.5]}],
        }
    )
    path = save_floor_image(floor, tmp_path / "plan.svg")
    assert "Hall $x^{$" in path.read_text(encoding="utf-8")

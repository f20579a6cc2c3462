"""What a report is made of: sections of text, charts and tables, independent of the format.

The HTML and PDF writers render the same :class:`Report`; the table writer saves every
table's raw records as CSV (and Parquet).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from matplotlib.figure import Figure

from sim.report.margins import fit_margins


@dataclass(frozen=True)
class Cell:
    """A table cell with a style class (``met``, ``missed``, ``uncertain``, ``num``, ``muted``)."""

    text: str
    css: str = ""


@dataclass
class Chart:
    """One figure: a file name stem, the title it shows, and a caption saying how to read it.

    The figure is drawn only when first needed (``draw`` makes it), so that a report can be
    built quickly and its charts drawn where and when they are rendered, in parallel if many.
    """

    key: str
    title: str
    draw: Callable[[], Figure] | Figure
    """How to draw the figure (e.g. a ``functools.partial`` of a chart function), or a figure
    already drawn."""
    caption: str = ""
    svg: str = ""
    """Inline SVG markup, filled in when the chart is rendered."""
    _figure: Figure | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def figure(self) -> Figure:
        """The matplotlib figure, drawn now if it was not yet, its margins fitted to its text."""
        if self._figure is None:
            fig = self.draw if isinstance(self.draw, Figure) else self.draw()
            self._figure = fit_margins(fig)
        return self._figure

    def release(self) -> None:
        """Forget the figure (if drawn); the garbage collector frees what it holds (clearing it
        first would cost as much as building some of its parts)."""
        self._figure = None


@dataclass
class Table:
    """A table for people (formatted cells) with the raw records behind it (for CSV)."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell | str]]
    records: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""


@dataclass
class Section:
    """A titled part of a report."""

    id: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass
class Report:
    """A whole report: title, the answer in a few lines, sections, reproducibility facts."""

    kind: str
    title: str
    subtitle: str
    answer: list[Cell] = field(default_factory=list)
    """Headline statements, each styled by its verdict."""
    sections: list[Section] = field(default_factory=list)
    reproducibility: list[tuple[str, str]] = field(default_factory=list)

    def charts(self) -> list[Chart]:
        """Every chart, in order of appearance."""
        return [c for s in self.sections for c in s.charts]

    def tables(self) -> list[Table]:
        """Every table, in order of appearance."""
        return [t for s in self.sections for t in s.tables]

"""Text measured once per process while report charts are made, not once per figure.

Matplotlib measures a string each time a figure places it (tick labels, titles, legend
entries), and its own cache of measures lives only as long as one renderer, i.e. one saved
file. The SVG writer and the margins fitting (:mod:`sim.report.margins`) both measure with
:class:`matplotlib.textpath.TextToPath`, whose measure depends only on the string, the font
properties and whether it is mathematics; laying out a string with the font is the costly
part. A report's charts repeat the same few strings ("0", "20", "lp" for line heights, hours),
so inside :func:`shared_text_metrics` each is measured once. The numbers are the same as
without it, so the files written are the same byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

Metrics = tuple[float, float, float]

_MEASURE: Callable[..., Metrics] = TextToPath.get_text_width_height_descent
"""Matplotlib's own measure (width, height, descent in points)."""

_MEASURER = TextToPath()


@lru_cache(maxsize=8192)
def _measured(text: str, prop: FontProperties, ismath: Any) -> Metrics:
    return _MEASURE(_MEASURER, text, prop, ismath)


def _shared(self: TextToPath, s: str, prop: FontProperties, ismath: Any) -> Metrics:
    """The measure of ``s``, from the process's cache (``prop`` is copied: it is mutable)."""
    return _measured(s, prop.copy(), ismath)


@contextmanager
def shared_text_metrics() -> Iterator[None]:
    """Within the block, text measured by :class:`~matplotlib.textpath.TextToPath` (SVG files,
    margins) is measured once per string and font (nested blocks share the outer one)."""
    if TextToPath.get_text_width_height_descent is _shared:
        yield
        return
    TextToPath.get_text_width_height_descent = _shared  # type: ignore[method-assign]
    try:
        yield
    finally:
        TextToPath.get_text_width_height_descent = _MEASURE  # type: ignore[method-assign]

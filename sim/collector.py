"""The cyclic garbage collector kept out of the way of work that allocates much and frees it by
reference counting: a simulation run, drawing a chart.

Python's collector makes a young pass every 700 allocations and now and then a full pass over
every object the process holds. A run allocates millions of small objects (records, events,
callbacks) and a chart tens of thousands (artists, transforms, paths) that reference counting
frees at once; the passes find almost nothing, yet cost a tenth of the work and more, most of it
walking the large and long-lived objects loaded before (modules, the plan's tables, a report's
data).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_THRESHOLD = 100_000
"""Allocations between two young-generation collections inside :func:`few_collections`
(Python's default: 700)."""


@contextmanager
def few_collections() -> Iterator[None]:
    """Run the block with the collector seldom woken, then restore its settings.

    Objects alive before the block are frozen out of the passes; cycles made inside it are
    still collected, only less often.
    """
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, threshold[1], threshold[2])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()

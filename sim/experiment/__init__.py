"""Experiments over the engine: run, compare, sweep and optimise; executors and the results store.

The functions of ``api`` are re-exported here (imported on first use), so
``sim.experiment.run`` works as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.lazy import lazy_exports

if TYPE_CHECKING:
    from sim.experiment.api import compare, optimize, prepare, run, sweep

__all__ = ["compare", "optimize", "prepare", "run", "sweep"]


__getattr__ = lazy_exports(__name__, dict.fromkeys(__all__, "sim.experiment.api"), globals())
"""The API functions on first use, so that a worker importing only the executors does not
import every experiment (and scipy.stats) with them."""

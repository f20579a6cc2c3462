"""Set-up of a Dask worker process of a LocalCluster officesim starts (a Dask preload module).

A worker forked from the command may inherit the lock of an output stream held by another
thread of the command (a progress bar's) at the moment of the fork; it writes through fresh
stream objects instead, as local workers do (:func:`sim.workers.fresh_streams`).
"""

from __future__ import annotations

from typing import Any

from sim.workers import fresh_streams


def dask_setup(worker: Any) -> None:
    """Called by Dask when the worker starts."""
    fresh_streams()

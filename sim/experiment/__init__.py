"""Experiments over the engine: run, compare, sweep and optimise; executors and the results store.

The functions of ``api`` are re-exported here, so ``sim.experiment.run`` works as before.
"""

from sim.experiment.api import compare, optimize, prepare, run, sweep

__all__ = ["compare", "optimize", "prepare", "run", "sweep"]

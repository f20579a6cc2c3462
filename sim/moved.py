"""Old import paths of modules that moved into the layered packages, kept for one release.

Before the packages ``sim.scenario``, ``sim.model``, ``sim.results``, ``sim.experiment``,
``sim.report`` and ``sim.cli``, every module sat flat in ``sim/``. Code written against those
paths (``from sim.loading import apply_overrides``) keeps working: importing an old path gives
the module at its new path, with a ``DeprecationWarning`` naming it. The public API
(``sim.run``, ``sim.load_scenario``, ...) never moved. Remove this module in the next release.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import warnings
from collections.abc import Sequence
from types import ModuleType

MOVED: dict[str, str] = {
    "sim.backoffice_spec": "sim.scenario.backoffice",
    "sim.checks": "sim.scenario.checks",
    "sim.cli_experiments": "sim.cli.experiments",
    "sim.cli_report": "sim.cli.report",
    "sim.comparison": "sim.experiment.comparison",
    "sim.console": "sim.cli.console",
    "sim.costs_spec": "sim.scenario.costs",
    "sim.distributions": "sim.scenario.distributions",
    "sim.executors": "sim.experiment.executors",
    "sim.it_spec": "sim.scenario.it",
    "sim.kpis": "sim.results.kpis",
    "sim.kpis_backoffice": "sim.results.kpis_backoffice",
    "sim.loading": "sim.scenario.loading",
    "sim.metrics": "sim.model.metrics",
    "sim.optimizer": "sim.experiment.optimizer",
    "sim.optimize_search": "sim.experiment.optimizer_search",
    "sim.output": "sim.results.output",
    "sim.plan": "sim.model.plan",
    "sim.progress": "sim.cli.progress",
    "sim.replicate": "sim.experiment.replicate",
    "sim.schema": "sim.scenario.schema",
    "sim.spec_base": "sim.scenario.base",
    "sim.staffing": "sim.analytic.staffing",
    "sim.store": "sim.experiment.store",
    "sim.sweeps": "sim.experiment.sweeps",
    "sim.targets": "sim.results.targets",
    "sim.traffic": "sim.report.traffic",
}
"""Old module path → its path now."""


class MovedModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds an old module path and hands out the moved module under it, with a warning."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None = None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        """A spec for ``fullname`` when it is an old path (else None: not ours)."""
        if fullname not in MOVED:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        """The module at its new path (imported if need be), after the deprecation warning."""
        module = MOVED[spec.name]  # a fixed table: never a name from user text
        warnings.warn(
            f"{spec.name} moved to {module}; import it from there (the old path will be "
            "removed in the next release)",
            DeprecationWarning,
            stacklevel=2,
        )
        return importlib.import_module(module)

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run: the moved module was executed at its new path."""


def install() -> None:
    """Add the finder once, after the normal ones (so it only sees paths nothing else has)."""
    if not any(isinstance(f, MovedModules) for f in sys.meta_path):
        sys.meta_path.append(MovedModules())

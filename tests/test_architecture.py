"""The layers of the package, checked like an import-linter contract.

Data flows one way: scenario → plan → model → records → KPIs → results → reports. A module may
import from its own layer and the layers below it, never from a layer above. Imports inside
functions and under ``TYPE_CHECKING`` count too: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

SIM = Path(__file__).resolve().parent.parent / "sim"

# Lowest first. Top-level modules not listed here are the shared core (errors, units, ...).
LAYERS = [
    "scenario",
    "logs",
    "calibrate",
    "layout",
    "analytic",
    "model",
    "results",
    "experiment",
    "report",
    "cli",
]
CORE = {
    "errors",
    "moved",
    "keypaths",
    "lazy",
    "units",
    "random_streams",
    "spelling",
    "version",
    "limits",
    "safe_read",
    "workers",
    "forked",
    "collector",
}


def layer_of(module: str) -> int:
    """Rank of ``sim.<part>...``: -1 for the core, the index in LAYERS otherwise."""
    parts = module.split(".")
    if len(parts) < 2 or parts[1] in CORE:
        return -1
    if parts[1] == "__main__":
        return LAYERS.index("cli")
    return LAYERS.index(parts[1])


def module_name(path: Path) -> str:
    rel = path.relative_to(SIM.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> set[str]:
    """Every ``sim...`` module that ``path`` imports, wherever the import statement is."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "sim":
                found.update(f"sim.{alias.name}" for alias in node.names)
            elif node.module.startswith("sim."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("sim."))
    return found


def violations() -> list[str]:
    found = []
    for path in sorted(SIM.rglob("*.py")):
        name = module_name(path)
        if name == "sim":
            continue  # the public API re-exports from every layer, lazily
        own = layer_of(name)
        for target in sorted(imported_modules(path)):
            if layer_of(target) > own:
                found.append(f"{name} imports {target}")
    return found


def test_no_module_imports_from_a_layer_above_it() -> None:
    assert violations() == []


def test_the_engine_reads_no_scenario_files_and_knows_no_experiment() -> None:
    banned = ("sim.scenario.loading", "sim.scenario.schema", "sim.experiment", "sim.report")
    for path in sorted((SIM / "model").rglob("*.py")):
        for target in imported_modules(path):
            assert not target.startswith(banned), f"{module_name(path)} imports {target}"


def test_the_checker_sees_a_violation() -> None:
    assert layer_of("sim.report.html") > layer_of("sim.model.office")
    assert layer_of("sim.units") < layer_of("sim.scenario.spec")

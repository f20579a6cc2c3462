"""Sweeps: run every variant a scenario declares and tabulate one row per variant and KPI.

A scenario's ``variants`` block lists values for key paths, as ``--set`` takes them::

    variants:
      grid:                     # every combination (full factorial)
        staff.teller.count: [2, 3, 4]
        layout: [plan_a.geojson, plan_b.geojson]
      cases:                    # or listed cases, each a mapping of key paths to values
        - {hours.close: "17:00"}
        - {hours.close: "18:00", staff.teller.count: 5}

With both, every case is combined with every grid point. Each variant is the scenario file's
data with the variant's values applied by ``sim.scenario.loading.apply_overrides`` and validated again,
so a ``layout`` path resolves against the scenario file's folder like any other; the problems
of all variants are reported together, before anything runs.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.errors import Problem, ScenarioError
from sim.experiment.decision import Decision, OptionOutcome, decide
from sim.experiment.inputs import scenario_from_dict
from sim.experiment.options import Execution
from sim.experiment.replicate import Session, Unit
from sim.results.summary import Estimate, dataframe
from sim.results.targets import TargetCheck, check_targets
from sim.scenario.loading import apply_overrides, read_yaml_mapping
from sim.scenario.spec import Scenario, Variants


@dataclass(frozen=True)
class Variant:
    """One variant of a sweep: its number, label, settings and validated scenario."""

    index: int
    label: str
    settings: dict[str, Any]
    scenario: Scenario


def _format(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def variant_label(settings: Mapping[str, Any]) -> str:
    """``staff.teller.count=3, layout=b.geojson``."""
    return ", ".join(f"{k}={_format(v)}" for k, v in settings.items())


def variant_settings(variants: Variants, source: str = "<scenario>") -> list[dict[str, Any]]:
    """The settings of every variant: cases × grid points, in the order written."""
    grid = variants.grid or {}
    cases = variants.cases or []
    problems = [
        Problem(source, f"variants.grid.{k}", "expected at least one value")
        for k, values in grid.items()
        if not values
    ]
    for i, case in enumerate(cases):
        for key in sorted(set(case) & set(grid)):
            problems.append(
                Problem(source, f"variants.cases[{i}].{key}", "is also in variants.grid")
            )
    if not grid and not cases:
        problems.append(Problem(source, "variants", "no variants; expected 'grid' or 'cases'"))
    if problems:
        raise ScenarioError(problems)
    points = [dict(zip(grid, values, strict=True)) for values in itertools.product(*grid.values())]
    return [{**case, **point} for case in (cases or [{}]) for point in points]


def _setting_overrides(settings: Mapping[str, Any]) -> list[str]:
    return [f"{k}={json.dumps(v, default=str)}" for k, v in settings.items()]


def expand_variants(
    data: Mapping[str, Any],
    source: str = "<scenario>",
    base_dir: Path | None = None,
    overrides: Sequence[str] = (),
) -> list[Variant]:
    """Validate the scenario data and every variant it declares; raise all problems at once."""
    base = scenario_from_dict(data, source, base_dir, overrides)
    if base.variants is None:
        raise ScenarioError.single(
            source, "variants", "no variants to sweep; add a 'variants' block with grid or cases"
        )
    out: list[Variant] = []
    problems: list[Problem] = []
    for i, settings in enumerate(variant_settings(base.variants, source)):
        label = variant_label(settings)
        where = f"{source} (variant {i + 1}: {label})"
        try:
            sc = scenario_from_dict(
                data,
                where,
                base_dir,
                [*overrides, *_setting_overrides(settings)],
                overrides_source=where,
            )
        except ScenarioError as exc:
            problems.extend(exc.problems)
            continue
        out.append(Variant(i, label, settings, sc))
    if problems:
        raise ScenarioError(problems)
    return out


@dataclass(frozen=True)
class VariantResult:
    """A variant's summary with CIs and its target verdicts."""

    variant: Variant
    summary: dict[str, Estimate]
    targets: list[TargetCheck]


@dataclass(frozen=True)
class SweepResult:
    """Every variant of a sweep, summarised (replications stay in the store)."""

    scenario_name: str
    seed: int
    keys: list[str]
    """The key paths the variants set (the table's setting columns)."""
    variants: list[VariantResult]
    definition: dict[str, Any] = field(default_factory=dict)
    """The first variant's scenario as plain data (the others differ only in ``keys``)."""

    def rows(self) -> list[dict[str, Any]]:
        """One record per variant and KPI: variant, label, settings, KPI and its estimate."""
        out = []
        for v in self.variants:
            settings = {k: v.variant.settings.get(k) for k in self.keys}
            for kpi, est in v.summary.items():
                out.append(
                    {
                        "variant": v.variant.index + 1,
                        "label": v.variant.label,
                        **settings,
                        "kpi": kpi,
                        **est.to_dict(),
                    }
                )
        return out

    def outcomes(self) -> list[OptionOutcome]:
        """Each variant's KPIs and verdicts, for :func:`decide` (no paired differences)."""
        return [OptionOutcome(v.variant.label, v.summary, v.targets) for v in self.variants]

    def decision(self, kpi_patterns: Sequence[str] = ()) -> Decision:
        """Which variant wins and by which numbers (``kpi_patterns`` add table rows)."""
        subject = f"the {len(self.variants)} variants of {self.scenario_name}"
        return decide(self.outcomes(), kpi_patterns, subject)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "decision": self.decision().to_dict(),
            "scenario": self.scenario_name,
            "seed": self.seed,
            "keys": self.keys,
            "definition": self.definition,
            "variants": [
                {
                    "variant": v.variant.index + 1,
                    "label": v.variant.label,
                    "settings": v.variant.settings,
                    "replications": v.variant.scenario.replications,
                    "kpis": {k: e.to_dict() for k, e in v.summary.items()},
                    "targets": [t.to_dict() for t in v.targets],
                }
                for v in self.variants
            ],
        }

    def to_dataframe(self) -> Any:
        """:meth:`rows` as a pandas DataFrame (needs pandas)."""
        return dataframe(self.rows())


def scenario_data(
    scenario: Scenario | str | Path,
    base_dir: Path | None = None,
    replications: int | None = None,
    seed: int | None = None,
    overrides: Sequence[str] = (),
) -> tuple[dict[str, Any], str, Path | None]:
    """A scenario's plain data with overrides applied, its source name and its base folder.

    A file is read as written (so relative paths resolve against its folder); a scenario
    object gives its validated data, with relative paths resolving against ``base_dir``.
    """
    extra = list(overrides)
    if replications is not None:
        extra.append(f"replications={replications}")
    if seed is not None:
        extra.append(f"seed={seed}")
    if isinstance(scenario, Scenario):
        data, source, base = scenario.echo(), f"<{scenario.name}>", base_dir
    else:
        path = Path(scenario)
        data, source, base = read_yaml_mapping(path), str(path), path.resolve().parent
    return apply_overrides(data, extra), source, base


def load_variants(
    scenario: Scenario | str | Path,
    *,
    replications: int | None = None,
    seed: int | None = None,
    overrides: Sequence[str] = (),
    base_dir: Path | None = None,
) -> list[Variant]:
    """The validated variants of a scenario file (or of a scenario object's ``variants``)."""
    data, source, base = scenario_data(scenario, base_dir, replications, seed, overrides)
    return expand_variants(data, source, base)


def sweep(
    scenario: Scenario | str | Path,
    *,
    replications: int | None = None,
    seed: int | None = None,
    overrides: Sequence[str] = (),
    base_dir: Path | None = None,
    execution: Execution | None = None,
    **settings: Any,
) -> SweepResult:
    """Run every variant of a scenario and summarise each with 95% confidence intervals.

    Args:
        scenario: a scenario file with a ``variants`` block, or a scenario object with one
            (its relative ``layout`` values then resolve against ``base_dir``).
        replications, seed, overrides: applied to every variant before its own settings.
        execution, settings: where replications run and are kept; see
            :class:`sim.experiment.options.Execution` (``jobs=2`` and the like as keywords).
    """
    variants = load_variants(
        scenario, replications=replications, seed=seed, overrides=overrides, base_dir=base_dir
    )
    keys: list[str] = []
    for v in variants:
        keys.extend(k for k in v.settings if k not in keys)
    units = [Unit.of(v.label, v.scenario) for v in variants]
    results = []
    with Session(Execution.of(execution, settings)) as session:
        session.execute(units)
        for v, unit in zip(variants, units, strict=True):
            res = session.result(unit)
            results.append(
                VariantResult(v, res.summary, check_targets(v.scenario.targets, res, v.scenario))
            )
    first = variants[0].scenario
    return SweepResult(first.name, first.seed, keys, results, first.echo())

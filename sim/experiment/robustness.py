"""How robust a sweep's verdict is: the best variant against its closest competitor.

A sweep names a best variant at the point values of its assumptions. Whether that verdict
survives the assumptions is a question about the best variant and the runner-up (the variant
nearest to it on the analysed KPI): if the best stays ahead of the runner-up, it is the one
that could most easily lose its place. The analysis is the sensitivity analysis of the paired
difference ``best − runner-up`` (:mod:`sim.experiment.sensitivity`): a tornado of the
assumptions that move it, with ``samples`` the probability the best stays ahead of the
runner-up, and the assumptions worth measuring before deciding. The sweep's runs of the two
variants are the analysis's base runs (same scenarios, same seeds), so a results store that
holds the sweep runs only the rest.

The probability is that of staying ahead of the runner-up; staying ahead of every other
variant as well can only be as likely or less, which the report says.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from sim.errors import OfficesimError
from sim.experiment.options import Execution
from sim.experiment.sensitivity import (
    SensitivityOptions,
    SensitivityPlan,
    SensitivityResult,
    plan_sensitivity,
    sensitivity,
)
from sim.experiment.sweeps import SweepResult


@dataclass(frozen=True)
class SweepRobustness:
    """The sensitivity of ``best − runner-up`` and where the two stand among the variants."""

    analysis: SensitivityResult
    best: int
    """Index of the best variant (at the point values) among the sweep's variants."""
    runner_up: int
    variants: int
    kpi_means: list[float]
    """Each variant's mean KPI at the point values (NaN where it has none)."""

    def to_dict(self) -> dict[str, Any]:
        """The sensitivity record, with the sweep's context under ``sweep``."""
        return {
            **self.analysis.to_dict(),
            "sweep": {
                "variants": self.variants,
                "best": self.best + 1,
                "runner_up": self.runner_up + 1,
                "best_label": self.analysis.labels[1],
                "runner_up_label": self.analysis.labels[0],
                "kpi_means": [None if math.isnan(m) else m for m in self.kpi_means],
            },
        }


def best_and_runner_up(means: list[float], lower_is_better: bool) -> tuple[int, int]:
    """Indices of the best and the second-best finite value (ties: the earlier first)."""
    order = sorted(
        (i for i, m in enumerate(means) if not math.isnan(m)),
        key=lambda i: (means[i] if lower_is_better else -means[i], i),
    )
    if len(order) < 2:
        raise ValueError("robustness needs at least two variants with the KPI")
    return order[0], order[1]


@dataclass(frozen=True)
class SweepRobustnessPlan:
    """The analysis laid out: which two variants, and the sensitivity plan of their
    difference (its ``describe()`` states the cost before anything runs)."""

    plan: SensitivityPlan
    best: int
    runner_up: int
    variants: int
    kpi_means: list[float]

    def describe(self) -> str:
        """The cost of the analysis in one line."""
        return self.plan.describe()


def plan_sweep_robustness(
    result: SweepResult, options: SensitivityOptions | None = None
) -> SweepRobustnessPlan:
    """Pick the best variant and the runner-up on ``options.kpi`` and lay out the analysis
    of their difference (nothing runs yet). The seed and overrides are those the variants
    already carry (the sweep's)."""
    o = replace(options or SensitivityOptions(), seed=None, overrides=())
    if len(result.variants) < 2:
        raise OfficesimError("robustness of a sweep needs at least two variants")
    means = [v.summary[o.kpi].mean if o.kpi in v.summary else math.nan for v in result.variants]
    if sum(1 for m in means if not math.isnan(m)) < 2:
        raise OfficesimError.single(
            "--robustness-kpi", "", f"no KPI {o.kpi!r} in at least two of the variants"
        )
    best, runner = best_and_runner_up(means, o.lower_is_better)
    pair = [result.variants[runner].variant, result.variants[best].variant]
    labels = [f"{v.index + 1}. {v.label}" for v in pair]
    plan = plan_sensitivity([v.scenario for v in pair], o, labels=labels)
    return SweepRobustnessPlan(plan, best, runner, len(result.variants), means)


def sweep_robustness(
    result: SweepResult | None = None,
    options: SensitivityOptions | None = None,
    *,
    plan: SweepRobustnessPlan | None = None,
    execution: Execution | None = None,
    **settings: Any,
) -> SweepRobustness:
    """How robust the sweep's best variant is against the runner-up on ``options.kpi``.

    Args:
        result: the sweep (not needed with ``plan``).
        options: as for :func:`sim.experiment.sensitivity.sensitivity`.
        plan: from :func:`plan_sweep_robustness` (to state its cost first).
        execution, settings: as for :func:`sim.sweep`; the sweep's store (with ``resume``)
            lets the analysis reuse the sweep's runs of the two variants.
    """
    if plan is None:
        if result is None:
            raise ValueError("sweep_robustness needs a sweep result or a plan")
        plan = plan_sweep_robustness(result, options)
    analysis = sensitivity(plan=plan.plan, execution=execution, **settings)
    return SweepRobustness(analysis, plan.best, plan.runner_up, plan.variants, plan.kpi_means)

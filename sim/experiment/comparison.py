"""Compare options (scenarios) with common random numbers and honest uncertainty.

Every option runs the same replication numbers from the same root seed, so replication *i*
sees the same clients with the same needs in every option as far as the model allows. Per KPI
the comparison reports each option's mean and CI and, for every option after the first, the
paired difference against the first with its Student-t CI (significant when the CI excludes
zero), and for reference the unpaired (Welch) CI that independent seeds would have needed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sim.experiment.decision import Decision, OptionOutcome, decide
from sim.experiment.options import Execution
from sim.experiment.replicate import Session, Unit, prepare
from sim.results.summary import Estimate, _clean, dataframe, estimate, t_quantile
from sim.results.targets import TargetCheck, check_targets
from sim.scenario.spec import Scenario

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Difference(Estimate):
    """An option minus the reference option for one KPI, over paired replications.

    The estimate fields are those of the paired differences; the unpaired (Welch) interval is
    kept beside them to show what common random numbers gain.
    """

    unpaired_ci_low: float
    unpaired_ci_high: float

    @property
    def significant(self) -> bool:
        """True when the paired CI excludes zero."""
        return not math.isnan(self.ci_low) and (self.ci_low > 0 or self.ci_high < 0)

    @property
    def unpaired_half_width(self) -> float:
        """Half-width of the unpaired (Welch) CI."""
        return (self.unpaired_ci_high - self.unpaired_ci_low) / 2

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (NaN becomes None)."""
        return {
            **super().to_dict(),
            "significant": self.significant,
            "unpaired_ci_low": _clean(self.unpaired_ci_low),
            "unpaired_ci_high": _clean(self.unpaired_ci_high),
        }


def welch_interval(
    a: np.ndarray, b: np.ndarray, confidence: float = CONFIDENCE
) -> tuple[float, float]:
    """CI of mean(b) − mean(a) for independent samples (Welch–Satterthwaite degrees of freedom)."""
    a = a[~np.isnan(a)]
    b = b[~np.isnan(b)]
    if len(a) < 2 or len(b) < 2:
        return math.nan, math.nan
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    diff = float(b.mean() - a.mean())
    se2 = va + vb
    if se2 == 0:
        return diff, diff
    df = se2**2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    half = float(t_quantile(0.5 + confidence / 2, df)) * math.sqrt(se2)
    return diff - half, diff + half


def paired_difference(reference: np.ndarray, option: np.ndarray) -> Difference:
    """``option − reference`` over replications where both are defined, paired and unpaired."""
    both = ~np.isnan(reference) & ~np.isnan(option)
    paired: Estimate = estimate(option[both] - reference[both], CONFIDENCE)
    low, high = welch_interval(reference, option)
    return Difference(paired.mean, paired.sd, paired.ci_low, paired.ci_high, paired.n, low, high)


@dataclass(frozen=True)
class CompareResult:
    """Options side by side: summaries, target verdicts and differences against the first."""

    labels: list[str]
    sources: list[str | None]
    seed: int
    replications: int
    summaries: list[dict[str, Estimate]]
    targets: list[list[TargetCheck]]
    differences: list[dict[str, Difference]]
    """Per option; the first (the reference) has none."""
    definitions: list[dict[str, Any]] = field(default_factory=list)
    """Each option's scenario as plain data (for the assumptions table of reports)."""

    def kpis(self) -> list[str]:
        """Every KPI key, in first-seen order."""
        keys: list[str] = []
        for summary in self.summaries:
            keys.extend(k for k in summary if k not in keys)
        return keys

    def rows(self) -> list[dict[str, Any]]:
        """One record per KPI and option (difference columns empty for the reference)."""
        out = []
        for kpi in self.kpis():
            for i, label in enumerate(self.labels):
                est = self.summaries[i].get(kpi, estimate([]))
                row: dict[str, Any] = {"kpi": kpi, "option": label, **est.to_dict()}
                diff = self.differences[i].get(kpi)
                d = diff.to_dict() if diff is not None else {}
                for key in ("mean", "ci_low", "ci_high", "significant"):
                    row[f"diff_{key}"] = d.get(key)
                row["unpaired_ci_low"] = d.get("unpaired_ci_low")
                row["unpaired_ci_high"] = d.get("unpaired_ci_high")
                out.append(row)
        return out

    def outcomes(self) -> list[OptionOutcome]:
        """Each option's KPIs, verdicts and differences, for :func:`decide`."""
        return [
            OptionOutcome(label, self.summaries[i], self.targets[i], self.differences[i])
            for i, label in enumerate(self.labels)
        ]

    def decision(self, kpi_patterns: Sequence[str] = ()) -> Decision:
        """Which option wins and by which numbers (``kpi_patterns`` add table rows)."""
        return decide(self.outcomes(), kpi_patterns)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "decision": self.decision().to_dict(),
            "reference": self.labels[0],
            "seed": self.seed,
            "replications": self.replications,
            "options": [
                {
                    "label": label,
                    "file": self.sources[i],
                    "kpis": {k: e.to_dict() for k, e in self.summaries[i].items()},
                    "targets": [t.to_dict() for t in self.targets[i]],
                    "difference_vs_reference": {
                        k: d.to_dict() for k, d in self.differences[i].items()
                    },
                    "definition": self.definitions[i] if i < len(self.definitions) else None,
                }
                for i, label in enumerate(self.labels)
            ],
        }

    def to_dataframe(self) -> Any:
        """:meth:`rows` as a pandas DataFrame (needs pandas)."""
        return dataframe(self.rows())


def option_labels(scenarios: Sequence[Scenario], sources: Sequence[str | None]) -> list[str]:
    """Distinct labels: scenario names, else file names, else numbered."""
    names = [s.name for s in scenarios]
    if len(set(names)) == len(names):
        return names
    stems = [Path(src).stem if src else s.name for s, src in zip(scenarios, sources, strict=True)]
    if len(set(stems)) == len(stems):
        return stems
    return [f"{n}#{i + 1}" for i, n in enumerate(names)]


def compare(
    options: Sequence[Scenario | str | Path],
    *,
    replications: int | None = None,
    seed: int | None = None,
    overrides: Sequence[str] = (),
    execution: Execution | None = None,
    **settings: Any,
) -> CompareResult:
    """Run options with common random numbers and compare each with the first.

    All options take the first option's seed and replication count (or ``seed`` and
    ``replications`` when given); ``overrides`` apply to every option. ``execution`` and
    keyword ``settings`` (``jobs=2`` and the like) say where replications run and are kept; see
    :class:`sim.experiment.options.Execution`.
    """
    if len(options) < 2:
        raise ValueError("compare needs at least two options")
    first = prepare(options[0], replications=replications, seed=seed, overrides=overrides)
    scenarios = [first] + [
        prepare(o, replications=first.replications, seed=first.seed, overrides=overrides)
        for o in options[1:]
    ]
    sources = [None if isinstance(o, Scenario) else str(o) for o in options]
    labels = option_labels(scenarios, sources)
    units = [Unit.of(label, sc) for label, sc in zip(labels, scenarios, strict=True)]
    with Session(Execution.of(execution, settings)) as session:
        session.execute(units)
        summaries, verdicts, differences = [], [], []
        reference = session.result(units[0])
        ref_values = {k: reference.values(k) for k in reference.summary}
        for i, unit in enumerate(units):
            result = reference if i == 0 else session.result(unit)
            summaries.append(result.summary)
            verdicts.append(check_targets(unit.scenario.targets, result, unit.scenario))
            diffs: dict[str, Difference] = {}
            if i > 0:
                for kpi in result.summary:
                    if kpi in ref_values:
                        diffs[kpi] = paired_difference(ref_values[kpi], result.values(kpi))
            differences.append(diffs)
    return CompareResult(
        labels,
        sources,
        first.seed,
        first.replications,
        summaries,
        verdicts,
        differences,
        [unit.scenario.echo() for unit in units],
    )

"""The answer of a compare or sweep: which option wins, by which numbers, and how sure that is.

The rule, in the words a report prints:

1. An option *meets every target* when every target's confidence interval says so
   (``sim.results.targets.judge``). Among those, the winner is the one of least total cost per
   day (``cost.total_per_day``: staff, rent, IT, lost clients, late tasks); without a cost model,
   of least staff cost.
2. When no option is shown to meet every target but some miss none (some verdicts are
   uncertain), the cheapest of those is a *provisional* winner: more replications decide.
3. When every option misses a target, there is no winner; the *nearest* is the option whose
   means are closest to the targets (``sim.results.targets.shortfall``), cheapest on ties.

The decision table shows the KPIs the targets name, the total cost, the KPIs that differ
significantly between options (paired CI excluding zero in a compare; non-overlapping CIs in a
sweep), ranked by relative size, and any KPI the user picked with ``--kpi``.
"""

from __future__ import annotations

import fnmatch
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sim.results.kpis_information import SHOWN_WHEN_PRESENT
from sim.results.summary import Estimate
from sim.results.targets import TargetCheck, shortfall

COST_KEYS = ("cost.total_per_day", "all.staff_cost_per_day")
"""The cost an option is judged by: total cost when the scenario has a cost model, else staff."""
AGGREGATE_SCOPES = ("all", "tasks", "team", "role", "lookups", "cost", "waiting_area")
"""Scopes whose significant differences are worth a row (per-class and per-task rows repeat
them; ``--kpi`` adds those on demand)."""
MAX_DIFFERING = 6
Outcome = Literal["winner", "provisional", "none"]


@dataclass(frozen=True)
class OptionOutcome:
    """One option in a decision: its KPIs, target verdicts and differences to the reference."""

    label: str
    kpis: Mapping[str, Estimate]
    targets: Sequence[TargetCheck]
    differences: Mapping[str, Any] = field(default_factory=dict)
    """KPI → paired difference against the reference (empty for the reference and sweeps)."""

    @property
    def verdict(self) -> Literal["met", "missed", "uncertain"]:
        """``met`` when every target is met, ``missed`` when any is missed, else uncertain."""
        verdicts = {t.verdict for t in self.targets}
        if "missed" in verdicts:
            return "missed"
        return "uncertain" if "uncertain" in verdicts else "met"

    def mean(self, key: str) -> float:
        """The option's mean of a KPI (NaN when unknown)."""
        est = self.kpis.get(key)
        return est.mean if est is not None else math.nan


@dataclass(frozen=True)
class Decision:
    """The answer: outcome, the chosen (or nearest) option, the reason, and the table's KPIs."""

    outcome: Outcome
    choice: str
    """The winner, the provisional winner, or the nearest option."""
    reason: str
    cost_key: str
    kpis: list[str]
    """The KPIs of the decision table, in order."""
    deciding: list[str]
    """The two or three KPIs that decide it (for an executive summary)."""
    cost_margin: str = ""
    """How the winner's cost compares with the runner-up's, in words."""
    question: str = ""
    """The question the decision answers, in the client's words."""

    @property
    def headline(self) -> str:
        """One line: ``Winner: X`` or ``No option meets every target; nearest: X``."""
        if self.outcome == "winner":
            return f"Winner: {self.choice}"
        if self.outcome == "provisional":
            return f"Provisional winner: {self.choice} (some targets are still uncertain)"
        return f"No option meets every target; nearest: {self.choice}"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "question": self.question,
            "outcome": self.outcome,
            "choice": self.choice,
            "headline": self.headline,
            "reason": self.reason,
            "cost_kpi": self.cost_key,
            "cost_margin": self.cost_margin,
            "kpis": self.kpis,
            "deciding": self.deciding,
        }


def _cost_key(options: Sequence[OptionOutcome]) -> str:
    for key in COST_KEYS:
        if all(key in o.kpis for o in options):
            return key
    return COST_KEYS[1]


def _cheapest(options: Sequence[OptionOutcome], key: str) -> OptionOutcome:
    return min(options, key=lambda o: math.inf if math.isnan(o.mean(key)) else o.mean(key))


def _differs(a: Estimate, b: Estimate) -> bool:
    """Non-overlapping confidence intervals (a conservative test for independent options)."""
    if any(math.isnan(x) for x in (a.ci_low, a.ci_high, b.ci_low, b.ci_high)):
        return False
    return a.ci_high < b.ci_low or b.ci_high < a.ci_low


def _means(options: Sequence[OptionOutcome], key: str) -> tuple[float, ...]:
    return tuple(round(o.mean(key), 9) for o in options)


def significant_kpis(
    options: Sequence[OptionOutcome], limit: int = MAX_DIFFERING, shown: Sequence[str] = ()
) -> list[str]:
    """Aggregate KPIs that differ significantly between options, largest relative effect first.

    With paired differences (a compare), a KPI differs when any option's paired CI against the
    reference excludes zero; without them (a sweep), when two options' CIs do not overlap.
    """
    ref = options[0]
    paired = any(o.differences for o in options)
    scored: dict[str, float] = {}
    for key, base in ref.kpis.items():
        if key.split(".", 1)[0] not in AGGREGATE_SCOPES or math.isnan(base.mean):
            continue
        ests = [o.kpis[key] for o in options if key in o.kpis and not math.isnan(o.kpis[key].mean)]
        if paired:
            diffs = [o.differences.get(key) for o in options[1:]]
            significant = any(d is not None and d.significant for d in diffs)
        else:
            significant = any(_differs(a, b) for a in ests for b in ests)
        if significant:
            spread = max(e.mean for e in ests) - min(e.mean for e in ests)
            scored[key] = spread / max(abs(base.mean), 1e-9)
    out: list[str] = []
    seen = {_means(options, k) for k in shown}
    for key in sorted(scored, key=lambda k: -scored[k]):
        means = _means(options, key)
        if means not in seen:
            # A KPI with the same means as one already shown (staff cost per role when there
            # is one role) adds a row and no information.
            out.append(key)
            seen.add(means)
    return out[:limit]


def picked_kpis(options: Sequence[OptionOutcome], patterns: Sequence[str]) -> list[str]:
    """KPIs whose key matches any shell-style pattern (``team.*.interruptions_per_day``)."""
    keys: list[str] = []
    for o in options:
        keys.extend(k for k in o.kpis if k not in keys)
    return [k for k in keys if any(fnmatch.fnmatchcase(k, p) for p in patterns)]


def _margin(winner: OptionOutcome, others: Sequence[OptionOutcome], key: str) -> str:
    rest = [o for o in others if o is not winner and not math.isnan(o.mean(key))]
    if not rest:
        return ""
    runner = min(rest, key=lambda o: o.mean(key))
    gap = runner.mean(key) - winner.mean(key)
    if gap < 0:
        return f"{-gap:,.0f} per day dearer than {runner.label}, which does not meet every target"
    diff = winner.differences.get(key) or runner.differences.get(key)
    if diff is not None and (winner.differences.get(key) is None) != (
        runner.differences.get(key) is None
    ):
        sure = diff.significant
    else:
        sure = _differs(winner.kpis[key], runner.kpis[key])
    how = "significantly" if sure else "not significantly (the intervals overlap)"
    return f"{gap:,.0f} per day cheaper than {runner.label}, {how}"


def question_of(labels: Sequence[str], cost_key: str = COST_KEYS[0], subject: str = "") -> str:
    """``Which of A, B or C meets every target at the least total cost?``"""
    names = subject or (
        ", ".join(labels[:-1]) + f" or {labels[-1]}" if len(labels) > 1 else labels[0]
    )
    return f"Which of {names} meets every service target at the least {_cost_word(cost_key)}?"


def decide(
    options: Sequence[OptionOutcome], patterns: Sequence[str] = (), subject: str = ""
) -> Decision:
    """The decision over options (the first is the reference); see the module docstring."""
    if not options:
        raise ValueError("a decision needs at least one option")
    key = _cost_key(options)
    met = [o for o in options if o.verdict == "met"]
    open_ = [o for o in options if o.verdict != "missed"]
    if met:
        choice, outcome = _cheapest(met, key), "winner"
        reason = (
            f"meets every target at the least {_cost_word(key)}"
            if len(met) > 1
            else "the only option that meets every target"
        )
        pool = met
    elif open_:
        choice, outcome = _cheapest(open_, key), "provisional"
        unsure = sorted({t.name for o in open_ for t in o.targets if t.verdict == "uncertain"})
        reason = (
            f"misses no target at the least {_cost_word(key)}, but the intervals cannot yet "
            f"show that it meets: {'; '.join(unsure)}. Run more replications to decide."
        )
        pool = open_
    else:
        choice = min(options, key=lambda o: (shortfall(o.targets), o.mean(key)))
        outcome = "none"
        missed = [t.name for t in choice.targets if t.verdict == "missed"]
        reason = f"closest to the targets, but it misses: {'; '.join(missed)}"
        pool = [choice]
    target_kpis: list[str] = []
    for o in options:
        target_kpis.extend(t.kpi for t in o.targets if t.kpi not in target_kpis)
    differing = significant_kpis(options, shown=[*target_kpis, key])
    outcomes = [k for k in SHOWN_WHEN_PRESENT if any(k in o.kpis for o in options)]
    table = list(
        dict.fromkeys([*target_kpis, key, *outcomes, *differing, *picked_kpis(options, patterns)])
    )
    deciding = list(dict.fromkeys([key, *target_kpis[:1], *differing]))[:3]
    return Decision(
        outcome,  # type: ignore[arg-type]
        choice.label,
        reason,
        key,
        table,
        deciding,
        _margin(choice, pool if len(pool) > 1 else options, key),
        question_of([o.label for o in options], key, subject),
    )


def _cost_word(key: str) -> str:
    return "total cost" if key == "cost.total_per_day" else "staff cost"

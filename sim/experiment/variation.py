"""Scenarios with their assumptions set to chosen values: the runs of a sensitivity analysis.

The options of an analysis (one scenario, or two to compare) carry assumptions (ranges, see
``sim.scenario.assumptions``). Here they become *factors*: an assumption written with the same
key and range in several options is one factor that moves them together (an office's true
service time does not depend on which IT it buys); otherwise it belongs to its option alone.
A *point* gives every factor a value; :func:`point_units` turns a point into one validated
scenario per option. Options that a point leaves at their base values get the very same
scenario, so the results store runs them once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sim.errors import Problem, ScenarioError
from sim.experiment.inputs import scenario_from_dict, with_run_settings
from sim.experiment.replicate import Unit
from sim.scenario.assumptions import Assumption, set_path
from sim.scenario.spec import Scenario


@dataclass(frozen=True)
class Factor:
    """An assumption of the analysis and the options (by index) it applies to."""

    name: str
    assumption: Assumption
    options: tuple[int, ...]


ROLLOUT_PREFIX = "it.rollout."
"""Keys read only by the business case, never by a replication."""


def factors_of(
    scenarios: Sequence[Scenario],
    labels: Sequence[str],
    *,
    documented: bool = True,
    rollout: bool = False,
) -> list[Factor]:
    """The factors of the options: shared where key and range agree, else per option.

    ``documented=False`` leaves out the documented ranges of defaults and presets, keeping
    only the ranges written in the scenarios; the ranges of ``it.rollout`` (which no
    replication reads) count only with ``rollout=True`` (the business case).
    """
    groups: dict[tuple[object, ...], list[tuple[int, Assumption]]] = {}
    for i, scenario in enumerate(scenarios):
        for a in scenario.assumptions:
            if a.origin != "scenario" and not documented:
                continue
            if a.key.startswith(ROLLOUT_PREFIX) and not rollout:
                continue
            ident = (a.path, a.low, a.mode, a.high, a.shape, a.duration)
            groups.setdefault(ident, []).append((i, a))
    by_key: dict[str, int] = {}
    for members in groups.values():
        key = members[0][1].key
        by_key[key] = by_key.get(key, 0) + 1
    out = []
    for members in groups.values():
        a = members[0][1]
        options = tuple(i for i, _ in members)
        name = a.key
        if by_key[a.key] > 1 or (len(scenarios) > 1 and len(options) < len(scenarios)):
            name = f"{a.key} [{', '.join(labels[i] for i in options)}]"
        out.append(Factor(name, a, options))
    return out


Point = Mapping[int, float]
"""Factor index → value (factors not named keep their point value)."""


def scenario_at(
    base: Scenario, factors: Sequence[Factor], option: int, point: Point, seed: int | None = None
) -> Scenario:
    """Option ``option``'s scenario with the factors of ``point`` that apply to it set
    (and with another root seed if ``seed`` is given)."""
    changes = [
        (factors[j].assumption, value)
        for j, value in point.items()
        if option in factors[j].options and value != factors[j].assumption.point
    ]
    if not changes:
        return base if seed is None else with_run_settings(base, seed=seed)
    data = base.echo()
    if seed is not None:
        data["seed"] = seed
    for a, value in changes:
        data = set_path(data, a.path, a.value(value))
    source = f"<{base.name}>"
    try:
        varied = scenario_from_dict(data, source)
    except ScenarioError as exc:
        what = ", ".join(f"{a.key}={a.value(v)}" for a, v in changes)
        raise ScenarioError(
            [Problem(p.source, p.path, f"{p.message} (with {what})") for p in exc.problems]
        ) from None
    return varied.with_assumptions(base.assumptions)


def point_units(
    bases: Sequence[Scenario],
    labels: Sequence[str],
    factors: Sequence[Factor],
    point: Point,
    *,
    tag: str,
    replications: int,
    seed: int | None = None,
) -> list[Unit]:
    """One unit per option at ``point`` (labelled ``option | tag``), all with the same seed."""
    return [
        Unit.of(f"{label} | {tag}", scenario_at(base, factors, i, point, seed), replications)
        for i, (base, label) in enumerate(zip(bases, labels, strict=True))
    ]

"""The executive summary every report opens with: the question, the answer with its interval
and confidence, the two or three numbers that decide it, and one chart of the trade-off.

Built from the results document only (a compare or sweep carries its ``decision``, made by
``sim.experiment.decision``); every KPI stays in the report's appendix.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from sim.report import charts
from sim.report.charts import Est
from sim.report.fmt import (
    SCOPE_PLACES,
    estimate_text,
    kpi_label,
    num,
    short_label,
    unit_text,
    with_unit,
)
from sim.report.model import Cell, Chart, Section, Table
from sim.results.kpis import metric_of, unit_of

SECTION_ID = "executive-summary"
TITLE = "Executive summary"
RUN_COST_KEYS = ("cost.total_per_day", "all.staff_cost_per_day")
"""The cost a run's summary shows: total cost with a cost model, else staff cost."""
VERDICT_WORDS = {"met": "met", "missed": "missed", "uncertain": "not yet decided"}


def _currency(definition: Mapping[str, Any] | None) -> str:
    return str(((definition or {}).get("costs") or {}).get("currency", "EUR"))


def client_label(
    key: str, definition: Mapping[str, Any] | None, targets: Sequence[Mapping[str, Any]] = ()
) -> str:
    """A KPI's name in the client's words: the class, role, team or task by its description
    (``casework (team): Interruptions …`` → ``Caseworkers who …: Interruptions …``), the KPI of
    a target by the target's name; otherwise the KPI's readable name."""
    label = kpi_label(key)
    for t in targets:
        if t.get("kpi") == key and key.startswith("window."):
            return str(t["name"])
    scope = key[: -len(metric_of(key)) - 1] if "." in key else ""
    kind, _, name = scope.partition(".")
    place: Any = definition or {}
    for part in SCOPE_PLACES.get(kind, ()):
        place = (place or {}).get(part) if isinstance(place, Mapping) else None
    spec = place.get(name) if isinstance(place, Mapping) and kind in SCOPE_PLACES else None
    description = spec.get("description") if isinstance(spec, Mapping) else None
    if not description:
        return label
    return f"{str(description).strip()}:{label.split(':', 1)[1]}"


def _numbers_table(
    keys: Sequence[str],
    columns: Sequence[tuple[str, Mapping[str, Any]]],
    currency: str,
    definition: Mapping[str, Any] | None = None,
    targets: Sequence[Mapping[str, Any]] = (),
) -> Table:
    """The deciding KPIs (rows) for each option (columns), mean [95% CI]."""
    rows: list[list[Cell | str]] = []
    records = []
    for key in keys:
        unit = unit_of(key)
        row: list[Cell | str] = [with_unit(client_label(key, definition, targets), unit, currency)]
        record: dict[str, Any] = {"kpi": key}
        for label, kpis in columns:
            row.append(Cell(estimate_text(kpis.get(key), unit, currency), "num"))
            record[label] = (kpis.get(key) or {}).get("mean")
        rows.append(row)
        records.append(record)
    return Table(
        "deciding_numbers",
        "The numbers that decide",
        ["", *(label for label, _ in columns)],
        rows,
        records,
        note="Mean over replications [95% confidence interval].",
    )


def _estimate(kpi: Mapping[str, Any] | None, scale: float = 1.0) -> Est:
    """A KPI summary as ``(mean, ci_low, ci_high)`` times ``scale`` (NaN where missing)."""
    kpi = kpi or {}
    return (
        num(kpi.get("mean")) * scale,
        num(kpi.get("ci_low")) * scale,
        num(kpi.get("ci_high")) * scale,
    )


def _tradeoff_chart(
    options: Sequence[tuple[str, Mapping[str, Any]]],
    x_key: str,
    target: Mapping[str, Any],
    currency: str,
) -> Chart:
    """Cost against the first target's KPI, one point per option with both 95% CIs."""
    y_key = str(target["kpi"])
    y_scale = 100.0 if unit_of(y_key) == "share" else 1.0
    points = [
        charts.TradeoffPoint(label, _estimate(kpis.get(x_key)), _estimate(kpis.get(y_key), y_scale))
        for label, kpis in options
    ]
    y_unit = unit_text(unit_of(y_key), currency)
    y_name = short_label(y_key) if not y_key.startswith("window.") else str(target["name"])
    title = f"Trade-off: cost against {target['name']}"
    level = num(target.get("target"))
    fig = partial(
        charts.tradeoff_points,
        title,
        points,
        with_unit(short_label(x_key), unit_of(x_key), currency),
        f"{y_name} ({y_unit})" if y_unit else y_name,
        target=level * y_scale,
    )
    better = "Up" if target.get("direction") == "at_least" else "Down"
    caption = (
        "Each point is an option: its mean cost per day (across) and its result on the first "
        "target (up), with 95% confidence intervals as whiskers; the dashed line is the target. "
        f"{better} and to the left is better."
    )
    return Chart("executive_tradeoff", title, fig, caption)


def _options(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    if "options" in doc:
        return list(doc["options"])
    return [
        {"label": v["label"], "kpis": v["kpis"], "targets": v.get("targets", [])}
        for v in doc.get("variants", [])
    ]


def experiment_summary(doc: Mapping[str, Any]) -> Section | None:
    """The summary of a compare or sweep, from its stored decision (None without one)."""
    decision = doc.get("decision")
    options = _options(doc)
    if not decision or not options:
        return None
    definition = options[0].get("definition") if "options" in doc else doc.get("definition")
    currency = _currency(definition)
    paragraphs = [
        f"Question: {decision['question']}",
        f"Answer: {decision['headline']}. It {str(decision['reason']).rstrip('.')}.",
    ]
    if decision.get("cost_margin"):
        # The decision speaks of money per day; the summary names the currency.
        margin = str(decision["cost_margin"]).replace(" per day ", f" {currency} per day ", 1)
        paragraphs.append(f"Cost: {margin}.")
    paragraphs.append(
        "Confidence: a target counts as met only when its whole 95% confidence interval is on "
        "the right side of it; differences between options are paired (same clients in every "
        "option) where the options were compared with common random numbers."
    )
    columns = [(str(o["label"]), o.get("kpis", {})) for o in options]
    section = Section(SECTION_ID, TITLE, paragraphs)
    targets = options[0].get("targets", [])
    section.tables.append(
        _numbers_table(decision.get("deciding", []), columns, currency, definition, targets)
    )
    first_target = next((t for o in options for t in o.get("targets", [])), None)
    cost = str(decision.get("cost_kpi", "cost.total_per_day"))
    if first_target is not None:
        section.charts.append(_tradeoff_chart(columns, cost, first_target, currency))
    return section


def run_summary(doc: Mapping[str, Any]) -> Section:
    """The summary of one run: does the office meet its targets, and at what cost?"""
    scenario = doc.get("scenario", {})
    definition = scenario.get("definition", {})
    currency = _currency(definition)
    targets = doc.get("targets", [])
    kpis = doc.get("kpis", {})
    name = str(scenario.get("name", "this office"))
    paragraphs = [f"Question: does {name} meet its service targets, and at what cost?"]
    if definition.get("description"):
        paragraphs.append(str(definition["description"]).strip())
    missed = [t for t in targets if t["verdict"] == "missed"]
    unsure = [t for t in targets if t["verdict"] == "uncertain"]
    if missed:
        answer = "No: it misses " + "; ".join(_target_result(t, currency) for t in missed)
    elif unsure:
        answer = (
            "Not yet decided: the intervals cannot show whether it meets "
            + "; ".join(_target_result(t, currency) for t in unsure)
            + ". Run more replications to decide."
        )
    else:
        answer = f"Yes: it meets {_all_targets(len(targets))} with 95% confidence."
    paragraphs.append(f"Answer: {answer}")
    section = Section(SECTION_ID, TITLE, paragraphs)
    section.tables.append(_targets_numbers(targets, kpis, currency))
    chart = _class_chart(doc, currency)
    if chart is not None:
        section.charts.append(chart)
    return section


def _all_targets(n: int) -> str:
    """``its target``, ``both targets``, ``all 3 targets``."""
    return {0: "its targets", 1: "its target", 2: "both targets"}.get(n, f"all {n} targets")


def _targets_numbers(
    targets: Sequence[Mapping[str, Any]], kpis: Mapping[str, Any], currency: str
) -> Table:
    """Every target (named as the scenario names it) with its estimate and verdict, then the
    total cost per day: the numbers that decide whether the office does what it should."""
    rows: list[list[Cell | str]] = []
    records = []
    for t in targets:
        kpi = str(t["kpi"])
        est = estimate_text(t.get("estimate"), unit_of(kpi), currency)
        verdict = str(t["verdict"])
        rows.append([str(t["name"]), Cell(est, "num"), Cell(VERDICT_WORDS[verdict], verdict)])
        records.append({"kpi": kpi, "name": t["name"], **_record(t.get("estimate"))})
        records[-1]["verdict"] = verdict
    for key in RUN_COST_KEYS:
        if key in kpis:
            unit = unit_of(key)
            label = with_unit(kpi_label(key), unit, currency)
            rows.append([label, Cell(estimate_text(kpis[key], unit, currency), "num"), ""])
            records.append({"kpi": key, "name": label, **_record(kpis[key]), "verdict": ""})
            break
    return Table(
        "deciding_numbers",
        "The numbers that decide",
        ["", "Measured [95% CI]", "Verdict"],
        rows,
        records,
        note="Mean over replications [95% confidence interval]. A target is met only when its "
        "whole interval is on the right side of it.",
    )


def _record(est: Mapping[str, Any] | None) -> dict[str, Any]:
    return {c: (est or {}).get(c) for c in ("mean", "ci_low", "ci_high")}


def _target_result(t: Mapping[str, Any], currency: str) -> str:
    est = estimate_text(t.get("estimate"), unit_of(str(t["kpi"])), currency)
    return f"{t['name']} (measured {est})"


def _class_chart(doc: Mapping[str, Any], currency: str) -> Chart | None:
    """Service level per client class against the target: where the office falls short."""
    kpis = doc.get("kpis", {})
    classes = list(doc.get("scenario", {}).get("definition", {}).get("client_classes", {}))
    keys = [f"class.{c}.service_level" for c in classes if f"class.{c}.service_level" in kpis]
    if not keys:
        return None
    definition = doc.get("scenario", {}).get("definition", {})
    descriptions = {
        c: str(v.get("description") or c) for c, v in definition.get("client_classes", {}).items()
    }
    labels = [descriptions[k.split(".")[1]] for k in keys]
    values = [_estimate(kpis[k], 100.0) for k in keys]
    level = num((definition.get("targets") or {}).get("service_level"))
    fig = partial(
        charts.estimate_bars,
        "Served within the target wait, by client class",
        labels,
        values,
        "Clients served within the target wait (%)",
        target=100 * level,
        target_label="office-wide target",
    )
    caption = (
        "Share of each class's arriving clients served within the office-wide target wait, mean "
        "with 95% confidence interval; the dashed line is the target. A class far below it is "
        "where more staff or other hours help most."
    )
    return Chart(
        "executive_classes", "Served within the target wait, by client class", fig, caption
    )


def optimize_summary(doc: Mapping[str, Any]) -> Section:
    """The summary of an optimisation: the plan, its objective value and the targets."""
    objective = str(doc.get("objective", ""))
    paragraphs = [
        f"Question: what is the staffing of {doc.get('scenario', 'the office')} that meets "
        f"every service target at the least {objective_words(objective)}?"
    ]
    plan = doc.get("plan", {})
    parts = []
    for role, spec in plan.items():
        if "count" in spec:
            parts.append(f"{role}: {spec['count']} all day")
        else:
            shifts = ", ".join(f"{s['count']} x {s['start']}-{s['end']}" for s in spec["shifts"])
            parts.append(f"{role}: {shifts}")
    unit = unit_of(objective) if "." in objective else ""
    cost = estimate_text(doc.get("cost"), unit)
    if doc.get("feasible"):
        paragraphs.append(f"Answer: {'; '.join(parts)} — {objective_words(objective)} {cost}.")
    else:
        paragraphs.append(
            f"Answer: no plan tried meets every target; the nearest is {'; '.join(parts)}."
        )
    section = Section(SECTION_ID, TITLE, paragraphs)
    section.tables.append(_targets_numbers(doc.get("targets", []), doc.get("kpis", {}), "EUR"))
    return section


def objective_words(objective: str) -> str:
    """The objective in words (a weighted sum names its KPIs, not their keys)."""
    if objective == "all.staff_cost_per_day":
        return "staff cost per day"
    if objective == "cost.total_per_day":
        return "total cost per day (staff, rent, IT, lost clients and late tasks)"
    terms = []
    for term in objective.split(" + "):
        weight, sep, key = term.partition(" x ")
        if not sep or "." not in key:
            return objective
        name = kpi_label(key)
        terms.append(f"{weight} × {name[:1].lower()}{name[1:]}")
    return "weighted sum of " + " + ".join(terms)


def executive_summary(kind: str, doc: Mapping[str, Any]) -> Section | None:
    """The executive summary of any results document."""
    if kind == "results":
        return run_summary(doc)
    if kind == "optimize":
        return optimize_summary(doc)
    return experiment_summary(doc)

"""Reports of compare, sweep and optimize results documents.

Options (compared scenarios, or sweep variants) are ranked by total cost among those that meet
every target with confidence; KPI bars carry 95% CI whiskers; a comparison adds the paired
differences against the reference option with their significance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from sim.report import charts
from sim.report.channels_report import channel_keys
from sim.report.charts import DiffPanel, Series
from sim.report.common import (
    assumption_differences_section,
    assumptions_section,
    est_of,
    kpi_table,
    reproducibility,
    scale_of,
    targets_table,
    verdict_cell,
)
from sim.report.fmt import (
    estimate_text,
    kpi_label,
    num,
    short_label,
    shown_significant,
    unit_text,
    with_unit,
)
from sim.report.model import Cell, Chart, Report, Section, Table
from sim.report.optimize_report import build_optimize_report
from sim.results.kpis import unit_of
from sim.results.kpis_information import SHOWN_WHEN_PRESENT

COMPARED = [
    "all.wait_mean_min",
    "all.wait_p90_min",
    "all.service_level",
    "all.lost_share",
    "all.staff_cost_per_day",
    "cost.total_per_day",
    *SHOWN_WHEN_PRESENT,
]
"""KPIs drawn as bars per option (each only where some option has it)."""


@dataclass(frozen=True)
class Option:
    """A compared scenario or a sweep variant: label, KPIs, target verdicts."""

    label: str
    kpis: Mapping[str, Mapping[str, Any]]
    targets: Sequence[Mapping[str, Any]]
    differences: Mapping[str, Mapping[str, Any]]
    definition: Mapping[str, Any] | None = None

    @property
    def meets_targets(self) -> bool:
        """True when every target is met with confidence."""
        return all(t.get("verdict") == "met" for t in self.targets)


def cost_kpi(options: Sequence[Option]) -> str:
    """The KPI options are ranked by: total cost when every option has it, else staff cost."""
    if all("cost.total_per_day" in o.kpis for o in options):
        return "cost.total_per_day"
    return "all.staff_cost_per_day"


def ranking(options: Sequence[Option]) -> list[tuple[int | None, Option]]:
    """Options meeting the targets by rising cost (ranked 1, 2, ...), then the others (None)."""
    key = cost_kpi(options)
    good = sorted(
        (o for o in options if o.meets_targets), key=lambda o: num(o.kpis[key].get("mean"))
    )
    rest = [o for o in options if not o.meets_targets]
    return [(i + 1, o) for i, o in enumerate(good)] + [(None, o) for o in rest]


def ranking_section(options: Sequence[Option], noun: str) -> tuple[Section, list[Cell]]:
    """The ranking table and the headline answer."""
    key = cost_kpi(options)
    unit = unit_of(key)
    target_names = [str(t["name"]) for t in options[0].targets]
    rows: list[list[Cell | str]] = []
    records = []
    for rank, o in ranking(options):
        verdicts = {str(t["name"]): str(t["verdict"]) for t in o.targets}
        rows.append(
            [
                Cell(str(rank) if rank else "–", "num best" if rank == 1 else "num"),
                Cell(o.label, "best" if rank == 1 else ""),
                Cell(estimate_text(o.kpis.get(key), unit), "num"),
                *[verdict_cell(verdicts.get(n, "uncertain")) for n in target_names],
            ]
        )
        records.append(
            {
                "rank": rank,
                noun: o.label,
                "cost_kpi": key,
                **{c: (o.kpis.get(key) or {}).get(c) for c in ("mean", "ci_low", "ci_high")},
                **{f"target: {n}": verdicts.get(n) for n in target_names},
                "meets_targets": o.meets_targets,
            }
        )
    table = Table(
        "ranking",
        f"Ranking by {kpi_label(key).lower()} among the {noun}s that meet every target",
        ["Rank", noun.capitalize(), with_unit(kpi_label(key), unit), *target_names],
        rows,
        records,
        note=f"Only {noun}s whose every target is met with confidence (the whole 95% CI on the "
        "right side) are ranked; the others follow unranked.",
    )
    ranked = [o for r, o in ranking(options) if r]
    if ranked:
        best = ranked[0]
        answer = [
            Cell(
                f"✓ Cheapest {noun} that meets every target: {best.label} — "
                f"{kpi_label(key).lower()} {estimate_text(best.kpis.get(key), unit)}",
                "met",
            )
        ]
    else:
        answer = [Cell(f"✗ No {noun} meets every target with confidence.", "missed")]
    for o in options:
        if not o.meets_targets:
            missed = [str(t["name"]) for t in o.targets if t.get("verdict") != "met"]
            answer.append(Cell(f"{o.label}: not confirmed on {'; '.join(missed)}", "uncertain"))
    return Section("ranking", "The answer: ranking by cost", tables=[table]), answer


def kpi_bars_section(options: Sequence[Option], noun: str) -> Section:
    """One bar chart with CI whiskers per headline KPI; targets as dashed lines."""
    out = Section(
        "kpis",
        f"Key results by {noun}",
        ["Bars: mean across replications; whiskers: 95% confidence interval; dashed: target."],
    )
    targets = {str(t["kpi"]): float(t["target"]) for t in options[0].targets}
    labels = [o.label for o in options]
    for key in COMPARED:
        if not any(key in o.kpis for o in options):
            continue
        unit, scale = unit_of(key), scale_of(key)
        title = f"{kpi_label(key)} by {noun}"
        target = targets.get(key)
        fig = partial(
            charts.estimate_bars,
            title,
            labels,
            [est_of(o.kpis, key, scale) for o in options],
            with_unit(short_label(key), unit),
            target=target * scale if target is not None else None,
        )
        out.charts.append(Chart(f"{key.replace('.', '_')}_by_{noun}", title, fig))
    rows: list[list[Cell | str]] = []
    keys = [k for k in COMPARED if any(k in o.kpis for o in options)]
    keys += [k for k in options[0].kpis if k.endswith(".utilization")]
    keys += channel_keys(options[0].kpis)
    for k in keys:
        rows.append(
            [kpi_label(k)]
            + [Cell(estimate_text(o.kpis.get(k), unit_of(k)), "num") for o in options]
        )
    records = [{noun: o.label, "kpi": k, **(o.kpis.get(k) or {})} for k in keys for o in options]
    out.tables.append(
        Table("kpis_by_option", f"Headline KPIs by {noun}", ["KPI", *labels], rows, records)
    )
    return out


def differences_section(options: Sequence[Option]) -> Section:
    """Paired differences against the reference: forest plot and table with significance."""
    ref = options[0].label
    panels = []
    for key in COMPARED:
        rows: list[str] = []
        values: list[charts.Est] = []
        sig: list[bool] = []
        for o in options[1:]:
            d = o.differences.get(key)
            if d is None:
                continue
            scale = scale_of(key)
            rows.append(o.label)
            values.append(
                (
                    num(d.get("mean")) * scale,
                    num(d.get("ci_low")) * scale,
                    num(d.get("ci_high")) * scale,
                )
            )
            sig.append(shown_significant(d, unit_of(key)))
        if rows:
            label = f"Δ {short_label(key)} ({unit_text(unit_of(key))})"
            panels.append(DiffPanel(label, rows, values, sig))
    out = Section(
        "differences",
        f"Differences against the reference ({ref})",
        [
            "Each option minus the reference, replication by replication (common random "
            "numbers: replication i sees the same clients in every option), with the paired 95% "
            "CI. Significant: the interval excludes zero at the precision shown. The unpaired (Welch) interval shows "
            "what independent seeds would have given."
        ],
    )
    if panels:
        title = f"Paired difference against {ref} (option − reference, 95% CI)"
        out.charts.append(
            Chart("differences", title, partial(charts.difference_forest, title, panels))
        )
    table: list[list[Cell | str]] = []
    records = []
    extra = set(channel_keys(options[0].kpis))
    for key in [k for k in options[0].kpis if any(k in o.differences for o in options[1:])]:
        shown = key in COMPARED or key.endswith((".utilization", "_per_day"))
        if not shown and key not in extra:
            continue
        for o in options[1:]:
            d = o.differences.get(key)
            if d is None:
                continue
            unit = unit_of(key)
            unpaired = {
                "mean": d.get("mean"),
                "ci_low": d.get("unpaired_ci_low"),
                "ci_high": d.get("unpaired_ci_high"),
            }
            table.append(
                [
                    kpi_label(key),
                    o.label,
                    Cell(estimate_text(d, unit), "num"),
                    Cell(estimate_text(unpaired, unit).partition(" ")[2] or "n/a", "num"),
                    Cell(
                        "yes" if shown_significant(d, unit) else "no",
                        "met" if shown_significant(d, unit) else "muted",
                    ),
                ]
            )
            records.append({"kpi": key, "option": o.label, **d})
    out.tables.append(
        Table(
            "differences",
            f"Paired differences against {ref}",
            ["KPI", "Option", "Difference [paired 95% CI]", "Unpaired CI", "Significant"],
            table,
            records,
        )
    )
    return out


def sweep_lines_section(options: Sequence[Option], doc: Mapping[str, Any]) -> Section | None:
    """With one numeric sweep key: each headline KPI against the key's value, with CI bands."""
    keys = doc.get("keys", [])
    variants = doc.get("variants", [])
    if len(keys) != 1:
        return None
    xs = [v.get("settings", {}).get(keys[0]) for v in variants]
    if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in xs):
        return None
    out = Section("trend", f"Results against {keys[0]}", ["Lines: mean; bands: 95% CI."])
    targets = {str(t["kpi"]): float(t["target"]) for t in options[0].targets}
    for key in COMPARED:
        if not any(key in o.kpis for o in options):
            continue
        scale = scale_of(key)
        ests = [est_of(o.kpis, key, scale) for o in options]
        series = Series(
            kpi_label(key), [e[0] for e in ests], [e[1] for e in ests], [e[2] for e in ests]
        )
        title = f"{kpi_label(key)} against {keys[0]}"
        target = targets.get(key)
        fig = partial(
            charts.band_chart,
            title,
            charts.XAxis([float(x) for x in xs], [f"{x:g}" for x in xs], keys[0]),
            [series],
            with_unit(short_label(key), unit_of(key)),
            target=target * scale if target is not None else None,
            height=3.0,
        )
        out.charts.append(Chart(f"{key.replace('.', '_')}_trend", title, fig))
    return out


def _options(kind: str, doc: Mapping[str, Any]) -> list[Option]:
    if kind == "compare":
        return [
            Option(
                str(o["label"]),
                o.get("kpis", {}),
                o.get("targets", []),
                o.get("difference_vs_reference", {}),
                o.get("definition"),
            )
            for o in doc.get("options", [])
        ]
    return [
        Option(f"{v['variant']}. {v['label']}", v.get("kpis", {}), v.get("targets", []), {})
        for v in doc.get("variants", [])
    ]


def build_experiment_report(kind: str, doc: Mapping[str, Any]) -> Report:
    """The report of a compare, sweep or optimize document."""
    if kind == "optimize":
        return build_optimize_report(doc)
    options = _options(kind, doc)
    if not options:
        raise ValueError(f"the {kind} document has no options")
    noun = "option" if kind == "compare" else "variant"
    rank, answer = ranking_section(options, noun)
    if kind == "compare":
        title = " vs ".join(o.label for o in options[:4])
        subtitle = f"Comparison of {len(options)} options"
        reps = doc.get("replications")
    else:
        title = f"{doc.get('scenario', 'Sweep')}: sweep of {', '.join(doc.get('keys', []))}"
        subtitle = f"Sweep of {len(options)} variants"
        reps = ", ".join(sorted({str(v.get("replications")) for v in doc.get("variants", [])}))
    report = Report(
        kind,
        title,
        f"{subtitle} · {reps} replications each · seed {doc.get('seed')} · "
        f"{doc.get('created_utc', '')}",
        answer=answer,
    )
    verdicts = Section("targets", "Targets by " + noun)
    for i, o in enumerate(options):
        verdicts.tables.append(
            targets_table(f"targets_{i + 1}_{_slug(o.label)}", o.targets, f"{o.label}: targets")
        )
    sections = [rank, kpi_bars_section(options, noun)]
    if doc.get("robustness"):
        from sim.report.robustness import robustness_section

        sections.insert(1, robustness_section(doc["robustness"]))
    if kind == "compare":
        sections.append(differences_section(options))
    else:
        trend = sweep_lines_section(options, doc)
        if trend is not None:
            sections.append(trend)
        from sim.report.space_sweep import space_sweep_section

        currency = str(((doc.get("definition") or {}).get("costs") or {}).get("currency", "EUR"))
        space = space_sweep_section([o.kpis for o in options], doc, currency)
        if space is not None:
            sections.append(space)
    sections.append(verdicts)
    if kind == "sweep" and doc.get("definition"):
        sections.append(
            assumptions_section(
                doc["definition"],
                title="Assumptions: every parameter of variant 1 (the others differ only in "
                "the swept keys)",
            )
        )
    sections += _option_assumptions(options)
    sections.append(all_kpis_section(options, noun))
    report.sections = sections
    files = [str(o.get("file")) for o in doc.get("options", []) if o.get("file")]
    report.reproducibility = reproducibility(
        doc,
        [
            ("root seed", str(doc.get("seed"))),
            ("replications", str(reps)),
            ("scenario files", ", ".join(files) if files else "see command line"),
        ],
    )
    return report


def _option_assumptions(options: Sequence[Option]) -> list[Section]:
    """Every parameter of the first option with a definition; of the others, what differs."""
    out: list[Section] = []
    reference: Option | None = None
    for i, o in enumerate(options):
        if not o.definition:
            continue
        section_id = f"assumptions_{i + 1}_{_slug(o.label)}"
        title = f"Assumptions of {o.label}"
        if reference is None or not reference.definition:
            reference = o
            out.append(assumptions_section(o.definition, section_id=section_id, title=title))
        else:
            out.append(
                assumption_differences_section(
                    o.definition,
                    reference.definition,
                    reference.label,
                    section_id=section_id,
                    title=title,
                )
            )
    return out


SIDE_BY_SIDE = 4
"""Up to this many options, the appendix shows every KPI once with a column per option."""


def all_kpis_section(options: Sequence[Option], noun: str) -> Section:
    """Every KPI of every option: side by side for a few options, one table each for more."""
    title = f"Appendix: every KPI by {noun}"
    if len(options) > SIDE_BY_SIDE:
        return Section(
            "all_kpis",
            title,
            tables=[
                kpi_table(f"kpis_{i + 1}_{_slug(o.label)}", f"{o.label}: all KPIs", o.kpis)
                for i, o in enumerate(options)
            ],
        )
    keys = list(dict.fromkeys(k for o in options for k in o.kpis))
    costs = next((o.definition.get("costs") for o in options if o.definition), None) or {}
    currency = str(costs.get("currency", "EUR"))
    rows: list[list[Cell | str]] = []
    records = []
    for k in keys:
        unit = unit_of(k)
        row: list[Cell | str] = [with_unit(kpi_label(k), unit, currency)]
        for o in options:
            row.append(Cell(estimate_text(o.kpis.get(k), unit, currency), "num"))
            e = o.kpis.get(k) or {}
            records.append(
                {
                    "option": o.label,
                    "kpi": k,
                    "unit": unit,
                    **{c: e.get(c) for c in ("mean", "sd", "ci_low", "ci_high", "n")},
                }
            )
        rows.append(row)
    table = Table(
        "kpis_by_option",
        f"Every KPI, one column per {noun}",
        ["KPI", *(o.label for o in options)],
        rows,
        records,
        note="Mean over replications [95% confidence interval]; n/a where an option does not "
        "have the KPI. The KPI keys are in kpis.csv and in this table's CSV file.",
    )
    return Section("all_kpis", title, tables=[table])


def _slug(text: str) -> str:
    out = "".join(ch if ch.isalnum() else "_" for ch in text.lower())
    return "_".join(p for p in out.split("_") if p)[:40] or "x"

"""The answer of ``compare`` and ``sweep`` on the terminal: a decision table, or JSON for scripts.

The table has one column per option and rows for every target (verdict and estimate with its
95% CI), then the KPIs of the decision (``sim.experiment.decision``) with, in a compare, the
paired difference against the reference; below it the winner and why.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from sim.experiment.decision import Decision, OptionOutcome
from sim.report.fmt import estimate_text, kpi_label, value_text, with_unit
from sim.results.kpis import unit_of

VERDICT_MARKS = {"met": "[green]met[/]", "missed": "[red]missed[/]", "uncertain": "[yellow]?[/]"}


def _cell(option: OptionOutcome, key: str, currency: str) -> str:
    est = option.kpis.get(key)
    if est is None:
        return "n/a"
    unit = unit_of(key)
    text = estimate_text(est.to_dict(), unit, currency)
    diff = option.differences.get(key)
    if diff is not None and diff.n:
        d = diff.to_dict()
        sign = "+" if (d["mean"] or 0) > 0 else ""
        delta = value_text(d["mean"], unit, currency)
        mark = " *" if diff.significant else ""
        text += f"\nΔ {sign}{delta}{mark}"
    return text


def _target_rows(options: Sequence[OptionOutcome], currency: str) -> list[list[str]]:
    names: list[str] = []
    for o in options:
        names.extend(t.name for t in o.targets if t.name not in names)
    rows = []
    for name in names:
        row = [f"Target: {name}"]
        for o in options:
            check = next((t for t in o.targets if t.name == name), None)
            if check is None:
                row.append("—")
                continue
            row.append(f"{VERDICT_MARKS[check.verdict]} {_cell(o, check.kpi, currency)}")
        rows.append(row)
    return rows


def print_decision(
    title: str,
    options: Sequence[OptionOutcome],
    decision: Decision,
    *,
    currency: str = "EUR",
    paired: bool = True,
) -> None:
    """Print the decision table and the verdict below it (rich; plain text when piped)."""
    from rich.console import Console
    from rich.table import Table

    console = Console(width=None if sys.stdout.isatty() else 160, highlight=False)
    table = Table(title=title, show_lines=True, title_justify="left")
    table.add_column("KPI / target", overflow="fold")
    for i, o in enumerate(options):
        name = f"{o.label}\n(reference)" if paired and i == 0 else o.label
        if o.label == decision.choice:
            name = f"[bold]{name}[/]"
        table.add_column(name, overflow="fold")
    for row in _target_rows(options, currency):
        table.add_row(*row)
    verdicts = [VERDICT_MARKS[o.verdict] for o in options]
    table.add_row("[bold]All targets[/]", *verdicts)
    shown = {t.kpi for o in options for t in o.targets}
    for key in decision.kpis:
        if key not in shown:
            label = with_unit(kpi_label(key), unit_of(key), currency)
            table.add_row(label, *(_cell(o, key, currency) for o in options))
    console.print(table)
    note = "mean [95% CI]"
    if paired:
        note += "; Δ: paired difference vs the reference, * significant (CI excludes 0)"
    console.print(note)
    console.print(f"[bold]{decision.headline}[/] — {decision.reason}")
    if decision.cost_margin:
        console.print(f"  {decision.cost_margin}")


def decision_json(
    kind: str,
    question: str,
    options: Sequence[OptionOutcome],
    decision: Decision,
    extra: dict[str, Any] | None = None,
) -> str:
    """The decision summary as JSON: the outcome, each option's targets and table KPIs.

    Numbers are the exact floats of ``kpis.csv`` (mean, sd, CI, n and, in a compare, the paired
    difference), so a script reading either sees the same values.
    """
    doc: dict[str, Any] = {
        "kind": kind,
        "question": question,
        **(extra or {}),
        "decision": decision.to_dict(),
        "options": [
            {
                "label": o.label,
                "verdict": o.verdict,
                "targets": [t.to_dict() for t in o.targets],
                "kpis": {
                    k: {
                        **o.kpis[k].to_dict(),
                        "unit": unit_of(k),
                        **(
                            {"difference": o.differences[k].to_dict()} if k in o.differences else {}
                        ),
                    }
                    for k in decision.kpis
                    if k in o.kpis
                },
            }
            for o in options
        ],
    }
    return json.dumps(doc, indent=1, allow_nan=False)

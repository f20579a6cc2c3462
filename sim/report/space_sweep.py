"""The space part of a sweep report: seat shortage per weekday and desk rent across variants.

For a sweep of a scenario with a workforce on the floor (a ``space`` section), typically over
``space.desks.ratio``: the probability that someone finds no desk, one line per weekday
against the swept value (with its 95% interval), and the rent of the desk area against it —
the two sides of "how many desks?". Read from the sweep document's KPIs; nothing is simulated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from sim.report import charts
from sim.report.charts import Series
from sim.report.common import est_of
from sim.report.fmt import estimate_text, num
from sim.report.model import Cell, Chart, Section, Table
from sim.results.kpis import unit_of

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
NAMES = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
RENT = "space.desk_rent_per_month"


def shortage_key(day: str) -> str:
    """The KPI of the share of a weekday's days on which someone found no desk."""
    return f"space.{day}.shortage_probability"


def _axis(doc: Mapping[str, Any]) -> tuple[list[float], list[str], str]:
    """x values, tick labels and axis label: the swept value with one numeric key, else the
    variant numbers."""
    keys = doc.get("keys", [])
    variants = doc.get("variants", [])
    xs = [v.get("settings", {}).get(keys[0]) for v in variants] if len(keys) == 1 else []
    if xs and all(isinstance(x, int | float) and not isinstance(x, bool) for x in xs):
        return [float(x) for x in xs], [f"{x:g}" for x in xs], str(keys[0])
    return (
        [float(v.get("variant", i + 1)) for i, v in enumerate(variants)],
        [str(v.get("variant", i + 1)) for i, v in enumerate(variants)],
        "variant",
    )


def space_sweep_section(
    kpis: Sequence[Mapping[str, Mapping[str, Any]]], doc: Mapping[str, Any], currency: str
) -> Section | None:
    """Seat-shortage probability per weekday and desk rent across the variants; None when the
    swept scenario has no workforce on the floor (no weekday shortage KPIs)."""
    days = [d for d in WEEKDAYS if any(shortage_key(d) in k for k in kpis)]
    if not days:
        return None
    xs, ticks, xlabel = _axis(doc)
    series = []
    for day in days:
        ests = [est_of(k, shortage_key(day), 100.0) for k in kpis]
        series.append(
            Series(NAMES[day], [e[0] for e in ests], [e[1] for e in ests], [e[2] for e in ests])
        )
    section = Section(
        "space_sweep",
        f"Space: seat shortage and desk rent against {xlabel}",
        [
            "Seat shortage: the share of a weekday's simulated days on which at least one "
            "employee who came in found no desk, per variant (mean over replications, band: "
            "95% CI). Desk rent: the rent of the desk area the variant uses."
        ],
    )
    title = f"Seat-shortage probability per weekday against {xlabel}"
    section.charts.append(
        Chart(
            "space_sweep_shortage",
            title,
            partial(
                charts.band_chart,
                title,
                charts.XAxis(xs, ticks, xlabel),
                series,
                "days with a shortage (%)",
            ),
            "One line per weekday; a line falls as desks are added. Anchor days (teams coming "
            "in together) make a shortage likelier than independent attendance would.",
        )
    )
    if any(RENT in k for k in kpis):
        rent = [est_of(k, RENT) for k in kpis]
        rent_title = f"Desk rent per month against {xlabel}"
        section.charts.append(
            Chart(
                "space_sweep_rent",
                rent_title,
                partial(
                    charts.band_chart,
                    rent_title,
                    charts.XAxis(xs, ticks, xlabel),
                    [Series("desk rent", [r[0] for r in rent])],
                    f"{currency} per month",
                    height=2.6,
                ),
            )
        )
    section.tables.append(_table(kpis, days, ticks, xlabel, currency))
    return section


def _table(
    kpis: Sequence[Mapping[str, Mapping[str, Any]]],
    days: Sequence[str],
    ticks: Sequence[str],
    xlabel: str,
    currency: str,
) -> Table:
    rows: list[list[Cell | str]] = []
    records = []
    for tick, k in zip(ticks, kpis, strict=True):
        row: list[Cell | str] = [tick]
        record: dict[str, Any] = {xlabel: tick}
        for day in days:
            e = k.get(shortage_key(day))
            row.append(Cell(estimate_text(e, "share"), "num"))
            record[f"{day}_shortage_probability"] = (e or {}).get("mean")
        rent = k.get(RENT)
        row.append(Cell(estimate_text(rent, unit_of(RENT), currency), "num"))
        record["desk_rent_per_month"] = num((rent or {}).get("mean"))
        rows.append(row)
        records.append(record)
    return Table(
        "space_sweep",
        "Seat-shortage probability per weekday and desk rent, by variant",
        [xlabel, *(NAMES[d] for d in days), "desk rent/month"],
        rows,
        records,
        "Mean over replications [95% confidence interval].",
    )

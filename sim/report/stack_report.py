"""The report of a stack plan search: the best plans, the levels they fill, what they cost.

Built from an ``officesim/stack`` document; nothing is searched or simulated here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from matplotlib.figure import Figure

from sim.report.charts import figure
from sim.report.fmt import num
from sim.report.model import Cell, Chart, Report, Section, Table
from sim.report.style import SERIES, TARGET_COLOUR


def stack_chart(title: str, plan: Mapping[str, Any], levels: Sequence[Mapping[str, Any]]) -> Figure:
    """One bar per level (top level on top): the desks of each team placed there, stacked,
    against the level's desks."""
    teams = list(plan["levels"])
    colours = {t: SERIES[k % len(SERIES)] for k, t in enumerate(teams)}
    fig = figure(max(2.0, 1.2 + 0.6 * len(levels)))
    ax = fig.axes[0]
    desks = {t: 0 for t in teams}
    for row in plan.get("team_desks", []):
        desks[row["team"]] = int(row["desks"])
    for y, level in enumerate(levels):
        lv = str(level["level"])
        ax.barh(y, level["desks"], color="none", edgecolor=TARGET_COLOUR, height=0.7, zorder=2)
        left = 0.0
        for team in teams:
            if plan["levels"][team] != lv:
                continue
            ax.barh(y, desks[team], left=left, color=colours[team], height=0.7, zorder=3)
            ax.text(left + desks[team] / 2, y, team, ha="center", va="center", fontsize=8)
            left += desks[team]
    ax.set_yticks(range(len(levels)), [f"level {lv['level']}" for lv in levels])
    ax.set_xlabel("desks (outline: the level's desks)")
    ax.grid(axis="y", visible=False)
    ax.set_title(title)
    return fig


def _money(x: Any) -> str:
    value = num(x)
    return "n/a" if value != value else f"{value:,.0f}"


def _plans_table(doc: Mapping[str, Any]) -> Table:
    plans = ([doc["current"]] if doc.get("current") else []) + list(doc.get("plans", []))
    teams = [t["team"] for t in doc.get("teams", [])]
    valued = doc.get("walk_value_per_hour") is not None
    columns = ["rank", "walking min/day", "rent/month"]
    columns += ["cost/month"] if valued else []
    columns += ["Pareto", *teams]
    rows: list[list[Cell | str]] = []
    for p in plans:
        row: list[Cell | str] = [
            "current" if p["rank"] == 0 else str(p["rank"]),
            Cell(f"{num(p['walk_min_per_day']):,.1f}", "num"),
            Cell(_money(p["rent_per_month"]), "num"),
        ]
        if valued:
            row.append(Cell(_money(p["cost_per_month"]), "num"))
        row.append("yes" if p.get("pareto") else "")
        row += [str(p["levels"][t]) for t in teams]
        rows.append(row)
    records = [
        {
            "rank": p["rank"],
            "walk_min_per_day": p["walk_min_per_day"],
            "rent_per_month": p["rent_per_month"],
            "cost_per_month": p["cost_per_month"],
            "pareto": p.get("pareto"),
            **{f"level.{t}": p["levels"][t] for t in teams},
        }
        for p in plans
    ]
    return Table(
        "stack_plans",
        "Stack plans, best first",
        columns,
        rows,
        records,
        "Walking: trips per day between teams × the mean walking distance between desks of "
        "their levels (stairs), at walking speed. Rent: the levels the plan uses. Pareto: no "
        "other listed plan walks less without paying more rent (or the reverse).",
    )


def _levels_table(doc: Mapping[str, Any]) -> Table:
    best = (doc.get("plans") or [{}])[0]
    used = best.get("desks_used", {})
    rows: list[list[Cell | str]] = [
        [
            str(lv["level"]),
            Cell(str(lv["desks"]), "num"),
            Cell(str(used.get(str(lv["level"]), 0)), "num"),
            Cell(_money(lv["rent_per_month"]), "num"),
        ]
        for lv in doc.get("levels", [])
    ]
    return Table(
        "stack_levels",
        "Levels: desks, desks the best plan fills, rent",
        ["level", "desks", "used by the best plan", "rent/month"],
        rows,
        [dict(lv, used_by_best=used.get(str(lv["level"]), 0)) for lv in doc.get("levels", [])],
    )


def _teams_table(doc: Mapping[str, Any]) -> Table:
    trips = doc.get("trips", {})
    rows: list[list[Cell | str]] = []
    for t in doc.get("teams", []):
        out = trips.get(t["team"], {})
        rows.append(
            [
                t["team"],
                Cell(str(t["desks"]), "num"),
                ", ".join(f"{b}: {num(n):g}" for b, n in out.items()) or "—",
            ]
        )
    return Table(
        "stack_teams",
        "Teams: desks needed and trips per day to other teams",
        ["team", "desks", "trips per day"],
        rows,
        [dict(t, trips=trips.get(t["team"], {})) for t in doc.get("teams", [])],
    )


def build_stack_report(doc: Mapping[str, Any]) -> Report:
    """The report of an ``officesim stack`` document."""
    from sim.report.common import reproducibility

    plans = list(doc.get("plans", []))
    if not plans:
        raise ValueError("the stack document has no plans")
    best = plans[0]
    where = ", ".join(f"{t} on {lv}" for t, lv in best["levels"].items())
    answer = [
        Cell(
            f"Best stack: {where} — {num(best['walk_min_per_day']):,.1f} minutes walking between "
            f"teams a day, rent {_money(best['rent_per_month'])} a month"
        )
    ]
    current = doc.get("current")
    if current:
        saved = num(current["walk_min_per_day"]) - num(best["walk_min_per_day"])
        state = "" if doc.get("current_feasible") else " (over the desks of a level)"
        answer.append(
            Cell(
                f"The scenario's own stack{state}: {num(current['walk_min_per_day']):,.1f} "
                f"minutes a day ({saved:,.1f} more than the best), rent "
                f"{_money(current['rent_per_month'])}"
            )
        )
    how = (
        "every feasible plan was evaluated, so the first is the optimum"
        if doc.get("method") == "exhaustive"
        else "a heuristic (greedy placement, then moves, pairwise swaps and level exchanges "
        "until none improves): "
        "the first is a local optimum, not a proven one"
    )
    report = Report(
        "stack",
        f"{doc.get('scenario', 'Stack plan')}: which team on which floor",
        f"{doc.get('evaluated')} feasible plans evaluated · ranked by {doc.get('ranked_by')} · "
        f"{doc.get('created_utc', '')}",
        answer=answer,
    )
    team_desks = doc.get("teams", [])
    section = Section(
        "stack",
        "Stack plans",
        [
            f"Search: {how}. Every team sits whole on one level; no level holds more desks "
            "than it has. A team needs its employees × the desk ratio in desks.",
        ],
        charts=[
            Chart(
                "stack_best",
                "The best stack plan",
                stack_chart(
                    "Best stack plan: desks per level",
                    {**best, "team_desks": team_desks},
                    list(reversed(doc.get("levels", []))),
                ),
                "Each bar is a level (the top level on top), filled with the desks of the teams "
                "placed there; the outline is the level's desks.",
            )
        ],
        tables=[_plans_table(doc), _levels_table(doc), _teams_table(doc)],
    )
    report.sections = [section]
    report.reproducibility = reproducibility(
        doc, [("search", str(doc.get("method"))), ("plans evaluated", str(doc.get("evaluated")))]
    )
    return report

"""The floor-plan section: spaces by function, walking traffic as heat, queues at the desks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import OfficesimError
from sim.layout import EdgeKey, Floor, load_floor, walk_network
from sim.report import charts
from sim.report.fmt import num
from sim.report.model import Chart, Section

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def primary_roles(staff: Mapping[str, Any]) -> dict[str, str]:
    """Skill → the role that lists it earliest among its skills (who mainly serves it)."""
    out: dict[str, str] = {}
    rank: dict[str, int] = {}
    for name, role in staff.items():
        for pos, skill in enumerate(role.get("skills", [])):
            if skill not in rank or pos < rank[skill]:
                out[skill], rank[skill] = name, pos
    return out


def queue_spots(
    floor: Floor, definition: Mapping[str, Any], kpis: Mapping[str, Mapping[str, Any]]
) -> list[tuple[float, float, str, float]]:
    """Where each skill's queue shows: the centre of its main role's desks, with its mean length."""
    staff = definition.get("staff", {})
    out = []
    for skill, role in primary_roles(staff).items():
        desks = [d for d in staff[role].get("desks") or [] if _has_point(floor, d)]
        value = num((kpis.get(f"queue.{skill}.length_mean") or {}).get("mean"))
        if not desks or not value > 0:
            continue
        xs = [floor.point(d).point.x for d in desks]
        ys = [floor.point(d).point.y for d in desks]
        out.append((sum(xs) / len(xs), sum(ys) / len(ys), f"queue {skill}", value))
    return out


def _has_point(floor: Floor, point_id: str) -> bool:
    try:
        floor.point(point_id)
    except KeyError:
        return False
    return True


def load_layout(definition: Mapping[str, Any]) -> tuple[Floor | None, str]:
    """The scenario's floor plan, or None with the reason it cannot be shown."""
    layout = definition.get("layout")
    if not layout:
        return None, "The scenario has no floor plan."
    path = Path(str(layout))
    if not path.is_file():
        return None, f"The floor plan {path} is not available where the report was rendered."
    try:
        return load_floor(path, reuse=True), ""  # the run's own floor, when it loaded it
    except OfficesimError as exc:
        return None, f"The floor plan {path} could not be read: {exc}"


def edge_traffic(rows: Sequence[Mapping[str, Any]]) -> dict[EdgeKey, float]:
    """Walking traffic rows of a results document as edge key → walks per day."""
    return {(str(r["from"]), str(r["to"])): float(r["per_day"]) for r in rows}


def _draw_floor(
    floor: Floor,
    traffic: Mapping[EdgeKey, float],
    queues: Sequence[tuple[float, float, str, float]],
    title: str,
) -> Figure:
    """The floor chart, with its walking network built here (where the chart is drawn)."""
    return charts.floor_chart(floor, walk_network(floor), traffic, queues, title)


def floor_section(
    definition: Mapping[str, Any],
    kpis: Mapping[str, Mapping[str, Any]],
    traffic_rows: Sequence[Mapping[str, Any]],
) -> Section | None:
    """The floor plan with traffic heat and mean queues, or None without a layout."""
    floor, reason = load_layout(definition)
    if floor is None:
        if not definition.get("layout"):
            return None
        return Section("floor", "Floor plan and walking traffic", [reason])
    title = f"Floor plan by function, client walking traffic and queues: {floor.name}"
    fig = partial(
        _draw_floor,
        floor,
        edge_traffic(traffic_rows),
        queue_spots(floor, definition, kpis),
        title,
    )
    return Section(
        "floor",
        "Floor plan and walking traffic",
        [
            "Spaces are coloured by function (hatched: staff only). Walking paths are coloured "
            "and thickened by the mean number of client walks per day along each stretch; red "
            "circles at the desks show the mean number of clients waiting for that service over "
            "opening hours (they wait on the seats of the waiting area)."
        ],
        charts=[Chart("floor_traffic", title, fig, "Colour bar: client walks per edge per day.")],
    )

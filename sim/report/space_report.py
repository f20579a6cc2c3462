"""The space section of a run report: desk occupancy per floor, utilisation by hour, shortage.

Reads only the results document (KPIs, hourly profiles) and the building plan the scenario
names; it runs no simulation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from sim.errors import OfficesimError
from sim.layout.building import Building, load_building
from sim.report import charts
from sim.report.charts import Series
from sim.report.common import est_of, kpi_table
from sim.report.fmt import clock_labels
from sim.report.model import Chart, Section
from sim.report.stats import hourly_band
from sim.report.style import WIDTH

HEAT = "YlOrRd"
WALL = "#333333"
EMPTY = "#EEEEEE"


def _building(definition: Mapping[str, Any]) -> Building | None:
    space = definition.get("space") or {}
    layout = space.get("layout") or definition.get("layout")
    if not layout or not Path(str(layout)).exists():
        return None
    try:
        return load_building(Path(str(layout)))
    except OfficesimError:
        return None


def occupancy_chart(building: Building, utilisation: Mapping[tuple[str, str], float]) -> Figure:
    """One panel per floor; open-plan spaces coloured by the share of desk-hours in use."""
    levels = list(building.levels)
    fig = charts.figure(2.6 * len(levels) + 0.6, WIDTH + 1.0, nrows=len(levels), constrained=True)
    cmap = colormaps[HEAT]
    norm = Normalize(0.0, max(max(utilisation.values(), default=0.0), 0.05))
    for ax, lv in zip(fig.axes, reversed(levels), strict=True):
        for space in lv.floor.spaces:
            value = utilisation.get((lv.id, space.id))
            xs, ys = space.polygon.exterior.xy
            face = EMPTY if value is None else cmap(norm(value))
            ax.fill(xs, ys, facecolor=face, edgecolor=WALL, linewidth=1.0)
            if value is not None:
                c = space.polygon.representative_point()
                ax.annotate(f"{value:.0%}", (c.x, c.y), ha="center", va="center", fontsize=8)
        for p in lv.floor.points:
            if p.kind in ("lift", "stairs", "entrance"):
                ax.plot([p.point.x], [p.point.y], marker="s", color="#0072B2", markersize=4)
        ax.set_aspect("equal")
        ax.set_title(f"Level {lv.id}: {lv.name}", fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    bar = ScalarMappable(norm=norm, cmap=cmap)
    fig.colorbar(bar, ax=fig.axes, label="Desk-hours in use (share)", shrink=0.6)
    fig.suptitle("Desk occupancy per floor (share of desk-hours someone sits at the desk)")
    return fig


def _utilisation(kpis: Mapping[str, Mapping[str, Any]]) -> dict[tuple[str, str], float]:
    out = {}
    for key, est in kpis.items():
        if key.startswith("space.area.") and key.endswith(".desk_utilisation"):
            where = key.removeprefix("space.area.").removesuffix(".desk_utilisation")
            level, _, space = where.partition(":")
            mean = est.get("mean")
            if mean is not None:
                out[(level, space)] = float(mean)
    return out


def _hourly_chart(
    reps: Sequence[Mapping[str, Any]], keys: Sequence[tuple[str, str]], start: str
) -> Chart | None:
    present = [(k, label) for k, label in keys if reps and k in reps[0].get("hourly", {})]
    if not present:
        return None
    series = []
    for k, label in present:
        mean, low, high = hourly_band(reps, k)
        series.append(Series(label, list(mean), list(low), list(high)))
    n = len(series[0].mean)
    title = "Desk and room utilisation by hour"
    fig = charts.band_chart(
        title,
        charts.XAxis([i + 0.5 for i in range(n)], clock_labels(start, n), "Hour (h)"),
        series,
        "Share in use",
    )
    caption = (
        "Desks taken (someone's for the day), desks with someone at them, and seat-hours used "
        "in each kind of room over its seats; mean over replications with 95% bands."
    )
    return Chart("space_hourly", title, fig, caption)


def space_section(
    definition: Mapping[str, Any],
    kpis: Mapping[str, Mapping[str, Any]],
    reps: Sequence[Mapping[str, Any]],
    currency: str,
) -> Section | None:
    """Occupancy heat maps per floor, utilisation by hour, shortage per weekday, rent."""
    space = definition.get("space")
    if not space:
        return None
    out = Section(
        "space",
        "Space: desks, rooms and floors",
        [
            f"{sum(t.get('employees', 0) for t in space.get('teams', {}).values())} employees "
            f"in {len(space.get('teams', {}))} teams, desk policy "
            f"{space.get('desks', {}).get('policy', 'hot_desking')}; a shortage day is a day on "
            "which at least one employee found no desk."
        ],
    )
    building = _building(definition)
    util = _utilisation(kpis)
    if building is not None and util:
        out.charts.append(
            Chart(
                "space_occupancy",
                "Desk occupancy per floor",
                occupancy_chart(building, util),
                "Grey: spaces without desks. Squares: entrance, stairs and lifts.",
            )
        )
    rooms = sorted({k.split(".")[2] for k in kpis if k.startswith("space.rooms.")})
    keys = [
        ("space.desk_claimed_share", "desks taken"),
        ("space.desk_occupied_share", "desks in use"),
        *((f"space.rooms.{r}.seat_share", f"{r.replace('_', ' ')} seats") for r in rooms),
    ]
    hours = space.get("hours") or ["07:00", "20:00"]
    chart = _hourly_chart(reps, keys, str(hours[0]))
    if chart is not None:
        out.charts.append(chart)
    week = [d for d in space.get("week", []) if f"space.{d}.shortage_probability" in kpis]
    if week:
        title = "Probability of a seat shortage per weekday"
        fig = charts.estimate_bars(
            title,
            week,
            [est_of(kpis, f"space.{d}.shortage_probability") for d in week],
            "Share of days with someone without a desk",
        )
        out.charts.append(Chart("space_shortage", title, fig, "Bars: mean; whiskers: 95% CI."))
    desk_keys = [
        "space.desks",
        "space.attendance_per_day",
        "space.no_desk_per_day",
        "space.shortage_probability",
        "space.desk_peak_share",
        "space.desk_mean_share",
        "space.desk_utilisation",
        "space.team_distance_m",
        "space.seated_together_share",
        "space.outside_zone_share",
        "space.lift_wait_mean_s",
        "space.exit_clear_s",
        "space.interaction_walk_min_per_day",
    ]
    room_keys = [k for k in kpis if k.startswith("space.rooms.")]
    rent_keys = [k for k in kpis if k.startswith("space.") and "rent" in k]
    out.tables.append(kpi_table("space_desks", "Desks and movement", kpis, desk_keys, currency))
    if room_keys:
        out.tables.append(kpi_table("space_rooms", "Rooms", kpis, room_keys, currency))
    out.tables.append(
        kpi_table(
            "space_rent",
            "Rent (per attending employee: per employee-day)",
            kpis,
            rent_keys,
            currency,
        )
    )
    return out

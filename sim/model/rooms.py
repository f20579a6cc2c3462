"""Room booking: meetings, focus rooms and phone booths booked from a calendar.

Each team books a Poisson number of rooms a day per demand line; a booking starts uniformly in
the demand's window and is made ``lead_time`` before it. Bookings are handled in the order
they are made: the smallest room of the kind with enough seats that is free for the whole
slot, or a refusal (no waiting list). A ghost booking (nobody turns up) holds its room for the
whole slot, or only until ``auto_release`` after the start when the building releases rooms
nobody checked into. With zero lead time, no ghosts and rooms of one size this is an Erlang
loss system: the refusal probability is Erlang B of the offered load.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.model.space_plan import SpacePlan
from sim.random_streams import Streams
from sim.scenario.space import MeetingDemand, Space

NO_ROOM = -1


@dataclass(frozen=True)
class Booking:
    """One room request and what became of it (times in seconds after midnight)."""

    team: str
    kind: str
    made: float
    start: float
    end: float
    size: int
    room: int
    """Index into ``SpacePlan.rooms``; NO_ROOM when refused."""
    ghost: bool
    held_until: float
    """When the room became free again (the end, or the auto-release time of a ghost)."""


def _requests(
    spec: Space, streams: Streams
) -> list[tuple[float, str, MeetingDemand, float, float, int, bool]]:
    out = []
    for name, team in spec.teams.items():
        for k, demand in enumerate(team.meetings):
            rng = streams(f"space:meetings:{name}:{k}")
            n = int(rng.poisson(demand.per_day))
            starts = rng.uniform(demand.earliest, demand.latest, n)
            lengths = demand.duration.block_drawer()(rng, n) if n else np.zeros(0)
            top = demand.size_max or demand.size
            sizes = rng.integers(demand.size, max(top, demand.size) + 1, n)
            ghosts = rng.random(n) < spec.rooms.ghost
            for s, d, z, g in zip(starts, lengths, sizes, ghosts, strict=True):
                start = float(s)
                out.append(
                    (
                        start - demand.lead_time,
                        name,
                        demand,
                        start,
                        start + float(d),
                        int(z),
                        bool(g),
                    )
                )
    out.sort(key=lambda r: (r[0], r[3]))
    return out


def book_rooms(plan: SpacePlan, spec: Space, streams: Streams) -> list[Booking]:
    """One day's room bookings, in the order they were made."""
    order = sorted(range(len(plan.rooms)), key=lambda i: (plan.rooms[i].capacity, i))
    taken: list[list[tuple[float, float, float]]] = [[] for _ in plan.rooms]
    release = spec.rooms.auto_release
    out = []
    for made, team, demand, start, end, size, ghost in _requests(spec, streams):
        held = end
        if ghost and release is not None:
            held = min(end, start + release)
        room = NO_ROOM
        for i in order:
            r = plan.rooms[i]
            if r.kind != demand.kind or r.capacity < size:
                continue
            if all(_apart(t, start, end, made) for t in taken[i]):
                room = i
                break
        if room != NO_ROOM:
            taken[room].append((start, end, held))
        out.append(Booking(team, demand.kind, made, start, end, size, room, ghost, held))
    return out


def _apart(taken: tuple[float, float, float], start: float, end: float, now: float) -> bool:
    """True when a reservation (start, booked end, released at) leaves [start, end) free.

    A booking made after a ghost's release sees the room free from the release on.
    """
    s, e, released = taken
    busy_until = released if now >= released else e
    return busy_until <= start or s >= end


def offered_load(spec: Space, kind: str) -> float:
    """Mean rooms of a kind busy at once if nothing were refused (Erlangs), over the windows."""
    total = 0.0
    for team in spec.teams.values():
        for d in team.meetings:
            if d.kind == kind and d.latest > d.earliest:
                total += d.per_day * d.duration.mean() / (d.latest - d.earliest)
    return total if math.isfinite(total) else math.nan

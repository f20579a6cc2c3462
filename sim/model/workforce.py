"""Who comes in on a day, when, and when they are at their desk: the workforce's attendance.

Each employee comes in independently with the team's probability for the weekday, except on
the team's anchor day of the week, when the probability is ``anchor_attendance``; with several
anchor days the team draws one of them each week, which makes members' attendance move
together (heavier tails than the binomial rule). Under the booking policy the probability is
that of *planning* to come: a planned employee who booked does not come with the no-show
probability. Arrival and departure are normal around the team's times; a stay lasts at least
``MIN_STAY``. In the office, time alternates between spells at the desk and spells away
(meetings and other), exponential with means chosen so that the shares match ``day``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.random_streams import Streams
from sim.scenario.space import Space
from sim.units import HOUR

MIN_STAY = 1 * HOUR
"""Shortest stay in the office: a departure drawn earlier is moved to arrival plus this."""


@dataclass(frozen=True)
class Person:
    """One employee on one day, with the day's plan (times in seconds after midnight)."""

    team: str
    member: int
    comes: bool
    booked: bool
    arrival: float
    departure: float
    away: tuple[tuple[float, float], ...]
    """Spells away from the desk (start, end) within the stay."""


def anchor_day(spec: Space, team: str, week: int, streams: Streams) -> int | None:
    """The weekday index of a team's anchor day in week ``week`` (None without anchors)."""
    days = spec.teams[team].anchor_days
    if not days:
        return None
    rng = streams(f"space:anchor:{team}:{week}")
    return spec.week.index(days[int(rng.integers(len(days)))])


def attendance_probability(spec: Space, team: str, weekday: int, anchor: int | None) -> float:
    """The probability one member plans to come in on ``weekday`` given the week's anchor."""
    if anchor is not None and weekday == anchor:
        return spec.teams[team].anchor_attendance
    return spec.attendance(team, weekday)


def away_spells(
    rng: np.random.Generator, start: float, end: float, desk_share: float, mean_away: float
) -> tuple[tuple[float, float], ...]:
    """Alternating desk and away spells from ``start`` (at the desk) to ``end``."""
    if desk_share >= 1.0 or end <= start:
        return ()
    if desk_share <= 0.0:
        return ((start, end),)
    mean_desk = mean_away * desk_share / (1.0 - desk_share)
    spells = []
    t = start + rng.exponential(mean_desk)
    while t < end:
        length = rng.exponential(mean_away)
        spells.append((t, min(t + length, end)))
        t += length + rng.exponential(mean_desk)
    return tuple(spells)


def day_people(spec: Space, day: int, streams: Streams) -> list[Person]:
    """Every employee's plan for day ``day`` (0-based; weekday = day modulo the week)."""
    weekday = day % len(spec.week)
    week = day // len(spec.week)
    lo, hi = spec.hours
    booking = spec.desks.policy == "booking"
    people = []
    for name, team in spec.teams.items():
        rng = streams(f"space:attendance:{name}")
        anchor = anchor_day(spec, name, week, streams)
        p = attendance_probability(spec, name, weekday, anchor)
        n = team.employees
        plans = rng.random(n) < p
        books = rng.random(n) >= spec.desks.walk_in if booking else np.zeros(n, dtype=bool)
        no_show = rng.random(n) < spec.desks.no_show if booking else np.zeros(n, dtype=bool)
        arrive = np.clip(rng.normal(team.arrival.mean, team.arrival.sd, n), lo, hi - MIN_STAY)
        leave = np.clip(rng.normal(team.departure.mean, team.departure.sd, n), lo, hi)
        leave = np.maximum(leave, arrive + MIN_STAY)
        spells_rng = streams(f"space:spells:{name}")
        for k in range(n):
            comes = bool(plans[k] and not (books[k] and no_show[k]))
            away = (
                away_spells(spells_rng, arrive[k], leave[k], team.day.desk, team.day.episode)
                if comes
                else ()
            )
            people.append(
                Person(
                    name,
                    k,
                    comes,
                    bool(plans[k] and books[k]),
                    float(arrive[k]),
                    float(leave[k]),
                    away,
                )
            )
    return people

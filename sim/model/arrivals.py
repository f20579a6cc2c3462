"""Arrival times: Poisson walk-ins per opening hour and booked clients with no-shows and
punctuality, day by day (absolute seconds), drawn from each source's own streams.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from sim.random_streams import Streams
from sim.scenario.spec import Appointments, Arrivals, OpeningHours, Scenario
from sim.units import DAY, HOUR


def walk_in_times(
    arrivals: Arrivals, hours: OpeningHours, day: int, rng: np.random.Generator
) -> np.ndarray:
    """Arrival times (absolute seconds) of one day's walk-ins: Poisson, rate constant per hour.

    Within each hour the count is Poisson(rate × length) and the times are uniform order
    statistics, which is exactly a homogeneous Poisson process on that hour.
    """
    rates = arrivals.hourly(hours.n_hours)
    factor = arrivals.factor(day)
    chunks = []
    base = day * DAY
    for h, rate in enumerate(rates):
        start = hours.open + h * HOUR
        end = min(start + HOUR, hours.close)
        expected = rate * factor * (end - start) / HOUR
        n = rng.poisson(expected) if expected > 0 else 0
        if n:
            chunks.append(np.sort(rng.uniform(base + start, base + end, n)))
    return np.concatenate(chunks) if chunks else np.zeros(0)


def appointment_times(
    ap: Appointments, hours: OpeningHours, day: int, rng: np.random.Generator
) -> np.ndarray:
    """Arrival times of one day's booked clients: slots minus no-shows plus punctuality offsets.

    Clients early before opening wait outside and enter at opening; the door closes at closing
    time, so an offset never moves a booked client past closing.
    """
    slots = np.repeat(np.asarray(ap.slot_times(), dtype=float), ap.per_slot)
    show = rng.random(len(slots)) >= ap.no_show
    offsets = rng.normal(ap.punctuality_mean, ap.punctuality_sd, len(slots))
    times = slots + (offsets if ap.punctuality_sd > 0 else ap.punctuality_mean)
    times = np.clip(times[show], hours.open, np.nextafter(hours.close, hours.open))
    return np.sort(times) + day * DAY


def daily_times(
    s: Scenario,
    streams: Streams,
    key: str,
    arrivals: Arrivals | None,
    appointments: Appointments | None = None,
) -> Iterator[np.ndarray]:
    """Arrival times day by day: walk-ins and booked clients merged in time order."""
    walk_rng = streams(f"arrivals:{key}")
    book_rng = streams(f"appointments:{key}")
    for day in range(s.days):
        parts = []
        if arrivals is not None:
            parts.append(walk_in_times(arrivals, s.hours, day, walk_rng))
        if appointments is not None:
            parts.append(appointment_times(appointments, s.hours, day, book_rng))
        yield np.sort(np.concatenate(parts)) if len(parts) > 1 else parts[0]

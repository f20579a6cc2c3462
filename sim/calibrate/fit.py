"""Calibrate a front office from a contact log: every fit the scenario needs, for one day type.

Clients are grouped by class (``group_by="class"``; small classes pooled into ``other``) or all
together (``"none"``, the default: one queue served first come, first served). Arrival rates are
fitted on every day type for the report; the scenario models one day type (by default the most
frequent one), whose dates, opening window and observed staffing it takes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from sim.calibrate.appointments import AppointmentFit, fit_appointments
from sim.calibrate.arrivals import ArrivalFit, fit_arrivals, opening_window
from sim.calibrate.patience import PatienceFit, fit_patience
from sim.calibrate.service import ServiceFit, fit_service
from sim.calibrate.staffing import STAFFING_METHODS, ObservedStaffing, observe_staffing
from sim.errors import LogFileError
from sim.logs import ContactLog
from sim.units import HOUR

GROUPINGS = ("none", "class")


@dataclass(frozen=True)
class CalibrateOptions:
    """What to fit: interval of the rate profile, day type, grouping, period."""

    interval: float = HOUR
    """Length of the intervals of the reported arrival profile (15, 30 or 60 min)."""
    day_type: str | None = None
    """The day type the scenario models; default the most frequent one in the log."""
    group_by: str = "none"
    min_group: int = 100
    """Classes with fewer contacts are pooled into ``other``."""
    before: dt.date | None = None
    """Fit only on dates before this one (the rest is held out for validation)."""
    staffing: str = "present"
    """How staffing is estimated from the log: ``present`` or ``seen`` (see ``staffing``)."""
    working_hours: float = 8 * HOUR
    """Hours a day tasks arrive in (back-office logs): the exposure of task arrival rates."""
    target_wait: float = 20.0
    """The service-level target written into the scenario (a choice, not a measurement)."""


@dataclass(frozen=True)
class Calibration:
    """Every fit of a contact log, ready to write a scenario and a report."""

    log: ContactLog
    """The records fitted (after ``before``), grouped (``cls`` holds the group)."""
    options: CalibrateOptions
    day_type: str
    window: tuple[float, float]
    groups: tuple[str, ...]
    arrivals: dict[str, ArrivalFit]
    """Hourly rates of each group on the modelled day type (what the scenario uses)."""
    profile: dict[str, ArrivalFit]
    """All groups pooled, at the report's interval, for every day type."""
    service: dict[str, ServiceFit]
    patience: dict[str, PatienceFit]
    staffing: ObservedStaffing
    appointments: dict[str, AppointmentFit] = field(default_factory=dict)

    @property
    def dates(self) -> tuple[dt.date, ...]:
        return self.staffing.dates


def group_names(log: ContactLog, group_by: str, min_group: int) -> np.ndarray:
    """The group of every contact: its class (valid scenario name) or ``all``."""
    if group_by not in GROUPINGS:
        raise LogFileError.single(
            log.source,
            "--group-by",
            f"unknown grouping {group_by!r}; expected one of {', '.join(GROUPINGS)}",
        )
    if group_by == "none":
        return np.full(len(log), "all", dtype=object)
    names = np.array([_name(str(c)) for c in log.cls], dtype=object)
    sizes = Counter(names.tolist())
    return np.array([n if sizes[n] >= min_group else "other" for n in names], dtype=object)


def _name(text: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "_", text.strip()).strip("_") or "all"
    return cleaned if cleaned[0].isalpha() else f"c_{cleaned}"


def calibrate_contacts(log: ContactLog, options: CalibrateOptions | None = None) -> Calibration:
    """Fit arrivals, service, patience, staffing (and appointments) of a contact log."""
    opts = options or CalibrateOptions()
    if opts.before is not None:
        log = log.select(log.day < np.datetime64(opts.before, "D"))
        if len(log) == 0:
            raise LogFileError.single(log.source, "--holdout", f"no records before {opts.before}")
    if opts.staffing not in STAFFING_METHODS:
        raise LogFileError.single(
            log.source,
            "--staffing",
            f"unknown staffing estimate {opts.staffing!r}; expected one of "
            f"{', '.join(STAFFING_METHODS)}",
        )
    log = _regrouped(log, group_names(log, opts.group_by, opts.min_group))
    types = log.day_type()
    day_type = opts.day_type or Counter(types.tolist()).most_common(1)[0][0]
    if day_type not in set(types.tolist()):
        raise LogFileError.single(
            log.source,
            "--day-type",
            f"no dates of day type {day_type!r}; the log has: "
            f"{', '.join(sorted(set(types.tolist())))}",
        )
    window = opening_window(log, day_type)
    groups = tuple(g for g, _ in Counter(log.cls.tolist()).most_common())
    profile = {
        t: fit_arrivals(log, t, opening_window(log, t, share=0.0), opts.interval)
        for t in sorted(set(types.tolist()))
    }
    arrivals: dict[str, ArrivalFit] = {}
    service: dict[str, ServiceFit] = {}
    patience: dict[str, PatienceFit] = {}
    appointments: dict[str, AppointmentFit] = {}
    for g in groups:
        sub = log.select(log.cls == g)
        arrivals[g] = fit_arrivals(sub, day_type, window, HOUR, group=g)
        service[g], patience[g] = _fit_group(sub, g)
        booked = fit_appointments(sub, g)
        if booked is not None:
            appointments[g] = booked
    staffing = observe_staffing(log, day_type, window, method=opts.staffing)
    return Calibration(
        log,
        opts,
        day_type,
        window,
        groups,
        arrivals,
        profile,
        service,
        patience,
        staffing,
        appointments,
    )


def _fit_group(sub: ContactLog, group: str) -> tuple[ServiceFit, PatienceFit]:
    """Service and patience fits of one group (too few records is an error naming the group)."""
    came = sub.present
    try:
        service = fit_service(sub.service[came & sub.served], group)
        patience = fit_patience(sub.wait[came], sub.served[came], sub.exact_leave[came], group)
    except ValueError as exc:
        raise LogFileError.single(
            sub.source, group, f"{exc}; pool small classes with --group-by none"
        ) from None
    return service, patience


def _regrouped(log: ContactLog, groups: np.ndarray) -> ContactLog:
    from dataclasses import replace

    return replace(log, cls=groups)

"""Synthetic logs drawn from known parameters, written in each preset's layout.

Arrivals are Poisson with a known rate per hour; every contact has a patience drawn from a
known exponential and an independent time until an agent would take it (uniform), so the wait
is the smaller of the two and the served contacts are right-censored patience observations —
the textbook random-censoring set-up under which Kaplan-Meier and censored MLE are unbiased.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

BANK_HEADER = (
    "vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\t"
    "q_start\tq_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver"
)


@dataclass(frozen=True)
class Truth:
    """The parameters a synthetic log is drawn from."""

    open_hour: int = 8
    rates: tuple[float, ...] = (40.0, 80.0, 120.0, 90.0, 60.0, 30.0)
    """Arrivals per hour, one per hour from ``open_hour``."""
    service_mean: float = 240.0
    service_sd: float = 180.0
    patience_mean: float = 300.0
    offer_max: float = 600.0
    """Time until an agent would answer: uniform on [0, offer_max]."""
    agents: tuple[str, ...] = ("ANNA", "BEN", "CARLA", "DAN")
    start: dt.date = dt.date(2024, 3, 4)
    days: int = 10
    day_types: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Contact:
    day: dt.date
    arrival: float
    wait: float
    served: bool
    service: float
    agent: str


def draw_contacts(truth: Truth, seed: int) -> list[Contact]:
    """Contacts of ``truth.days`` consecutive days (weekends included: every day is a day)."""
    rng = np.random.default_rng(seed)
    sigma2 = math.log1p((truth.service_sd / truth.service_mean) ** 2)
    mu = math.log(truth.service_mean) - sigma2 / 2
    out: list[Contact] = []
    for d in range(truth.days):
        day = truth.start + dt.timedelta(days=d)
        for h, rate in enumerate(truth.rates):
            n = rng.poisson(rate)
            base = (truth.open_hour + h) * 3600.0
            for t in np.sort(rng.uniform(base, base + 3600.0, n)):
                patience = rng.exponential(truth.patience_mean)
                offer = rng.uniform(0, truth.offer_max)
                service = float(np.ceil(rng.lognormal(mu, math.sqrt(sigma2))))
                agent = str(rng.choice(truth.agents))
                served = offer <= patience
                wait = float(round(offer if served else patience))
                out.append(Contact(day, float(round(t)), wait, served, service, agent))
    return out


def _clock(seconds: float) -> str:
    s = round(seconds) % 86400
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def bank_rows(contacts: list[Contact]) -> list[str]:
    """Rows in the call-centre (Anonymous Bank) layout; every call queued for at least 1 s."""
    rows = []
    for k, c in enumerate(contacts):
        wait = max(c.wait, 1.0)
        q_start, q_exit = c.arrival, c.arrival + wait
        vru = c.arrival - 8
        date = c.day.strftime("%y%m%d")
        if c.served:
            ser = (_clock(q_exit), _clock(q_exit + c.service), f"{c.service:.0f}", c.agent)
            outcome = "AGENT"
        else:
            ser = ("0:00:00", "0:00:00", "0", "NO_SERVER")
            outcome = "HANG"
        rows.append(
            "\t".join(
                [
                    "AA0101",
                    str(k),
                    "0",
                    "0",
                    "PS",
                    date,
                    _clock(vru - 6),
                    _clock(vru),
                    "6",
                    _clock(q_start),
                    _clock(q_exit),
                    f"{wait:.0f}",
                    outcome,
                    *ser,
                ]
            )
        )
    return rows


def write_bank(path: Path, contacts: list[Contact], extra: tuple[str, ...] = ()) -> Path:
    """A call-centre TSV of the contacts (and any extra raw rows)."""
    path.write_text("\n".join([BANK_HEADER, *bank_rows(contacts), *extra]) + "\n")
    return path


def ticket_rows(contacts: list[Contact], tz_offset: str = "") -> list[list[str]]:
    """Rows of a queue-ticket export (header first): ISO stamps, optional UTC offset."""

    def stamp(day: dt.date, seconds: float) -> str:
        t = dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=seconds)
        return t.isoformat(sep=" ") + tz_offset

    rows = [["ticket", "service", "issued", "called", "ended", "outcome", "desk", "agent"]]
    for k, c in enumerate(contacts):
        if c.served:
            called = stamp(c.day, c.arrival + c.wait)
            ended = stamp(c.day, c.arrival + c.wait + c.service)
            rows.append(
                [
                    f"T{k}",
                    "counter",
                    stamp(c.day, c.arrival),
                    called,
                    ended,
                    "served",
                    "D1",
                    c.agent,
                ]
            )
        else:
            ended = stamp(c.day, c.arrival + c.wait)
            rows.append(
                [f"T{k}", "counter", stamp(c.day, c.arrival), "", ended, "abandoned", "", ""]
            )
    return rows


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    """Write rows as a delimited text file."""
    path.write_text("\n".join(delimiter.join(r) for r in rows) + "\n")
    return path


def tickets_from_event_log(
    events: list[tuple[float, str, str, str, str, str]], start: dt.date
) -> list[list[str]]:
    """A queue-ticket export of a simulated replication's event log (one row per client)."""
    cases: dict[str, dict[str, tuple[float, str]]] = {}
    for t, case, activity, lifecycle, resource, _ in events:
        if activity.startswith("wait for "):
            activity = "wait"
        cases.setdefault(case, {})[f"{activity}:{lifecycle}"] = (t, resource)

    def stamp(seconds: float) -> str:
        return (dt.datetime.combine(start, dt.time()) + dt.timedelta(seconds=seconds)).isoformat(
            sep=" "
        )

    rows = [["ticket", "service", "issued", "called", "ended", "outcome", "agent"]]
    for case, ev in cases.items():
        if "arrive:instant" not in ev:
            continue
        issued = ev["arrive:instant"][0]
        if "renege:instant" in ev:
            rows.append(
                [case, "all", stamp(issued), "", stamp(ev["renege:instant"][0]), "abandoned", ""]
            )
            continue
        begin = [
            v
            for k, v in ev.items()
            if k.endswith(":start") and not k.startswith(("wait", "lookup"))
        ]
        end = [
            v
            for k, v in ev.items()
            if k.endswith(":complete") and not k.startswith(("wait", "lookup"))
        ]
        if begin and end:
            rows.append(
                [
                    case,
                    "all",
                    stamp(issued),
                    stamp(begin[0][0]),
                    stamp(end[0][0]),
                    "served",
                    begin[0][1],
                ]
            )
    return rows


RATES = [40.0, 80.0, 120.0, 90.0, 60.0, 30.0]
SERVICE_MEAN, SERVICE_SD, PATIENCE_MEAN = 180.0, 120.0, 300.0
EVERY_DAY = {
    d: "day" for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
}


def known_ticket_log(path: Path, days: int = 10) -> Path:
    """The ticket export of one replication of a known M/G/c+M office, 08:00-14:00, 5 agents."""
    from sim.experiment.inputs import scenario_from_dict
    from sim.experiment.replication import run_replication
    from sim.model.eventlog import EventLog

    scenario = scenario_from_dict(
        {
            "name": "known",
            "days": days,
            "replications": 1,
            "seed": 11,
            "hours": {"open": "08:00", "close": "14:00"},
            "client_classes": {
                "all": {
                    "skill": "all",
                    "arrivals": {"rate": RATES},
                    "service": {
                        "dist": "lognormal",
                        "mean": f"{SERVICE_MEAN} s",
                        "sd": f"{SERVICE_SD} s",
                    },
                    "patience": {"dist": "exponential", "mean": f"{PATIENCE_MEAN} s"},
                }
            },
            "staff": {"agents": {"skills": ["all"], "count": 5}},
        }
    )
    log = EventLog()
    run_replication(scenario, 0, event_log=log)
    return write_csv(path, tickets_from_event_log(log.sorted_events(), dt.date(2024, 3, 4)))

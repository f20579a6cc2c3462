"""Helpers shared by the benchmark scripts: models as officesim scenarios, plain-simpy models,
timed runs and batch-means confidence intervals.

Not part of the package: the scripts in this folder import it as ``common`` (Python puts a
script's own folder first on ``sys.path``). All times are seconds, as in the engine.
"""

from __future__ import annotations

import math
import time
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy
from scipy import stats

from sim.experiment.inputs import scenario_from_dict
from sim.model.office import Office
from sim.units import MINUTE

SEED = 2024


@dataclass(frozen=True)
class Run:
    """One timed run of a model.

    ``values`` holds one number per client in arrival order: the wait of each served client
    (M/M/c, M/M/c+M) or the time in the network (Jackson); ``visits`` counts station visits
    (equal to the clients for a single station).
    """

    wall: float
    clients: int
    visits: int
    values: np.ndarray


def batch_means(
    values: np.ndarray, batches: int = 20, warmup: float = 0.02, level: float = 0.95
) -> tuple[float, float]:
    """Mean and CI half-width by batch means: drop the first ``warmup`` share, then ``batches``
    equal consecutive batches, Student t on the batch means (``batches`` − 1 degrees of freedom).
    """
    kept = values[int(len(values) * warmup) :]
    size = len(kept) // batches
    if size == 0:
        return math.nan, math.nan
    means = kept[: size * batches].reshape(batches, size).mean(axis=1)
    half = stats.t.ppf(0.5 + level / 2, batches - 1) * means.std(ddof=1) / math.sqrt(batches)
    return float(means.mean()), float(half)


# ---------------------------------------------------------------------------- officesim


def mmc_scenario_data(
    lam_per_h: float,
    mean_service_min: float,
    c: int,
    days: int,
    patience_min: float | None = None,
    seed: int = SEED,
) -> dict[str, Any]:
    """M/M/c (or M/M/c+M with exponential patience) as a scenario: open 24 h, c tellers all day."""
    client: dict[str, Any] = {
        "skill": "desk",
        "arrivals": {"rate": lam_per_h},
        "service": {"dist": "exponential", "mean": f"{mean_service_min} min"},
    }
    if patience_min is not None:
        client["patience"] = {"dist": "exponential", "mean": f"{patience_min} min"}
    return {
        "name": "mmc-benchmark",
        "days": days,
        "replications": 1,
        "seed": seed,
        "hours": {"open": "00:00", "close": "24:00"},
        "client_classes": {"client": client},
        "staff": {"teller": {"count": c, "skills": ["desk"]}},
    }


def jackson_scenario_data(
    gamma_per_h: float,
    stations: list[tuple[str, int, float]],
    rework: dict[int, tuple[float, int]],
    days: int,
    seed: int = SEED,
) -> dict[str, Any]:
    """A tandem of back-office teams with rework as a scenario, open 24 h.

    ``stations`` lists (team, members, mean step time in min) in route order; ``rework`` maps
    a step to (probability, step sent back to). Tasks arrive Poisson at ``gamma_per_h``; IT is
    integrated with no outages, errors or speed-up, so hand-offs are instant. The front office
    must exist: one clerk and a class arriving once in a thousand hours.
    """
    steps = []
    for j, (team, _, mean_min) in enumerate(stations):
        step: dict[str, Any] = {
            "team": team,
            "time": {"dist": "exponential", "mean": f"{mean_min} min"},
        }
        if j in rework:
            step["rework"] = {"probability": rework[j][0], "to": rework[j][1]}
        steps.append(step)
    return {
        "name": "jackson-benchmark",
        "days": days,
        "replications": 1,
        "seed": seed,
        "hours": {"open": "00:00", "close": "24:00"},
        "client_classes": {
            "trivial": {
                "skill": "desk",
                "arrivals": {"rate": 0.001},
                "service": {"dist": "exponential", "mean": "1 min"},
            }
        },
        "staff": {"clerk": {"count": 1, "skills": ["desk"]}},
        "it": {
            "level": "integrated",
            "outage_every": None,
            "outage_repair": None,
            "error_probability": 0,
            "service_factor": 1,
        },
        "back_office": {
            "teams": {team: {"count": n} for team, n, _ in stations},
            "tasks": {
                "work": {
                    "steps": steps,
                    "due": "10 d",
                    "arrivals": {"rate": gamma_per_h},
                }
            },
        },
    }


def run_office(data: dict[str, Any]) -> tuple[float, Office]:
    """Wall seconds of one replication through the full engine, and the finished office.

    ``Office(...).simulate()`` is what ``sim.experiment.replication.run_replication`` does for a
    scenario without a floor plan; keeping the office gives the per-client records.
    """
    scenario = scenario_from_dict(data, "<benchmark>")
    started = time.perf_counter()
    office = Office(scenario, 0)
    office.simulate()
    return time.perf_counter() - started, office


def officesim_waits(office: Office) -> np.ndarray:
    """Waits of the served clients in arrival order (the ``wait_mean_min`` population)."""
    rec = office.records().clients
    served = rec["outcome"] == 0
    order = np.argsort(rec["arrival"][served], kind="stable")
    return rec["wait"][served][order]


def run_officesim_queue(data: dict[str, Any]) -> Run:
    """M/M/c or M/M/c+M through officesim: waits of served clients."""
    wall, office = run_office(data)
    arrived = office.recorder.arrived
    return Run(wall, arrived, arrived, officesim_waits(office))


# ---------------------------------------------------------------------------- plain simpy


def plain_simpy_mmc(
    lam_per_s: float,
    mean_service_s: float,
    c: int,
    horizon: float,
    seed: int = SEED,
    mean_patience_s: float | None = None,
) -> Run:
    """A minimal simpy M/M/c (M/M/c+M with ``mean_patience_s``): a ``simpy.Resource``, a source
    process and one process per customer; random numbers drawn up front with numpy.
    """
    rng = np.random.default_rng(seed)
    expected = int(lam_per_s * horizon)
    n = expected + 10 * int(math.sqrt(expected)) + 100
    gaps = rng.exponential(1 / lam_per_s, n).tolist()
    services = rng.exponential(mean_service_s, n).tolist()
    patience = rng.exponential(mean_patience_s or 1.0, n).tolist()
    waits: list[tuple[float, float]] = []
    arrived = 0

    def customer(env: simpy.Environment, desk: simpy.Resource, k: int) -> Generator:
        start = env.now
        with desk.request() as request:
            if mean_patience_s is None:
                yield request
            else:
                yield request | env.timeout(patience[k])
                if not request.triggered:
                    return  # reneged; leaving the with-block cancels the request
            waits.append((start, env.now - start))
            yield env.timeout(services[k])

    def source(env: simpy.Environment, desk: simpy.Resource) -> Generator:
        nonlocal arrived
        for k, gap in enumerate(gaps):
            yield env.timeout(gap)
            if env.now >= horizon:
                return
            arrived += 1
            env.process(customer(env, desk, k))

    started = time.perf_counter()
    env = simpy.Environment()
    desk = simpy.Resource(env, capacity=c)
    env.process(source(env, desk))
    env.run()
    wall = time.perf_counter() - started
    waits.sort()
    return Run(wall, arrived, arrived, np.array([w for _, w in waits]))


def minutes(seconds: float) -> float:
    """Seconds to minutes."""
    return seconds / MINUTE

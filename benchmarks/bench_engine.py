"""Engine throughput: officesim's full engine against the same M/M/c queue in plain simpy.

Not a test: run ``python benchmarks/bench_engine.py [--clients 200000]``. Both runs simulate an
M/M/c queue (c servers, utilisation rho, exponential service) open 24 hours a day for about
``--clients`` arrivals, in this one process, once each. The table shows client visits simulated
per second of wall time, the ratio of the two run times, and each run's mean wait next to the
Erlang C value (``sim.analytic.mmc``).
"""

from __future__ import annotations

import argparse
import math
import time
from typing import Any

import numpy as np
import simpy

from sim.analytic import mmc
from sim.loading import scenario_from_dict
from sim.model.office import run_replication
from sim.units import DAY, MINUTE


def scenario_data(lam_per_h: float, mean_service_min: float, c: int, days: int) -> dict[str, Any]:
    """The M/M/c queue as an officesim scenario: 24-hour opening, c tellers all day."""
    return {
        "name": "mmc-benchmark",
        "days": days,
        "replications": 1,
        "seed": 2024,
        "hours": {"open": "00:00", "close": "24:00"},
        "client_classes": {
            "client": {
                "skill": "desk",
                "arrivals": {"rate": lam_per_h},
                "service": {"dist": "exponential", "mean": f"{mean_service_min} min"},
            }
        },
        "staff": {"teller": {"count": c, "skills": ["desk"]}},
    }


def run_officesim(data: dict[str, Any]) -> tuple[float, int, float]:
    """Wall seconds, client visits and mean wait (min) of one officesim replication."""
    scenario = scenario_from_dict(data, "<benchmark>")
    started = time.perf_counter()
    result = run_replication(scenario, 0)
    elapsed = time.perf_counter() - started
    visits = round(result.kpis["all.arrivals_per_day"] * scenario.days)
    return elapsed, visits, result.kpis["all.wait_mean_min"]


def run_plain_simpy(
    lam_per_s: float, mean_service_s: float, c: int, horizon: float, seed: int
) -> tuple[float, int, float]:
    """Wall seconds, client visits and mean wait (min) of a minimal simpy M/M/c model."""
    rng = np.random.default_rng(seed)
    expected = int(lam_per_s * horizon)
    n = expected + 10 * int(math.sqrt(expected)) + 100
    gaps = rng.exponential(1 / lam_per_s, n).tolist()
    services = rng.exponential(mean_service_s, n).tolist()
    waits: list[float] = []

    def customer(env: simpy.Environment, desk: simpy.Resource, service: float) -> Any:
        arrived = env.now
        with desk.request() as request:
            yield request
            waits.append(env.now - arrived)
            yield env.timeout(service)

    def source(env: simpy.Environment, desk: simpy.Resource) -> Any:
        for gap, service in zip(gaps, services, strict=True):
            yield env.timeout(gap)
            if env.now >= horizon:
                return
            env.process(customer(env, desk, service))

    started = time.perf_counter()
    env = simpy.Environment()
    desk = simpy.Resource(env, capacity=c)
    env.process(source(env, desk))
    env.run()
    elapsed = time.perf_counter() - started
    return elapsed, len(waits), sum(waits) / len(waits) / MINUTE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200_000, help="about this many arrivals")
    parser.add_argument("--servers", type=int, default=5, help="number of servers c")
    parser.add_argument("--rho", type=float, default=0.9, help="utilisation λ/(cμ)")
    parser.add_argument("--service-min", type=float, default=5.0, help="mean service (min)")
    args = parser.parse_args()

    c, mean_service_min = args.servers, args.service_min
    lam_per_h = args.rho * c * 60 / mean_service_min
    days = max(1, math.ceil(args.clients / (lam_per_h * 24)))
    theory = mmc(lam_per_h / 60, 1 / mean_service_min, c)

    print(
        f"M/M/{c}, rho = {args.rho:g}, mean service {mean_service_min:g} min, "
        f"lambda = {lam_per_h:g}/h, {days} days of 24 h (~{lam_per_h * 24 * days:,.0f} arrivals)"
    )
    sim_t, sim_n, sim_w = run_officesim(scenario_data(lam_per_h, mean_service_min, c, days))
    plain_t, plain_n, plain_w = run_plain_simpy(
        lam_per_h / 3600, mean_service_min * MINUTE, c, days * DAY, seed=2024
    )
    rows = [("officesim engine", sim_t, sim_n, sim_w), ("plain simpy", plain_t, plain_n, plain_w)]
    header = f"{'model':<18}{'clients':>10}{'wall s':>9}{'visits/s':>11}{'mean wait':>11}{'Erlang C':>10}"
    print(header)
    print("-" * len(header))
    for name, t, n, w in rows:
        print(f"{name:<18}{n:>10,}{t:>9.2f}{n / t:>11,.0f}{w:>11.3f}{theory.wq:>10.3f}")
    print(f"time ratio officesim / plain simpy: {sim_t / plain_t:.2f}")
    print("(waits in minutes; one run each, starting empty, so a run's mean wait carries")
    print(" sampling error: at rho = 0.9 expect a few percent around Erlang C for 200k clients)")


if __name__ == "__main__":
    main()

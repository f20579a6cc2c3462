"""officesim against its peers: the same three queueing models in plain simpy, officesim, Ciw
and salabim, in one process and one run, checked against queueing theory.

Not a test: run ``python benchmarks/bench_peers.py [--scale 1.0]`` (``pip install -e ".[bench]"``
installs Ciw, salabim and pyinstrument; a tool that is not installed is skipped with a note).

Models (``--scale`` multiplies the number of clients):

a. M/M/c: c = 5, utilisation 0.9, mean service 5 min, 200,000 clients; theory Erlang C.
b. Jackson network: three stations A (2 servers), B (3), C (2); after A a task goes to B;
   after B to C (0.8) or back to A (0.2); after C it leaves (0.9) or goes back to B (0.1).
   About 200,000 station visits. Theory: mean time in the network (``jackson_network``). In
   officesim the stations are back-office teams and the routing is a task's route of steps
   with rework.
c. M/M/c+M: model a with exponential patience, mean 10 min; theory Erlang A (mean wait of
   the clients who are served, as officesim's ``wait_mean_min``).

Each tool is written as its users would write it (each peer's own random numbers and
idioms); plain simpy draws its numbers up front with numpy, like officesim. The mean and its
95% CI come from batch means over one run per tool (the first 2% of clients dropped as
warm-up, then 20 batches in arrival order, Student t). ``rate`` is station visits simulated per
second of wall time; ``x simpy`` is the wall time per visit relative to plain simpy on the same
model (below 1 = faster than plain simpy). A CI that misses theory is flagged; with 12 intervals
at 95%, one miss in a run can be chance, the same miss in every run is not.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import math
import sys
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy
from common import (
    SEED,
    Run,
    batch_means,
    jackson_scenario_data,
    minutes,
    mmc_scenario_data,
    plain_simpy_mmc,
    run_office,
    run_officesim_queue,
)

from sim.analytic import erlang_a, jackson_network, mmc
from sim.units import DAY, HOUR, MINUTE

# (a), (c): M/M/5 at utilisation 0.9; (c) adds exponential patience.
C = 5
SERVICE_MIN = 5.0
LAM_PER_H = 0.9 * C * 60 / SERVICE_MIN
PATIENCE_MIN = 10.0
CLIENTS = 200_000

# (b): three stations, route A -> B -> {C 0.8, A 0.2}; C -> {out 0.9, B 0.1}.
STATIONS = [("A", 2, 1.25), ("B", 3, 1.8), ("C", 2, 1.5)]
"""(team, servers, mean service in minutes), in route order."""
REWORK = {1: (0.2, 0), 2: (0.1, 1)}
"""Step -> (probability, step sent back to); otherwise the next step (or out after the last)."""
GAMMA_PER_H = 60.0
VISITS = 200_000


def routing_matrix() -> list[list[float]]:
    """P[i][j]: probability a task finishing station i goes next to station j."""
    n = len(STATIONS)
    p = [[0.0] * n for _ in range(n)]
    for i in range(n):
        back = REWORK.get(i, (0.0, 0))
        if i + 1 < n:
            p[i][i + 1] += 1.0 - back[0]
        if back[0]:
            p[i][back[1]] += back[0]
    return p


def next_station(i: int, u: float) -> int:
    """The station after ``i`` for a uniform draw ``u`` (``len(STATIONS)`` = leave)."""
    back = REWORK.get(i)
    if back is not None and u < back[0]:
        return back[1]
    return i + 1


@dataclass(frozen=True)
class Model:
    """One of the three benchmark models: its size, theory value and per-tool runners."""

    key: str
    title: str
    measure: str
    theory_min: float
    days: int


def models(scale: float) -> list[Model]:
    """The three models sized for ``scale``."""
    mmc_days = max(1, math.ceil(CLIENTS * scale / (LAM_PER_H * 24)))
    jn = jackson()
    visits_per_task = sum(jn.visit_ratios)
    jn_days = max(1, math.ceil(VISITS * scale / visits_per_task / (GAMMA_PER_H * 24)))
    mu = 1 / SERVICE_MIN
    return [
        Model("mmc", "M/M/5", "wait", mmc(LAM_PER_H / 60, mu, C).wq, mmc_days),
        Model("jackson", "Jackson 3", "in network", jn.sojourn_time, jn_days),
        Model(
            "erlang_a",
            "M/M/5+M",
            "wait served",
            erlang_a(LAM_PER_H / 60, mu, C, 1 / PATIENCE_MIN).mean_wait_served,
            mmc_days,
        ),
    ]


def jackson() -> Any:
    """Theory of model b (rates per minute, times in minutes)."""
    return jackson_network(
        [GAMMA_PER_H / 60, 0.0, 0.0],
        routing_matrix(),
        [1 / m for _, _, m in STATIONS],
        [n for _, n, _ in STATIONS],
        names=[name for name, _, _ in STATIONS],
    )


# ---------------------------------------------------------------------------- plain simpy


def simpy_queue(model: Model) -> Run:
    """Models a and c in plain simpy."""
    patience = PATIENCE_MIN * MINUTE if model.key == "erlang_a" else None
    return plain_simpy_mmc(
        LAM_PER_H / HOUR, SERVICE_MIN * MINUTE, C, model.days * DAY, SEED, patience
    )


def simpy_jackson(model: Model) -> Run:
    """Model b in plain simpy: a Resource per station, one process per task."""
    rng = np.random.default_rng(SEED)
    horizon = model.days * DAY
    n = int(GAMMA_PER_H * model.days * 24 * 1.1) + 1000
    gaps = rng.exponential(HOUR / GAMMA_PER_H, n).tolist()
    services = [iter(rng.exponential(m * MINUTE, 5 * n).tolist()) for _, _, m in STATIONS]
    coins = iter(rng.random(5 * n).tolist())
    sojourns: list[tuple[float, float]] = []
    visits = 0
    arrived = 0
    last = len(STATIONS)

    def task(env: simpy.Environment, desks: list[simpy.Resource]) -> Generator:
        nonlocal visits
        start = env.now
        i = 0
        while i < last:
            with desks[i].request() as request:
                yield request
                yield env.timeout(next(services[i]))
            visits += 1
            i = next_station(i, next(coins))
        sojourns.append((start, env.now - start))

    def source(env: simpy.Environment, desks: list[simpy.Resource]) -> Generator:
        nonlocal arrived
        for gap in gaps:
            yield env.timeout(gap)
            if env.now >= horizon:
                return
            arrived += 1
            env.process(task(env, desks))

    started = time.perf_counter()
    env = simpy.Environment()
    desks = [simpy.Resource(env, capacity=c) for _, c, _ in STATIONS]
    env.process(source(env, desks))
    env.run()
    wall = time.perf_counter() - started
    sojourns.sort()
    return Run(wall, arrived, visits, np.array([s for _, s in sojourns]))


# ---------------------------------------------------------------------------- officesim


def officesim_queue(model: Model) -> Run:
    """Models a and c through officesim's full engine (a scenario built in code)."""
    patience = PATIENCE_MIN if model.key == "erlang_a" else None
    return run_officesim_queue(mmc_scenario_data(LAM_PER_H, SERVICE_MIN, C, model.days, patience))


def officesim_jackson(model: Model) -> Run:
    """Model b through officesim: back-office teams, a task route with rework."""
    wall, office = run_office(jackson_scenario_data(GAMMA_PER_H, STATIONS, REWORK, model.days))
    bo = office.records().back_office
    assert bo is not None
    rec = bo.tasks
    done = ~np.isnan(rec["completed"]) & (rec["created"] < model.days * DAY)
    order = np.argsort(rec["created"][done], kind="stable")
    sojourn = (rec["completed"] - rec["created"])[done][order]
    # Every rework here sends a task back exactly one station, so it adds two visits.
    visits = int(3 * done.sum() + 2 * rec["reworks"][done].sum())
    return Run(wall, int(done.sum()), visits, sojourn)


# ---------------------------------------------------------------------------- Ciw


def ciw_run(model: Model) -> Run:
    """All three models in Ciw: a network object, then ``simulate_until_max_time``."""
    import ciw

    ciw.seed(SEED)
    horizon = model.days * DAY
    exp = ciw.dists.Exponential
    if model.key == "jackson":
        network = ciw.create_network(
            arrival_distributions=[exp(GAMMA_PER_H / HOUR), None, None],
            service_distributions=[exp(1 / (m * MINUTE)) for _, _, m in STATIONS],
            number_of_servers=[c for _, c, _ in STATIONS],
            routing=routing_matrix(),
        )
    else:
        extra = {}
        if model.key == "erlang_a":
            extra["reneging_time_distributions"] = [exp(1 / (PATIENCE_MIN * MINUTE))]
        network = ciw.create_network(
            arrival_distributions=[exp(LAM_PER_H / HOUR)],
            service_distributions=[exp(1 / (SERVICE_MIN * MINUTE))],
            number_of_servers=[C],
            **extra,
        )
    started = time.perf_counter()
    q = ciw.Simulation(network)
    q.simulate_until_max_time(horizon)
    wall = time.perf_counter() - started
    records = q.get_all_records()
    if model.key == "jackson":
        first: dict[int, float] = {}
        out: dict[int, float] = {}
        for r in records:
            first[r.id_number] = min(first.get(r.id_number, r.arrival_date), r.arrival_date)
            if r.destination == -1:
                out[r.id_number] = r.exit_date
        pairs = sorted((first[i], out[i] - first[i]) for i in out)
        return Run(wall, len(out), len(records), np.array([s for _, s in pairs]))
    served = sorted((r.arrival_date, r.waiting_time) for r in records if r.record_type == "service")
    return Run(wall, len(records), len(records), np.array([w for _, w in served]))


# ---------------------------------------------------------------------------- salabim


def salabim_run(model: Model) -> Run:
    """All three models in salabim: a Component per client, Resources for the servers.

    salabim runs in generator mode (``yield self.hold(...)``), as in its classic examples;
    its default yieldless mode needs the optional greenlet package.
    """
    import salabim as sim

    sim.yieldless(False)
    env = sim.Environment(trace=False, random_seed=SEED)
    horizon = model.days * DAY
    values: list[tuple[float, float]] = []
    counts = {"clients": 0, "visits": 0}

    if model.key == "jackson":
        iat = sim.Exponential(HOUR / GAMMA_PER_H)
        durations = [sim.Exponential(m * MINUTE) for _, _, m in STATIONS]
        coin = sim.Uniform(0, 1)
        desks = [sim.Resource(f"station {s}", capacity=c) for s, c, _ in STATIONS]

        class Task(sim.Component):
            def process(self) -> Generator:
                start = env.now()
                i = 0
                while i < len(STATIONS):
                    yield self.request(desks[i])
                    yield self.hold(durations[i].sample())
                    self.release()
                    counts["visits"] += 1
                    i = next_station(i, coin.sample())
                values.append((start, env.now() - start))

        client_cls: Callable[[], Any] = Task
    else:
        iat = sim.Exponential(HOUR / LAM_PER_H)
        service = sim.Exponential(SERVICE_MIN * MINUTE)
        patience = sim.Exponential(PATIENCE_MIN * MINUTE) if model.key == "erlang_a" else None
        desk = sim.Resource("desk", capacity=C)

        class Client(sim.Component):
            def process(self) -> Generator:
                start = env.now()
                if patience is None:
                    yield self.request(desk)
                else:
                    yield self.request(desk, fail_delay=patience.sample())
                    if self.failed():
                        return
                values.append((start, env.now() - start))
                counts["visits"] += 1
                yield self.hold(service.sample())
                self.release()

        client_cls = Client

    class Source(sim.Component):
        def process(self) -> Generator:
            while True:
                yield self.hold(iat.sample())
                if env.now() >= horizon:
                    return
                counts["clients"] += 1
                client_cls()

    started = time.perf_counter()
    Source()
    env.run()
    wall = time.perf_counter() - started
    values.sort()
    visits = counts["visits"] if model.key == "jackson" else counts["clients"]
    return Run(wall, counts["clients"], visits, np.array([v for _, v in values]))


# ---------------------------------------------------------------------------- table

TOOLS: list[tuple[str, str | None, dict[str, Callable[[Model], Run]]]] = [
    ("plain simpy", None, {"mmc": simpy_queue, "jackson": simpy_jackson, "erlang_a": simpy_queue}),
    (
        "officesim",
        None,
        {"mmc": officesim_queue, "jackson": officesim_jackson, "erlang_a": officesim_queue},
    ),
    ("Ciw", "ciw", dict.fromkeys(("mmc", "jackson", "erlang_a"), ciw_run)),
    ("salabim", "salabim", dict.fromkeys(("mmc", "jackson", "erlang_a"), salabim_run)),
]


def version(module: str) -> str:
    """Installed version of ``module``, or '' when it is missing."""
    if importlib.util.find_spec(module) is None:
        return ""
    from importlib.metadata import version as dist_version

    return dist_version(module)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the clients by this")
    parser.add_argument(
        "--tools", default="", help="comma-separated subset, e.g. 'plain simpy,officesim,Ciw'"
    )
    args = parser.parse_args()
    chosen = {t.strip().lower() for t in args.tools.split(",") if t.strip()}

    tools = []
    for name, module, runners in TOOLS:
        if chosen and name.lower() not in chosen:
            continue
        if module is not None and not version(module):
            print(f"{name}: not installed, skipped (pip install -e '.[bench]')")
            continue
        tools.append((name, runners))
    print(
        f"Python {sys.version.split()[0]}, simpy {version('simpy')}, ciw {version('ciw') or '-'}, "
        f"salabim {version('salabim') or '-'}; scale {args.scale:g}"
    )
    header = (
        f"{'tool':<12}{'model':<11}{'clients':>9}{'visits':>9}{'wall s':>8}{'visits/s':>10}"
        f"{'x simpy':>8}  {'measure':<12}{'mean ± 95% CI (min)':>20}{'theory':>8}  check"
    )
    print(header)
    print("-" * len(header))
    misses = []
    for model in models(args.scale):
        base_per_visit = math.nan
        for name, runners in tools:
            gc.collect()
            run = runners[model.key](model)
            per_visit = run.wall / run.visits
            if name == "plain simpy":
                base_per_visit = per_visit
            mean, half = batch_means(run.values)
            mean, half = minutes(mean), minutes(half)
            ok = abs(mean - model.theory_min) <= half
            if not ok:
                misses.append(f"{name} {model.title}")
            print(
                f"{name:<12}{model.title:<11}{run.clients:>9,}{run.visits:>9,}{run.wall:>8.2f}"
                f"{run.visits / run.wall:>10,.0f}{per_visit / base_per_visit:>8.2f}  "
                f"{model.measure:<12}{f'{mean:.3f} ± {half:.3f}':>20}{model.theory_min:>8.3f}  "
                f"{'ok' if ok else 'MISS'}",
                flush=True,
            )
    print(
        "CI: batch means over one run per tool (2% warm-up dropped, 20 batches, Student t). "
        "x simpy: wall time per visit / plain simpy's."
    )
    if misses:
        print("CI misses theory: " + "; ".join(misses))


if __name__ == "__main__":
    main()

"""The engine's speed against idiomatic simpy and Ciw, and two whole scenarios: one table of
figures and ratios, all measured in this one process, one after another.

Not a test: run ``python benchmarks/run_all.py`` from the repository root (about two minutes on
a quiet 2-core machine; ``--quick`` divides the client counts by ten). Ciw is skipped with a
note when it is not installed (``pip install -e ".[bench]"``).

Rows:

- M/M/5 at utilisation 0.95 (mean service 5 min, open 24 h), about 200,000 and 50,000 clients:
  idiomatic simpy as simpy's documentation writes a queue (a ``simpy.Resource``, a source
  process, one process per customer, ``random.Random`` for the numbers), Ciw as its
  documentation writes it (a network, ``simulate_until_max_time``), and officesim's engine
  (``run_replication``: the office, the run and its KPIs; the scenario is validated before the
  clock starts, as an experiment does once for all its replications);
- the bank branch (``scenarios/bank_branch.yaml``: reception, walking on the floor plan,
  lookups, back office) over 50 days, and the large office of ``bench_scenarios.py`` (50 desks,
  20 teams, 5,000 clients a day, a 1,000-space plan) over 2 days; the plan is built before the
  clock starts (an experiment builds it once per process).

``ratio`` is a row's clients per second over idiomatic simpy's on the same model (above 1 =
faster than simpy). Each case runs ``--repeat`` times and keeps its fastest run, which is the
least disturbed by other work on the machine.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import tempfile
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path

import simpy

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

SEED = 2024
SERVERS = 5
RHO = 0.95
SERVICE_MIN = 5.0
LAM_PER_H = RHO * SERVERS * 60 / SERVICE_MIN


@dataclass
class Row:
    """One measured case."""

    case: str
    tool: str
    clients: int
    wall: float
    target: str = ""
    reference: float | None = None
    """Clients per second of the case this row is compared with (idiomatic simpy)."""
    mean_wait_min: float | None = None

    @property
    def rate(self) -> float:
        return self.clients / self.wall

    @property
    def ratio(self) -> float | None:
        return None if self.reference is None else self.rate / self.reference


def best(
    repeat: int, run: Callable[[], tuple[int, float, float | None]]
) -> tuple[int, float, float | None]:
    """The fastest of ``repeat`` runs of ``run`` (each returns clients, wall s, mean wait)."""
    results = [run() for _ in range(repeat)]
    return min(results, key=lambda r: r[1] / max(r[0], 1))


# ------------------------------------------------------------------------ idiomatic simpy


def simpy_mmc(days: int) -> tuple[int, float, float | None]:
    """M/M/c as simpy's documentation writes it: a Resource and a process per customer."""
    rng = random.Random(SEED)
    lam = LAM_PER_H / 3600
    mu = 1 / (SERVICE_MIN * 60)
    horizon = days * 86400.0
    waits: list[float] = []

    def customer(env: simpy.Environment, counter: simpy.Resource) -> Generator:
        arrive = env.now
        with counter.request() as req:
            yield req
            waits.append(env.now - arrive)
            yield env.timeout(rng.expovariate(mu))

    def source(env: simpy.Environment, counter: simpy.Resource) -> Generator:
        while True:
            yield env.timeout(rng.expovariate(lam))
            env.process(customer(env, counter))

    started = time.perf_counter()
    env = simpy.Environment()
    counter = simpy.Resource(env, capacity=SERVERS)
    env.process(source(env, counter))
    env.run(until=horizon)
    wall = time.perf_counter() - started
    return len(waits), wall, sum(waits) / len(waits) / 60


def ciw_mmc(days: int) -> tuple[int, float, float | None]:
    """The same queue in Ciw, as its documentation writes it."""
    import ciw

    ciw.seed(SEED)
    exp = ciw.dists.Exponential
    network = ciw.create_network(
        arrival_distributions=[exp(LAM_PER_H / 3600)],
        service_distributions=[exp(1 / (SERVICE_MIN * 60))],
        number_of_servers=[SERVERS],
    )
    started = time.perf_counter()
    q = ciw.Simulation(network)
    q.simulate_until_max_time(days * 86400.0)
    wall = time.perf_counter() - started
    waits = [r.waiting_time for r in q.get_all_records()]
    return len(waits), wall, sum(waits) / len(waits) / 60


# ------------------------------------------------------------------------------ officesim


def officesim_mmc(days: int) -> tuple[int, float, float | None]:
    """The same queue through officesim's engine: office, run and KPIs."""
    from sim.experiment.inputs import scenario_from_dict
    from sim.experiment.replication import run_replication

    data = {
        "name": "mmc-benchmark",
        "days": days,
        "warmup_days": 0,
        "replications": 1,
        "seed": SEED,
        "hours": {"open": "00:00", "close": "24:00"},
        "client_classes": {
            "client": {
                "skill": "desk",
                "arrivals": {"rate": LAM_PER_H},
                "service": {"dist": "exponential", "mean": f"{SERVICE_MIN} min"},
            }
        },
        "staff": {"teller": {"count": SERVERS, "skills": ["desk"]}},
    }
    scenario = scenario_from_dict(data, "<benchmark>")
    started = time.perf_counter()
    result = run_replication(scenario, 0)
    wall = time.perf_counter() - started
    return int(result.checks["arrived"]), wall, result.kpis["all.wait_mean_min"]


def officesim_scenario(path: Path, days: int) -> tuple[int, float, float | None]:
    """One replication of a scenario file over ``days`` days, its plan built beforehand."""
    from sim.experiment.inputs import load_scenario, plan_for
    from sim.experiment.replication import run_replication

    scenario = load_scenario(path, [f"days={days}", "warmup_days=0", "replications=1"])
    plan = plan_for(scenario)
    started = time.perf_counter()
    result = run_replication(scenario, 0, plan)
    wall = time.perf_counter() - started
    return int(result.checks["arrived"]), wall, result.kpis["all.wait_mean_min"]


# ---------------------------------------------------------------------------------- table


def measure(args: argparse.Namespace) -> list[Row]:
    """Every case, in this process, one after another."""
    scale = 0.1 if args.quick else 1.0
    rows: list[Row] = []
    per_day = LAM_PER_H * 24
    for clients, target in ((200_000, ">= 1.5x simpy"), (50_000, ">= 1.2x simpy")):
        days = max(1, math.ceil(clients * scale / per_day))
        case = f"M/M/5 rho 0.95, {clients * scale:,.0f}"
        n, wall, wait = best(args.repeat, lambda d=days: simpy_mmc(d))
        simpy_row = Row(case, "idiomatic simpy", n, wall, mean_wait_min=wait)
        rows.append(simpy_row)
        try:
            import ciw  # noqa: F401
        except ImportError:
            print("Ciw not installed: its rows are skipped", file=sys.stderr)
        else:
            n, wall, wait = best(args.repeat, lambda d=days: ciw_mmc(d))
            rows.append(Row(case, "Ciw", n, wall, "", simpy_row.rate, wait))
        n, wall, wait = best(args.repeat, lambda d=days: officesim_mmc(d))
        rows.append(Row(case, "officesim", n, wall, target, simpy_row.rate, wait))
    bank_days = max(1, round(50 * scale))
    n, wall, wait = best(
        args.repeat, lambda: officesim_scenario(ROOT / "scenarios" / "bank_branch.yaml", bank_days)
    )
    rows.append(
        Row(f"bank branch, {bank_days} days", "officesim", n, wall, ">= 40,000/s", None, wait)
    )
    from bench_scenarios import large_office

    with tempfile.TemporaryDirectory() as folder:
        path = large_office(Path(folder))
        days = 1 if args.quick else 2
        n, wall, wait = best(args.repeat, lambda: officesim_scenario(path, days))
        rows.append(
            Row(f"large office, {days} days", "officesim", n, wall, ">= 15,000/s", None, wait)
        )
    return rows


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table."""
    out = [
        "| case | tool | clients | wall s | clients/s | ratio to simpy | mean wait min | target |",
        "|---|---|--:|--:|--:|--:|--:|---|",
    ]
    for r in rows:
        ratio = "" if r.ratio is None else f"{r.ratio:.2f}"
        wait = "" if r.mean_wait_min is None else f"{r.mean_wait_min:.3f}"
        out.append(
            f"| {r.case} | {r.tool} | {r.clients:,} | {r.wall:.2f} | {r.rate:,.0f} | {ratio} "
            f"| {wait} | {r.target} |"
        )
    return "\n".join(out)


def machine() -> str:
    """Cores, CPU model, Python and simpy versions, and the date."""
    import os
    import platform

    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else math.nan
    return (
        f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}, "
        f"simpy {simpy.__version__}, load average {load:.1f}, "
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the clients")
    parser.add_argument("--repeat", type=int, default=1, help="runs per case (fastest kept)")
    args = parser.parse_args()
    rows = measure(args)
    print(machine())
    print()
    print(table(rows))


if __name__ == "__main__":
    main()

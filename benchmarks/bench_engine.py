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

from common import SEED, minutes, mmc_scenario_data, plain_simpy_mmc, run_officesim_queue

from sim.analytic import mmc
from sim.units import DAY, MINUTE


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
    office = run_officesim_queue(mmc_scenario_data(lam_per_h, mean_service_min, c, days))
    plain = plain_simpy_mmc(lam_per_h / 3600, mean_service_min * MINUTE, c, days * DAY, SEED)
    rows = [
        (name, run.wall, run.clients, minutes(float(run.values.mean())))
        for name, run in (("officesim engine", office), ("plain simpy", plain))
    ]
    header = f"{'model':<18}{'clients':>10}{'wall s':>9}{'visits/s':>11}{'mean wait':>11}{'Erlang C':>10}"
    print(header)
    print("-" * len(header))
    for name, t, n, w in rows:
        print(f"{name:<18}{n:>10,}{t:>9.2f}{n / t:>11,.0f}{w:>11.3f}{theory.wq:>10.3f}")
    print(f"time ratio officesim / plain simpy: {office.wall / plain.wall:.2f}")
    print("(waits in minutes; one run each, starting empty, so a run's mean wait carries")
    print(" sampling error: at rho = 0.9 expect a few percent around Erlang C for 200k clients)")


if __name__ == "__main__":
    main()

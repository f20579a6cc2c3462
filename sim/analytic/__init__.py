"""Closed-form and birth–death queueing results used to validate the simulator and to staff it.

Every function is pure: numbers in, numbers or frozen dataclasses out. Rates may be expressed in
any time unit as long as the caller uses the same unit throughout (arrivals per minute with
service rates per minute give waits in minutes).

Notation (as in docs and ``REFERENCE.md``): ``lam`` = arrival rate λ, ``mu`` = service rate μ of
one server, ``c`` = number of servers, ``a = λ/μ`` = offered load in Erlangs, ``ρ = a/c`` =
utilisation, ``theta`` = abandonment (patience) rate θ.

Numerical approach: factorials never appear. Erlang B is computed with its stable recurrence,
Erlang C from Erlang B, and birth–death chains (M/M/c/K, Erlang A) in log-space before
normalisation, so hundreds or thousands of servers are handled without overflow.

References:
    Gross, Shortle, Thompson & Harris, *Fundamentals of Queueing Theory*, 4th ed., Wiley 2008
    (§2.3 M/M/c, §2.5 M/M/c/K and M/M/c/c, §4.1 Jackson networks).
    Kleinrock, *Queueing Systems, Vol. 1: Theory*, Wiley 1975 (§3.5-§3.7 birth–death queues).
    Jackson, "Jobshop-like queueing systems", *Management Science* 10(1), 1963.
    Halfin & Whitt, "Heavy-traffic limits for queues with many exponential servers",
    *Operations Research* 29(3), 1981.
    Garnett, Mandelbaum & Reiman, "Designing a call center with impatient customers",
    *Manufacturing & Service Operations Management* 4(3), 2002 (Erlang A).
    Mandelbaum & Zeltyn, "The M/M/n+G queue: summary of performance measures", Technion 2009.
"""

from __future__ import annotations

from sim.analytic.erlang import MMcKResult, MMcResult, erlang_b, erlang_c, mmc, mmck
from sim.analytic.erlang_a import ErlangAResult, erlang_a
from sim.analytic.jackson import JacksonResult, jackson_network
from sim.analytic.servers import (
    beta_for_delay_probability,
    halfin_whitt_delay_probability,
    min_servers_erlang_a,
    min_servers_erlang_c,
    min_servers_for_wait,
    square_root_staffing,
)

__all__ = [
    "ErlangAResult",
    "JacksonResult",
    "MMcKResult",
    "MMcResult",
    "beta_for_delay_probability",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "halfin_whitt_delay_probability",
    "jackson_network",
    "min_servers_erlang_a",
    "min_servers_erlang_c",
    "min_servers_for_wait",
    "mmc",
    "mmck",
    "square_root_staffing",
]

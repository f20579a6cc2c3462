"""Open Jackson networks of M/M/c stations (Jackson 1963)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sim.analytic._common import (
    FloatArray,
    _count,
)
from sim.analytic.erlang import (
    MMcResult,
    mmc,
)

# --------------------------------------------------------------------------- Jackson networks


@dataclass(frozen=True)
class JacksonResult:
    """Steady state of an open Jackson network of M/M/cᵢ stations (per-station tuples by index)."""

    lam: tuple[float, ...]
    """Total arrival rate λᵢ at each station (solution of the traffic equations)."""
    rho: tuple[float, ...]
    """Utilisation ρᵢ = λᵢ/(cᵢμᵢ)."""
    l: tuple[float, ...]  # noqa: E741
    """Mean number at station i (waiting plus in service), Lᵢ."""
    w: tuple[float, ...]
    """Mean time per visit at station i (wait plus service), Wᵢ."""
    lq: tuple[float, ...]
    """Mean number waiting at station i."""
    wq: tuple[float, ...]
    """Mean wait per visit at station i."""
    visit_ratios: tuple[float, ...]
    """Mean number of visits to station i per client entering the network, vᵢ = λᵢ/Σγ."""
    stations: tuple[MMcResult, ...]
    """Full M/M/cᵢ result of each station."""
    external_rate: float
    """Total external arrival rate Σγ (equals the network throughput)."""
    l_total: float
    """Mean number of clients in the network, L = Σ Lᵢ."""
    sojourn_time: float
    """Mean time from entering to leaving the network, L/Σγ = Σ vᵢWᵢ (Little)."""


def _vector(name: str, values: npt.ArrayLike, n: int | None) -> FloatArray:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim == 0 and n is not None:
        arr = np.full(n, float(arr))
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a scalar or a 1-D sequence, got shape {arr.shape}")
    if n is not None and arr.size != n:
        raise ValueError(f"{name} must have one entry per station ({n}), got {arr.size}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain finite numbers only")
    return arr


def jackson_network(
    gamma: npt.ArrayLike,
    routing: npt.ArrayLike,
    mu: npt.ArrayLike,
    c: npt.ArrayLike,
    names: Sequence[str] | None = None,
) -> JacksonResult:
    """Open Jackson network: M/M/cᵢ stations with Markovian routing (Jackson 1963).

    Traffic equations ``λ = γ + Pᵀλ`` are solved as ``(I − Pᵀ)λ = γ``. In steady state each
    station behaves as an independent M/M/cᵢ queue with arrival rate λᵢ (product form), so
    ``L = Σ Lᵢ`` and the mean sojourn time is ``L/Σγ = Σ vᵢWᵢ`` with visit ratios
    ``vᵢ = λᵢ/Σγ`` (Gross et al. 2008, §4.1).

    Args:
        gamma: external arrival rate γᵢ into each station (>= 0, at least one > 0).
        routing: matrix P with ``P[i, j]`` = probability that a client finishing at i goes
            next to j; ``1 − Σⱼ P[i, j]`` is the probability of leaving the network.
        mu: service rate per server at each station (> 0); a scalar applies to all.
        c: number of servers at each station (integers >= 1); a scalar applies to all.
        names: optional station names used in error messages (default ``station <index>``).

    Raises:
        ValueError: on malformed input, routing from which clients can never leave, or a
            station with ρᵢ >= 1 (named in the message).
    """
    g = _vector("gamma", gamma, None)
    n = g.size
    if n == 0:
        raise ValueError("gamma must list at least one station")
    if np.any(g < 0.0):
        raise ValueError("gamma (external arrival rates) must be >= 0")
    total_external = float(g.sum())
    if total_external <= 0.0:
        raise ValueError("at least one station needs a positive external arrival rate")
    label = list(names) if names is not None else [f"station {i}" for i in range(n)]
    if len(label) != n:
        raise ValueError(f"names must have one entry per station ({n}), got {len(label)}")

    p_mat = np.asarray(routing, dtype=np.float64)
    if p_mat.shape != (n, n):
        raise ValueError(f"routing must be a {n}×{n} matrix, got shape {p_mat.shape}")
    if not np.all(np.isfinite(p_mat)) or np.any(p_mat < 0.0) or np.any(p_mat > 1.0):
        raise ValueError("routing probabilities must be finite numbers in [0, 1]")
    row_sums = p_mat.sum(axis=1)
    over = np.flatnonzero(row_sums > 1.0 + 1e-12)
    if over.size:
        bad = int(over[0])
        raise ValueError(
            f"routing probabilities out of {label[bad]} sum to {row_sums[bad]:g} (must be <= 1)"
        )

    mu_arr = _vector("mu", mu, n)
    if np.any(mu_arr <= 0.0):
        raise ValueError("mu (service rates) must be > 0")
    c_raw = _vector("c", c, n)
    servers = [_count(f"c of {label[i]}", c_raw[i], 1) for i in range(n)]

    system = np.eye(n) - p_mat.T
    if np.linalg.matrix_rank(system) < n:
        raise ValueError(
            "routing matrix traps clients: some group of stations routes with probability 1 "
            "among itself, so the traffic equations have no solution"
        )
    lam = np.linalg.solve(system, g)
    lam = np.where(np.abs(lam) < 1e-12 * total_external, 0.0, lam)
    if np.any(lam < 0.0):
        raise ValueError("traffic equations gave a negative arrival rate; check routing")

    stations: list[MMcResult] = []
    for i in range(n):
        lam_i = float(lam[i])
        capacity = servers[i] * float(mu_arr[i])
        if lam_i >= capacity:
            raise ValueError(
                f"{label[i]} is unstable: arrival rate λ = {lam_i:g} (external plus routed) "
                f"is not below its capacity cμ = {servers[i]}·{float(mu_arr[i]):g} = "
                f"{capacity:g} (ρ = {lam_i / capacity:g})"
            )
        stations.append(mmc(lam_i, float(mu_arr[i]), servers[i]))

    l_total = sum(s.l for s in stations)
    return JacksonResult(
        lam=tuple(s.lam for s in stations),
        rho=tuple(s.rho for s in stations),
        l=tuple(s.l for s in stations),
        w=tuple(s.w for s in stations),
        lq=tuple(s.lq for s in stations),
        wq=tuple(s.wq for s in stations),
        visit_ratios=tuple(s.lam / total_external for s in stations),
        stations=tuple(stations),
        external_rate=total_external,
        l_total=l_total,
        sojourn_time=l_total / total_external,
    )

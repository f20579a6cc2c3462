"""Tests of sim.analytic against independently computed queueing results."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import poisson

from sim.analytic import (
    beta_for_delay_probability,
    erlang_a,
    erlang_b,
    erlang_c,
    halfin_whitt_delay_probability,
    jackson_network,
    min_servers_erlang_a,
    min_servers_erlang_c,
    min_servers_for_wait,
    mmc,
    mmck,
    square_root_staffing,
)

TIGHT = 1e-12


# --------------------------------------------------------------------------- independent oracles


def erlang_b_factorial(c: int, a: float) -> float:
    terms = [a**k / math.factorial(k) for k in range(c + 1)]
    return terms[-1] / sum(terms)


def erlang_c_factorial(c: int, a: float) -> float:
    head = sum(a**k / math.factorial(k) for k in range(c))
    top = a**c / math.factorial(c) * c / (c - a)
    return top / (head + top)


def erlang_c_poisson(c: int, a: float) -> float:
    tail = poisson.pmf(c, a) / (1.0 - a / c)
    return float(tail / (poisson.cdf(c - 1, a) + tail))


def birth_death_generator_solve(births: np.ndarray, deaths: np.ndarray) -> np.ndarray:
    """Stationary law of a finite birth–death chain by solving πQ = 0, Σπ = 1 directly."""
    n = births.size + 1
    q = np.zeros((n, n))
    for i in range(n - 1):
        q[i, i + 1] = births[i]
        q[i + 1, i] = deaths[i]
    q -= np.diag(q.sum(axis=1))
    system = np.vstack([q.T, np.ones(n)])
    rhs = np.zeros(n + 1)
    rhs[-1] = 1.0
    pi, *_ = np.linalg.lstsq(system, rhs, rcond=None)
    return pi


def erlang_a_generator(lam: float, mu: float, c: int, theta: float, size: int) -> np.ndarray:
    states = np.arange(1, size + 1, dtype=float)
    deaths = np.minimum(states, c) * mu + np.maximum(states - c, 0.0) * theta
    return birth_death_generator_solve(np.full(size, lam), deaths)


# --------------------------------------------------------------------------- Erlang B / C


@pytest.mark.parametrize("c", [0, 1, 2, 3, 5, 8, 13, 20])
@pytest.mark.parametrize("a", [0.0, 0.1, 1.0, 2.5, 7.0, 15.0])
def test_erlang_b_matches_factorial_form(c: int, a: float) -> None:
    assert erlang_b(c, a) == pytest.approx(erlang_b_factorial(c, a), rel=TIGHT, abs=1e-300)


@pytest.mark.parametrize(
    ("c", "a", "published"),
    [(5, 2.0, 0.03670), (10, 5.0, 0.01838), (1, 1.0, 0.5), (2, 1.0, 0.2)],
)
def test_erlang_b_published_table_values(c: int, a: float, published: float) -> None:
    assert erlang_b(c, a) == pytest.approx(published, abs=5e-6)


@pytest.mark.parametrize("c", [1, 2, 3, 5, 10, 20])
@pytest.mark.parametrize("rho", [0.05, 0.5, 0.8, 0.95, 0.999])
def test_erlang_c_matches_factorial_form(c: int, rho: float) -> None:
    a = rho * c
    assert erlang_c(c, a) == pytest.approx(erlang_c_factorial(c, a), rel=1e-11)


def test_erlang_c_known_value_two_servers_one_erlang() -> None:
    assert erlang_c(2, 1.0) == pytest.approx(1.0 / 3.0, rel=TIGHT)


@pytest.mark.parametrize("a", [0.0, 0.3, 0.9])
def test_erlang_c_single_server_is_rho(a: float) -> None:
    assert erlang_c(1, a) == pytest.approx(a, rel=TIGHT, abs=0.0)


@pytest.mark.parametrize(("c", "a"), [(500, 480.0), (1000, 950.0), (1000, 999.0), (200, 10.0)])
def test_erlang_large_c_against_poisson_representation(c: int, a: float) -> None:
    b = erlang_b(c, a)
    expected_b = poisson.pmf(c, a) / poisson.cdf(c, a)
    assert math.isfinite(b)
    assert b == pytest.approx(expected_b, rel=1e-9)
    cc = erlang_c(c, a)
    assert 0.0 <= cc <= 1.0
    assert cc == pytest.approx(erlang_c_poisson(c, a), rel=1e-9)


def test_erlang_b_huge_load_and_servers_stay_in_range() -> None:
    b = erlang_b(5000, 1e6)
    assert 0.99 < b < 1.0
    assert erlang_b(1000, 1000.0) == pytest.approx(
        poisson.pmf(1000, 1000.0) / poisson.cdf(1000, 1000.0), rel=1e-9
    )


@pytest.mark.parametrize(("c", "a"), [(2, 2.0), (3, 5.0), (1, 1.0)])
def test_erlang_c_rejects_unstable_load(c: int, a: float) -> None:
    with pytest.raises(ValueError, match="unstable"):
        erlang_c(c, a)


@pytest.mark.parametrize(
    ("c", "a"), [(-1, 1.0), (2.5, 1.0), (2, -0.1), (2, math.nan), (2, math.inf), (True, 0.5)]
)
def test_erlang_b_rejects_bad_input(c: float, a: float) -> None:
    with pytest.raises(ValueError):
        erlang_b(c, a)  # type: ignore[arg-type]


def test_integral_float_server_count_is_accepted() -> None:
    assert erlang_b(3.0, 2.0) == erlang_b(3, 2.0)  # type: ignore[arg-type]
    assert erlang_b(np.int64(3), 2.0) == erlang_b(3, 2.0)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- M/M/c


@pytest.mark.parametrize(("lam", "mu"), [(0.5, 1.0), (3.0, 4.0), (0.99, 1.0), (2.0, 10.0)])
def test_mm1_closed_forms(lam: float, mu: float) -> None:
    rho = lam / mu
    r = mmc(lam, mu, 1)
    assert r.rho == pytest.approx(rho, rel=TIGHT)
    assert r.p_wait == pytest.approx(rho, rel=TIGHT)
    assert r.wq == pytest.approx(rho / (mu - lam), rel=1e-11)
    assert r.w == pytest.approx(1.0 / (mu - lam), rel=1e-11)
    assert r.l == pytest.approx(rho / (1.0 - rho), rel=1e-11)
    assert r.lq == pytest.approx(rho**2 / (1.0 - rho), rel=1e-11)
    t = 0.7
    assert r.p_wait_longer_than(t) == pytest.approx(rho * math.exp(-(mu - lam) * t), rel=1e-11)


@pytest.mark.parametrize("rho", [0.1, 0.5, 0.9])
def test_mm2_closed_forms(rho: float) -> None:
    mu = 1.5
    lam = 2 * mu * rho
    r = mmc(lam, mu, 2)
    assert r.p_wait == pytest.approx(2 * rho**2 / (1 + rho), rel=1e-11)
    assert r.lq == pytest.approx(2 * rho**3 / (1 - rho**2), rel=1e-11)


@pytest.mark.parametrize(("lam", "mu", "c"), [(10.0, 1.0, 12), (4.0, 0.5, 9), (95.0, 1.0, 100)])
def test_mmc_consistency_and_little(lam: float, mu: float, c: int) -> None:
    r = mmc(lam, mu, c)
    a = lam / mu
    cc = erlang_c_factorial(c, a)
    assert r.a == pytest.approx(a, rel=TIGHT)
    assert r.p_wait == pytest.approx(cc, rel=1e-10)
    assert r.wq == pytest.approx(cc / (c * mu - lam), rel=1e-10)
    assert r.lq == pytest.approx(lam * r.wq, rel=TIGHT)
    assert r.l == pytest.approx(lam * r.w, rel=TIGHT)
    assert r.w == pytest.approx(r.wq + 1.0 / mu, rel=TIGHT)


@pytest.mark.parametrize("t", [0.0, 0.05, 1.0, 10.0])
def test_service_level_formula(t: float) -> None:
    lam, mu, c = 100.0 / 60.0, 1.0 / 3.0, 7
    r = mmc(lam, mu, c)
    cc = erlang_c_factorial(c, lam / mu)
    expected = 1.0 - cc * math.exp(-(c * mu - lam) * t)
    assert r.service_level(t) == pytest.approx(expected, rel=1e-11)
    assert r.service_level(t) + r.p_wait_longer_than(t) == pytest.approx(1.0, rel=TIGHT)


def test_service_level_rejects_negative_time() -> None:
    with pytest.raises(ValueError):
        mmc(1.0, 2.0, 1).service_level(-1.0)


def test_mmc_zero_arrivals() -> None:
    r = mmc(0.0, 2.0, 3)
    assert (r.p_wait, r.wq, r.lq, r.l) == (0.0, 0.0, 0.0, 0.0)
    assert r.w == pytest.approx(0.5)
    assert r.service_level(0.0) == 1.0


def test_mmc_large_c_finite_and_sane() -> None:
    r = mmc(480.0, 1.0, 500)
    assert all(math.isfinite(x) for x in (r.p_wait, r.wq, r.lq, r.w, r.l))
    assert 0.0 < r.p_wait < 1.0
    assert r.p_wait == pytest.approx(erlang_c_poisson(500, 480.0), rel=1e-9)
    assert r.l == pytest.approx(r.lq + 480.0, rel=TIGHT)


@pytest.mark.parametrize(("lam", "mu", "c"), [(2.0, 1.0, 2), (5.0, 1.0, 3), (1.0, 1.0, 1)])
def test_mmc_unstable_raises(lam: float, mu: float, c: int) -> None:
    with pytest.raises(ValueError, match="unstable"):
        mmc(lam, mu, c)


@pytest.mark.parametrize(("lam", "mu", "c"), [(-1.0, 1.0, 1), (1.0, 0.0, 2), (1.0, 1.0, 0)])
def test_mmc_rejects_bad_input(lam: float, mu: float, c: int) -> None:
    with pytest.raises(ValueError):
        mmc(lam, mu, c)


# --------------------------------------------------------------------------- M/M/c/K


@pytest.mark.parametrize("c", [1, 2, 5, 10, 40])
@pytest.mark.parametrize("a", [0.5, 3.0, 12.0])
def test_mmck_with_no_waiting_room_is_erlang_b(c: int, a: float) -> None:
    r = mmck(a * 2.0, 2.0, c, c)
    assert r.p_block == pytest.approx(erlang_b_factorial(c, a), rel=1e-11)
    assert r.wq == 0.0
    assert r.lq == 0.0
    assert r.p_wait == 0.0
    assert r.w == pytest.approx(0.5, rel=1e-11)


@pytest.mark.parametrize(("lam", "mu", "c"), [(3.0, 1.0, 4), (0.8, 1.0, 1), (45.0, 1.0, 50)])
def test_mmck_tends_to_mmc_for_large_capacity(lam: float, mu: float, c: int) -> None:
    inf = mmc(lam, mu, c)
    r = mmck(lam, mu, c, c + 2000)
    assert r.p_block < 1e-15
    assert r.p_wait == pytest.approx(inf.p_wait, rel=1e-10)
    assert r.lq == pytest.approx(inf.lq, rel=1e-10)
    assert r.l == pytest.approx(inf.l, rel=1e-10)
    assert r.wq == pytest.approx(inf.wq, rel=1e-10)
    assert r.w == pytest.approx(inf.w, rel=1e-10)


@pytest.mark.parametrize("rho", [0.5, 2.0, 1.0])
@pytest.mark.parametrize("k", [1, 3, 10])
def test_mm1k_closed_form(rho: float, k: int) -> None:
    mu = 2.0
    lam = rho * mu
    if rho == 1.0:
        expected = np.full(k + 1, 1.0 / (k + 1))
    else:
        expected = (1 - rho) * rho ** np.arange(k + 1) / (1 - rho ** (k + 1))
    r = mmck(lam, mu, 1, k)
    assert np.asarray(r.probabilities) == pytest.approx(expected, rel=1e-11)
    assert r.p_block == pytest.approx(expected[-1], rel=1e-11)
    assert r.lam_eff == pytest.approx(lam * (1 - expected[-1]), rel=1e-11)


@pytest.mark.parametrize(
    ("lam", "mu", "c", "k"), [(7.0, 1.0, 5, 12), (2.0, 3.0, 3, 4), (9, 1, 2, 9)]
)
def test_mmck_against_generator_and_little(lam: float, mu: float, c: int, k: int) -> None:
    states = np.arange(1, k + 1, dtype=float)
    pi = birth_death_generator_solve(np.full(k, lam), np.minimum(states, c) * mu)
    r = mmck(lam, mu, c, k)
    assert np.asarray(r.probabilities) == pytest.approx(pi, rel=1e-9, abs=1e-14)
    assert sum(r.probabilities) == pytest.approx(1.0, rel=TIGHT)
    n = np.arange(k + 1)
    assert r.l == pytest.approx(float(np.dot(n, pi)), rel=1e-9)
    assert r.lq == pytest.approx(float(np.dot(np.maximum(n - c, 0), pi)), rel=1e-9)
    assert r.w == pytest.approx(r.l / r.lam_eff, rel=TIGHT)
    assert r.wq == pytest.approx(r.lq / r.lam_eff, rel=TIGHT)
    assert r.w == pytest.approx(r.wq + 1.0 / mu, rel=1e-11)
    assert r.p_wait == pytest.approx(float(pi[c:k].sum()) / (1 - pi[k]), rel=1e-9)
    assert r.rho == pytest.approx(float(np.dot(np.minimum(n, c), pi)) / c, rel=1e-9)


def test_mmck_large_overload_is_stable_numerically() -> None:
    r = mmck(2000.0, 1.0, 1000, 3000)
    assert all(math.isfinite(p) for p in r.probabilities)
    assert r.p_block == pytest.approx(0.5, rel=1e-9)
    assert r.lam_eff == pytest.approx(1000.0, rel=1e-9)


def test_mmck_zero_arrivals_and_bad_capacity() -> None:
    r = mmck(0.0, 1.0, 2, 5)
    assert r.probabilities[0] == 1.0
    assert (r.p_block, r.l, r.wq) == (0.0, 0.0, 0.0)
    assert r.w == 1.0
    with pytest.raises(ValueError, match="K"):
        mmck(1.0, 1.0, 3, 2)


# --------------------------------------------------------------------------- Erlang A


@pytest.mark.parametrize(
    ("lam", "mu", "c", "theta"),
    [(9.0, 1.0, 10, 0.5), (12.0, 1.0, 10, 0.2), (3.0, 2.0, 1, 1.5), (20.0, 1.0, 15, 3.0)],
)
def test_erlang_a_against_generator(lam: float, mu: float, c: int, theta: float) -> None:
    pi = erlang_a_generator(lam, mu, c, theta, 400)
    n = np.arange(pi.size)
    lq = float(np.dot(np.maximum(n - c, 0), pi))
    r = erlang_a(lam, mu, c, theta)
    assert r.lq == pytest.approx(lq, rel=1e-9)
    assert r.l == pytest.approx(float(np.dot(n, pi)), rel=1e-9)
    assert r.p_wait == pytest.approx(float(pi[c:].sum()), rel=1e-9)
    assert r.p_abandon == pytest.approx(theta * lq / lam, rel=1e-9)
    assert r.mean_wait == pytest.approx(lq / lam, rel=1e-9)
    assert r.throughput == pytest.approx(mu * float(np.dot(np.minimum(n, c), pi)), rel=1e-9)
    assert r.rho == pytest.approx(r.throughput / (c * mu), rel=TIGHT)
    # Abandonment seen from the tagged arrival: with j ahead it is served w.p. cμ/(cμ+(j+1)θ).
    j = np.maximum(n - c, 0)
    p_ab_tagged = float(np.dot(pi[c:], 1 - c * mu / (c * mu + (j[c:] + 1) * theta)))
    assert r.p_abandon == pytest.approx(p_ab_tagged, rel=1e-9)


def tagged_wait_by_absorption(c: int, mu: float, theta: float, j: int) -> tuple[float, float]:
    """(P(served), E[wait; served]) with j clients ahead, by solving the absorbing chain."""
    size = j + 1
    m = np.zeros((size, size))
    served = np.zeros(size)
    hold = np.zeros(size)
    for pos in range(size):
        rate = c * mu + (pos + 1) * theta
        hold[pos] = 1.0 / rate
        if pos == 0:
            served[pos] = c * mu / rate
        else:
            m[pos, pos - 1] = (c * mu + pos * theta) / rate
    ident = np.eye(size)
    p_served = np.linalg.solve(ident - m, served)
    # E[T·1{served}] satisfies x = hold·p_served + m·x.
    x = np.linalg.solve(ident - m, hold * p_served)
    return float(p_served[j]), float(x[j])


@pytest.mark.parametrize(
    ("lam", "mu", "c", "theta"), [(9.0, 1.0, 10, 0.5), (6.0, 1.0, 4, 2.0), (2.0, 1.0, 1, 0.3)]
)
def test_erlang_a_wait_of_served_and_abandoned(lam: float, mu: float, c: int, theta: float) -> None:
    size = 300
    pi = erlang_a_generator(lam, mu, c, theta, size)
    served_mass = 0.0
    for n in range(c, size + 1):
        _, x = tagged_wait_by_absorption(c, mu, theta, n - c)
        served_mass += pi[n] * x
    r = erlang_a(lam, mu, c, theta)
    assert r.mean_wait_served == pytest.approx(served_mass / (1 - r.p_abandon), rel=1e-9)
    total = r.mean_wait_served * (1 - r.p_abandon) + r.mean_wait_abandoned * r.p_abandon
    assert total == pytest.approx(r.mean_wait, rel=1e-11)


@pytest.mark.parametrize(("lam", "c"), [(4.0, 5), (9.0, 10), (45.0, 50)])
def test_erlang_a_tends_to_erlang_c_as_patience_grows(lam: float, c: int) -> None:
    inf = mmc(lam, 1.0, c)
    r = erlang_a(lam, 1.0, c, 1e-7)
    assert r.p_wait == pytest.approx(inf.p_wait, rel=1e-5)
    assert r.lq == pytest.approx(inf.lq, rel=1e-4)
    assert r.mean_wait_served == pytest.approx(inf.wq, rel=1e-4)
    assert r.p_abandon < 1e-5


@pytest.mark.parametrize(("a", "c"), [(2.0, 3), (9.0, 10), (30.0, 25)])
def test_erlang_a_impatient_limit_is_erlang_b(a: float, c: int) -> None:
    r = erlang_a(a, 1.0, c, 1e7)
    b = erlang_b_factorial(c, a)
    assert r.p_abandon == pytest.approx(b, rel=1e-5)
    assert r.p_wait == pytest.approx(b, rel=1e-5)
    assert r.mean_wait_served < 1e-9


@pytest.mark.parametrize(("a", "c"), [(3.0, 2), (9.0, 10), (50.0, 40)])
def test_erlang_a_patience_equal_service_is_infinite_server(a: float, c: int) -> None:
    r = erlang_a(a * 0.5, 0.5, c, 0.5)
    n = np.arange(0, 400)
    pmf = poisson.pmf(n, a)
    assert r.l == pytest.approx(a, rel=1e-11)
    assert r.p_wait == pytest.approx(float(poisson.sf(c - 1, a)), rel=1e-9)
    assert r.lq == pytest.approx(float(np.dot(np.maximum(n - c, 0), pmf)), rel=1e-9)


def test_erlang_a_heavy_overload_and_large_c() -> None:
    r = erlang_a(1200.0, 1.0, 1000, 0.01)
    # In heavy overload the servers are nearly always busy: throughput ≈ cμ.
    assert r.throughput == pytest.approx(1000.0, rel=1e-6)
    assert r.p_abandon == pytest.approx(200.0 / 1200.0, rel=1e-5)
    assert r.n_truncated > 1000 + 200 / 0.01
    big = erlang_a(1000.0, 1.0, 1000, 0.5)
    values = (big.p_wait, big.p_abandon, big.lq, big.mean_wait, big.mean_wait_served)
    assert all(math.isfinite(v) for v in values)
    assert 0.0 < big.p_abandon < big.p_wait < 1.0


def test_erlang_a_truncation_limit_and_validation() -> None:
    with pytest.raises(ValueError, match="n_max"):
        erlang_a(20.0, 1.0, 10, 0.01, n_max=50)
    with pytest.raises(ValueError, match="mmc"):
        erlang_a(1.0, 1.0, 2, 0.0)
    zero = erlang_a(0.0, 1.0, 2, 1.0)
    assert (zero.p_wait, zero.p_abandon, zero.lq, zero.throughput) == (0.0, 0.0, 0.0, 0.0)
    assert math.isnan(zero.mean_wait_abandoned)


# --------------------------------------------------------------------------- Jackson networks


@pytest.mark.parametrize("mus", [[2.0, 3.0], [1.5, 5.0, 2.5], [1.1, 1.2, 1.3, 1.4]])
def test_jackson_tandem_of_mm1_is_sum_of_sojourns(mus: list[float]) -> None:
    lam = 1.0
    n = len(mus)
    gamma = [lam] + [0.0] * (n - 1)
    routing = np.zeros((n, n))
    for i in range(n - 1):
        routing[i, i + 1] = 1.0
    r = jackson_network(gamma, routing, mus, 1)
    assert r.lam == pytest.approx([lam] * n, rel=TIGHT)
    assert r.visit_ratios == pytest.approx([1.0] * n, rel=TIGHT)
    assert r.sojourn_time == pytest.approx(sum(1.0 / (m - lam) for m in mus), rel=1e-11)
    assert r.l_total == pytest.approx(sum(lam / (m - lam) for m in mus), rel=1e-11)


@pytest.mark.parametrize("p", [0.0, 0.1, 0.5, 0.8])
def test_jackson_rework_loop_visit_ratio(p: float) -> None:
    gamma, mu = 1.0, 10.0
    r = jackson_network([gamma], [[p]], [mu], [1])
    assert r.visit_ratios[0] == pytest.approx(1.0 / (1.0 - p), rel=TIGHT)
    lam = gamma / (1 - p)
    assert r.lam[0] == pytest.approx(lam, rel=TIGHT)
    assert r.w[0] == pytest.approx(1.0 / (mu - lam), rel=1e-11)
    assert r.sojourn_time == pytest.approx(r.visit_ratios[0] * r.w[0], rel=1e-11)


def test_jackson_three_station_network_with_feedback_and_multiservers() -> None:
    # Reception -> (0.7 counter, 0.3 back office); counter -> 0.2 back office;
    # back office -> 0.1 counter (rework), rest leaves.
    gamma = [2.0, 0.5, 0.0]
    routing = [[0.0, 0.7, 0.3], [0.0, 0.0, 0.2], [0.0, 0.1, 0.0]]
    mu = [3.0, 0.5, 0.4]
    c = [1, 5, 3]
    lam0 = 2.0
    # λ1 = 0.5 + 0.7λ0 + 0.1λ2, λ2 = 0.3λ0 + 0.2λ1.
    lam1 = (0.5 + 0.7 * lam0 + 0.1 * 0.3 * lam0) / (1 - 0.1 * 0.2)
    lam2 = 0.3 * lam0 + 0.2 * lam1
    r = jackson_network(gamma, routing, mu, c)
    assert r.lam == pytest.approx([lam0, lam1, lam2], rel=1e-12)
    assert r.visit_ratios == pytest.approx([lam0 / 2.5, lam1 / 2.5, lam2 / 2.5], rel=1e-12)
    for i in range(3):
        alone = mmc(r.lam[i], mu[i], c[i])
        assert r.l[i] == pytest.approx(alone.l, rel=TIGHT)
        assert r.w[i] == pytest.approx(alone.w, rel=TIGHT)
        assert r.stations[i] == alone
    assert r.l_total == pytest.approx(sum(r.l), rel=TIGHT)
    assert r.sojourn_time == pytest.approx(
        sum(v * w for v, w in zip(r.visit_ratios, r.w, strict=True)), rel=1e-11
    )
    assert r.external_rate == pytest.approx(2.5)


def test_jackson_unstable_station_is_named() -> None:
    with pytest.raises(ValueError, match="counter is unstable"):
        jackson_network(
            [1.0, 0.0], [[0.0, 1.0], [0.0, 0.0]], [5.0, 0.9], [1, 1], ["desk", "counter"]
        )
    with pytest.raises(ValueError, match="station 0 is unstable"):
        jackson_network([1.0], [[0.5]], [1.9], [1])


@pytest.mark.parametrize(
    ("gamma", "routing", "mu", "c", "match"),
    [
        ([1.0, 0.0], [[0.0, 1.0], [1.0, 0.0]], [5.0, 5.0], [1, 1], "traps clients"),
        ([1.0, 0.0], [[0.0, 0.8], [0.5, 0.6]], [5.0, 5.0], [1, 1], "sum to"),
        ([1.0, 0.0], [[0.0, 1.0]], [5.0, 5.0], [1, 1], "matrix"),
        ([0.0, 0.0], [[0.0, 0.0], [0.0, 0.0]], [5.0, 5.0], [1, 1], "positive external"),
        ([1.0, -1.0], [[0.0, 0.0], [0.0, 0.0]], [5.0, 5.0], [1, 1], ">= 0"),
        ([1.0, 0.0], [[0.0, -0.1], [0.0, 0.0]], [5.0, 5.0], [1, 1], r"\[0, 1\]"),
        ([1.0, 0.0], [[0.0, 0.0], [0.0, 0.0]], [5.0, 0.0], [1, 1], "mu"),
        ([1.0, 0.0], [[0.0, 0.0], [0.0, 0.0]], [5.0, 5.0], [1, 1.5], "integer"),
        ([1.0, 0.0], [[0.0, 0.0], [0.0, 0.0]], [5.0, 5.0, 1.0], [1, 1], "one entry"),
    ],
)
def test_jackson_rejects_bad_input(
    gamma: list[float], routing: list[list[float]], mu: list[float], c: list[float], match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        jackson_network(gamma, routing, mu, c)


# --------------------------------------------------------------------------- staffing


@pytest.mark.parametrize(
    ("a", "beta", "expected"),
    [
        (100.0, 1.0, 110),
        (4.0, 0.0, 4),
        (4.0, 0.5, 5),
        (10.0, 1.0, 14),
        (0.0, 2.0, 0),
        (1.0, -3.0, 0),
    ],
)
def test_square_root_staffing(a: float, beta: float, expected: int) -> None:
    assert square_root_staffing(a, beta) == expected


@pytest.mark.parametrize("p", [0.01, 0.2, 0.5, 0.9])
def test_halfin_whitt_beta_roundtrip(p: float) -> None:
    beta = beta_for_delay_probability(p)
    assert beta > 0.0
    assert halfin_whitt_delay_probability(beta) == pytest.approx(p, rel=1e-10)


def test_halfin_whitt_matches_erlang_c_for_large_load() -> None:
    a, beta = 10_000.0, 1.0
    c = a + beta * math.sqrt(a)
    assert erlang_c(int(c), a) == pytest.approx(halfin_whitt_delay_probability(beta), abs=0.01)
    assert halfin_whitt_delay_probability(30.0) < 1e-100
    with pytest.raises(ValueError):
        beta_for_delay_probability(1.0)


def brute_service_level(lam: float, mu: float, c: int, t: float) -> float:
    a = lam / mu
    return 1.0 - erlang_c_factorial(c, a) * math.exp(-(c * mu - lam) * t)


@pytest.mark.parametrize(
    ("lam", "mu", "t", "level"),
    [
        (100 / 60, 1 / 3, 0.33, 0.8),
        (10.0, 1.0, 0.0, 0.5),
        (2.0, 1.0, 1.0, 0.95),
        (0.1, 1.0, 5, 0.0),
    ],
)
def test_min_servers_erlang_c_is_minimal(lam: float, mu: float, t: float, level: float) -> None:
    c = min_servers_erlang_c(lam, mu, t, level)
    assert c * mu > lam
    assert brute_service_level(lam, mu, c, t) >= level
    if (c - 1) * mu > lam:
        assert brute_service_level(lam, mu, c - 1, t) < level


def test_min_servers_erlang_c_large_load_and_edge_cases() -> None:
    lam, mu, t = 900.0, 1.0, 0.05
    c = min_servers_erlang_c(lam, mu, t, 0.8)
    assert mmc(lam, mu, c).service_level(t) >= 0.8
    assert mmc(lam, mu, c - 1).service_level(t) < 0.8
    assert min_servers_erlang_c(0.0, 1.0, 1.0, 0.9) == 0
    assert min_servers_erlang_c(3.5, 1.0, 1.0, 0.0) == 4
    with pytest.raises(ValueError, match="target_level"):
        min_servers_erlang_c(1.0, 1.0, 1.0, 1.0)


@pytest.mark.parametrize(
    ("lam", "mu", "max_wait"), [(5.0, 1.0, 0.1), (0.5, 1.0, 10.0), (200.0, 0.5, 0.01)]
)
def test_min_servers_for_wait_is_minimal(lam: float, mu: float, max_wait: float) -> None:
    c = min_servers_for_wait(lam, mu, max_wait)
    assert mmc(lam, mu, c).wq <= max_wait
    if (c - 1) * mu > lam:
        assert mmc(lam, mu, c - 1).wq > max_wait
    assert min_servers_for_wait(0.0, 1.0, 1.0) == 0
    with pytest.raises(ValueError):
        min_servers_for_wait(1.0, 1.0, 0.0)


@pytest.mark.parametrize(
    ("lam", "mu", "theta", "target"),
    [(10.0, 1.0, 0.5, 0.05), (100.0, 1.0, 0.2, 0.01), (3.0, 0.5, 2.0, 0.3), (50.0, 1.0, 1.0, 0.5)],
)
def test_min_servers_erlang_a_matches_linear_scan(
    lam: float, mu: float, theta: float, target: float
) -> None:
    c = min_servers_erlang_a(lam, mu, theta, target)
    scan = 1
    while erlang_a(lam, mu, scan, theta).p_abandon > target:
        scan += 1
    assert c == scan
    assert min_servers_erlang_a(0.0, 1.0, 1.0, 0.1) == 0

"""Distribution specs: parsing, validation, and samplers checked against their own formulas.

Statistical checks use tolerances computed from the sample (about 4.5 standard errors, so a
correct sampler fails roughly once in 100,000 runs); every sampler is seeded.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from pydantic import TypeAdapter, ValidationError
from scipy import stats

from sim.scenario.distributions import (
    BLOCK_SIZE,
    DIST_NAMES,
    Distribution,
    Empirical,
    Exponential,
    Fixed,
    Gamma,
    Lognormal,
    Normal,
    Triangular,
    Uniform,
)

N = 40_000
Z = 4.5
ADAPTER: TypeAdapter[Any] = TypeAdapter(Distribution)


def spec(data: Any) -> Any:
    """Validate a distribution as a scenario field would."""
    return ADAPTER.validate_python(data)


def draws(data: Any, n: int = N, seed: int = 12345) -> np.ndarray:
    sample = spec(data).sampler(np.random.default_rng(seed))
    return np.array([sample() for _ in range(n)])


def assert_mean_matches(x: np.ndarray, mu: float) -> None:
    """The sample mean lies within Z standard errors of ``mu``."""
    se = x.std(ddof=1) / math.sqrt(len(x))
    assert abs(x.mean() - mu) < Z * se, (x.mean(), mu, se)


def assert_variance_matches(x: np.ndarray, variance: float) -> None:
    """The sample variance lies within Z standard errors of ``variance``.

    The standard error of s² is estimated from the squared deviations themselves (s² is their
    mean), which needs a finite fourth moment: true for every distribution tested here.
    """
    sq = (x - x.mean()) ** 2
    se = sq.std(ddof=1) / math.sqrt(len(x))
    assert abs(sq.mean() - variance) < Z * se, (sq.mean(), variance, se)


MEAN_CASES = [
    ({"dist": "exponential", "mean": "5 min"}, Exponential, 300.0),
    ({"dist": "uniform", "low": "2 min", "high": "6 min"}, Uniform, 240.0),
    ({"dist": "triangular", "low": "1 min", "mode": "2 min", "high": "6 min"}, Triangular, 180.0),
    ({"dist": "normal", "mean": "10 min", "sd": "2 min"}, Normal, 600.0),
    ({"dist": "lognormal", "mean": "4 min", "sd": "2 min"}, Lognormal, 240.0),
    ({"dist": "gamma", "mean": "3 min", "cv": 0.5}, Gamma, 180.0),
    ({"dist": "empirical", "values": ["1 min", "2 min", "7 min"]}, Empirical, 200.0),
    (
        {"dist": "empirical", "values": ["1 min", "2 min", "7 min"], "weights": [5, 3, 2]},
        Empirical,
        (60 * 5 + 120 * 3 + 420 * 2) / 10,
    ),
]


@pytest.mark.parametrize(("data", "kind", "mean"), MEAN_CASES, ids=lambda v: str(v)[:40])
def test_sample_mean_matches_spec_mean(data: dict[str, Any], kind: type, mean: float) -> None:
    s = spec(data)
    assert isinstance(s, kind)
    assert s.mean() == pytest.approx(mean)
    x = draws(data)
    assert (x >= 0).all()
    assert_mean_matches(x, s.mean())


def test_fixed_always_returns_its_value() -> None:
    x = draws({"dist": "fixed", "value": "90 s"}, n=2 * BLOCK_SIZE + 3)
    assert (x == 90.0).all()
    assert spec({"dist": "fixed", "value": "90 s"}).mean() == 90.0


def test_a_bare_string_is_a_fixed_distribution() -> None:
    s = spec("4 min")
    assert isinstance(s, Fixed)
    assert s.value == 240.0


def test_bare_number_shorthand_needs_a_unit() -> None:
    with pytest.raises(ValidationError, match="duration 4 has no unit"):
        spec(4)


def test_uniform_and_triangular_stay_within_bounds() -> None:
    u = draws({"dist": "uniform", "low": "2 min", "high": "6 min"})
    assert u.min() >= 120 and u.max() <= 360
    t = draws({"dist": "triangular", "low": "1 min", "mode": "2 min", "high": "6 min"})
    assert t.min() >= 60 and t.max() <= 360


def test_exponential_sd_equals_its_mean() -> None:
    assert_variance_matches(draws({"dist": "exponential", "mean": "5 min"}), 300.0**2)


def test_truncated_normal_is_never_negative_and_has_the_truncated_mean() -> None:
    data = {"dist": "normal", "mean": "1 min", "sd": "2 min"}
    s = spec(data)
    # A quarter of the untruncated mass lies below zero, so the truncated mean is well above 60 s.
    assert s.mean() == pytest.approx(60 + 120 * stats.norm.pdf(0.5) / stats.norm.cdf(0.5))
    assert s.mean() > 100
    x = draws(data)
    assert x.min() >= 0
    assert_mean_matches(x, s.mean())


def test_lognormal_has_the_requested_sd() -> None:
    x = draws({"dist": "lognormal", "mean": "4 min", "sd": "2 min"}, n=50_000)
    assert_variance_matches(x, 120.0**2)


def test_gamma_has_the_requested_cv() -> None:
    x = draws({"dist": "gamma", "mean": "3 min", "cv": 0.5}, n=50_000)
    assert_variance_matches(x, (0.5 * 180.0) ** 2)


def test_gamma_with_cv_one_is_exponential() -> None:
    x = draws({"dist": "gamma", "mean": "2 min", "cv": 1.0})
    assert stats.kstest(x, "expon", args=(0, 120)).pvalue > 1e-6


@pytest.mark.parametrize("weights", [None, [5, 3, 2, 0]])
def test_empirical_yields_listed_values_in_proportion(weights: list[float] | None) -> None:
    values = [60.0, 120.0, 420.0, 900.0]
    data: dict[str, Any] = {"dist": "empirical", "values": values, "unit": "s"}
    if weights is not None:
        data["weights"] = weights
    x = draws(data)
    assert set(np.unique(x)) <= set(values)
    p = np.full(4, 0.25) if weights is None else np.array(weights) / sum(weights)
    counts = np.array([(x == v).sum() for v in values])
    assert counts.sum() == N
    if weights is not None:
        assert counts[3] == 0  # a zero weight is never drawn
    keep = p > 0
    result = stats.chisquare(counts[keep], N * p[keep])
    assert result.pvalue > 1e-6


@pytest.mark.parametrize(
    ("data", "field", "seconds"),
    [
        ({"dist": "uniform", "low": 2, "high": 4, "unit": "min"}, "high", 240.0),
        ({"dist": "exponential", "mean": 1.5, "unit": "h"}, "mean_", 5400.0),
        ({"dist": "fixed", "value": 45, "unit": "s"}, "value", 45.0),
        ({"dist": "empirical", "values": [1, 2], "unit": "min"}, "values", [60.0, 120.0]),
        ({"dist": "normal", "mean": 10, "sd": "30 s", "unit": "min"}, "sd", 30.0),
    ],
)
def test_unit_key_gives_bare_numbers_a_unit(data: dict[str, Any], field: str, seconds: Any) -> None:
    assert getattr(spec(data), field) == seconds


def test_unknown_unit_is_rejected() -> None:
    with pytest.raises(ValidationError, match="unknown time unit 'fortnights'"):
        spec({"dist": "fixed", "value": 3, "unit": "fortnights"})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"dist": "exponental", "mean": "5 min"}, "does not match any of the expected tags"),
        ({"mean": "5 min"}, "missing key 'dist' \\(one of: fixed, exponential"),
        ({"dist": "uniform", "low": "5 min", "high": "2 min"}, "'high' must not be below 'low'"),
        (
            {"dist": "triangular", "low": "1 min", "mode": "9 min", "high": "6 min"},
            "expected low <= mode <= high",
        ),
        (
            {"dist": "triangular", "low": "1 min", "mode": "1 min", "high": "1 min"},
            "'low' and 'high' must differ",
        ),
        (
            {"dist": "empirical", "values": ["1 min", "2 min"], "weights": [1, 2, 3]},
            "'weights' has 3 entries but 'values' has 2",
        ),
        (
            {"dist": "empirical", "values": ["1 min", "2 min"], "weights": [0, 0]},
            "'weights' must not all be zero",
        ),
        ({"dist": "empirical", "values": []}, "at least 1 item"),
        ({"dist": "exponential", "mean": "0 s"}, "greater than 0"),
        ({"dist": "gamma", "mean": "3 min", "cv": 0}, "greater than 0"),
        ({"dist": "normal", "mean": "3 min", "sd": "-1 min"}, "is negative"),
        ({"dist": "exponential", "mean": "5 min", "rate": 2}, "Extra inputs are not permitted"),
        ({"dist": "exponential", "mean": 5}, "duration 5 has no unit"),
    ],
)
def test_bad_specs_are_rejected(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        spec(data)


def test_dist_names_cover_every_spec() -> None:
    assert set(DIST_NAMES) == {
        "fixed",
        "exponential",
        "uniform",
        "triangular",
        "normal",
        "lognormal",
        "gamma",
        "empirical",
    }


def test_specs_are_frozen() -> None:
    s = spec({"dist": "exponential", "mean": "5 min"})
    with pytest.raises(ValidationError, match="frozen"):
        s.mean_ = 10.0


@pytest.mark.parametrize("data", [case[0] for case in MEAN_CASES], ids=lambda v: v["dist"])
def test_same_seed_same_draws(data: dict[str, Any]) -> None:
    a = draws(data, n=1500, seed=99)
    b = draws(data, n=1500, seed=99)
    c = draws(data, n=1500, seed=100)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_draws_do_not_depend_on_the_block_size() -> None:
    """Values handed out one by one equal one large numpy call on the same generator."""
    s = spec({"dist": "gamma", "mean": "3 min", "cv": 0.7})
    one_by_one = draws({"dist": "gamma", "mean": "3 min", "cv": 0.7}, n=3 * BLOCK_SIZE, seed=5)
    at_once = s.block_drawer()(np.random.default_rng(5), 3 * BLOCK_SIZE)
    np.testing.assert_allclose(one_by_one, at_once)

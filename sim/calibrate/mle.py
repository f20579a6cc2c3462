"""Maximum-likelihood fits with scipy.stats, for complete and censored samples, chosen by AIC.

The fits themselves are scipy's (``dist.fit`` with ``floc=0``; a ``CensoredData`` sample for
censored patience). What scipy does not give is an interval for the fitted mean and standard
deviation: they come from the observed information (the numerical Hessian of the negative
log-likelihood at the estimate, in log-parameters) and the delta method.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

FAMILIES: dict[str, object] = {
    "lognormal": stats.lognorm,
    "gamma": stats.gamma,
    "exponential": stats.expon,
}
"""The fitted families officesim's scenario language can express (``dist:`` names)."""

Z95 = float(stats.norm.ppf(0.975))


@dataclass(frozen=True)
class Sample:
    """Observations: exact values, right-censored (at least) and left-censored (at most)."""

    exact: np.ndarray
    right: np.ndarray = field(default_factory=lambda: np.empty(0))
    left: np.ndarray = field(default_factory=lambda: np.empty(0))

    @property
    def n(self) -> int:
        return len(self.exact) + len(self.right) + len(self.left)

    def censored(self) -> bool:
        return bool(len(self.right) or len(self.left))

    def scipy_data(self) -> object:
        """The sample as scipy wants it: an array, or ``CensoredData``."""
        if not self.censored():
            return self.exact
        return stats.CensoredData(uncensored=self.exact, right=self.right, left=self.left)


@dataclass(frozen=True)
class Fit:
    """One fitted family: parameters (shapes..., scale; loc fixed at 0), likelihood, AIC, moments."""

    family: str
    params: tuple[float, ...]
    loglik: float
    aic: float
    mean: float
    sd: float
    mean_ci: tuple[float, float]
    sd_ci: tuple[float, float]
    ks: float
    """Kolmogorov-Smirnov distance to the exact observations (NaN when censoring dominates)."""

    def frozen(self) -> object:
        return _frozen(self.family, self.params)


def _frozen(family: str, params: tuple[float, ...]) -> object:
    dist = FAMILIES[family]
    *shapes, scale = params
    return dist(*shapes, loc=0, scale=scale)  # type: ignore[operator]


def _nll(family: str, params: tuple[float, ...], sample: Sample) -> float:
    d = _frozen(family, params)
    total = float(np.sum(d.logpdf(sample.exact)))  # type: ignore[attr-defined]
    if len(sample.right):
        total += float(np.sum(d.logsf(sample.right)))  # type: ignore[attr-defined]
    if len(sample.left):
        total += float(np.sum(d.logcdf(sample.left)))  # type: ignore[attr-defined]
    return -total if math.isfinite(total) else math.inf


def fit_family(family: str, sample: Sample) -> Fit:
    """Fit one family by maximum likelihood (loc = 0) with delta-method CIs of mean and sd."""
    dist = FAMILIES[family]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        raw = dist.fit(sample.scipy_data(), floc=0)  # type: ignore[attr-defined]
    params = tuple(float(p) for i, p in enumerate(raw) if i != len(raw) - 2)  # drop loc
    nll = _nll(family, params, sample)
    d = _frozen(family, params)
    mean, sd = float(d.mean()), float(d.std())  # type: ignore[attr-defined]
    mean_ci, sd_ci = _delta_cis(family, params, sample)
    ks = float(stats.kstest(sample.exact, d.cdf).statistic) if len(sample.exact) else math.nan  # type: ignore[attr-defined]
    return Fit(family, params, -nll, 2 * len(params) + 2 * nll, mean, sd, mean_ci, sd_ci, ks)


def fit_best(sample: Sample, families: tuple[str, ...] = tuple(FAMILIES)) -> list[Fit]:
    """Every family's fit, best (lowest AIC) first."""
    return sorted((fit_family(f, sample) for f in families), key=lambda f: f.aic)


def _delta_cis(
    family: str, params: tuple[float, ...], sample: Sample
) -> tuple[tuple[float, float], tuple[float, float]]:
    theta = np.log(np.asarray(params))

    def nll(th: np.ndarray) -> float:
        return _nll(family, tuple(np.exp(th)), sample)

    def moments(th: np.ndarray) -> np.ndarray:
        d = _frozen(family, tuple(np.exp(th)))
        return np.array([d.mean(), d.std()])  # type: ignore[attr-defined]

    hess = _hessian(nll, theta)
    try:
        cov = np.linalg.inv(hess)
    except np.linalg.LinAlgError:
        nan = (math.nan, math.nan)
        return nan, nan
    jac = _jacobian(moments, theta)
    var = np.einsum("ij,jk,ik->i", jac, cov, jac)
    centre = moments(theta)
    half = Z95 * np.sqrt(np.maximum(var, 0.0))
    return (
        (float(centre[0] - half[0]), float(centre[0] + half[0])),
        (float(centre[1] - half[1]), float(centre[1] + half[1])),
    )


def _hessian(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-4) -> np.ndarray:
    n = len(x)
    out = np.zeros((n, n))
    fx = f(x)
    for i in range(n):
        for j in range(i, n):
            ei, ej = np.eye(n)[i] * h, np.eye(n)[j] * h
            if i == j:
                val = (f(x + ei) - 2 * fx + f(x - ei)) / h**2
            else:
                val = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)) / (
                    4 * h * h
                )
            out[i, j] = out[j, i] = val
    return out


def _jacobian(g: Callable[[np.ndarray], np.ndarray], x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    cols = []
    for i in range(len(x)):
        e = np.eye(len(x))[i] * h
        cols.append((g(x + e) - g(x - e)) / (2 * h))
    return np.array(cols).T

"""Sensitivity analysis: which assumptions move a KPI, or the difference between two options.

Two analyses over the scenarios' assumptions (ranges, see ``sim.scenario.assumptions``):

* **One at a time.** Every factor is set to its low and then its high value, the others kept
  at their point values; every run uses the same seed and replication numbers as the base run
  (common random numbers), so the change against the base is measured pair by pair, with its
  Student-t interval. Sorted by swing (|high − low|) this is the tornado chart.
* **Probabilistic.** All factors are sampled together by a Latin hypercube (``scipy.stats.qmc``,
  seeded from the scenario's seed). Every sample runs every option with one root seed of its
  own (common random numbers between the options within a sample, independent noise between
  samples). From the samples' mean differences come the probability that the second option
  beats the first (Wilson interval over samples) and the split of their variance into what the
  assumptions cause and what is simulation noise: Var(sample means) = Var(assumptions) +
  σ²/R, with σ² the variance over a sample's R replications. Much noise asks for more
  replications, much assumption spread for better data.

With one scenario the analysed value is the KPI; with two it is ``second − first`` per
replication. The number of runs is known before anything runs (:func:`plan_sensitivity`);
everything runs through the experiment's executor into its results store, so an interrupted
analysis resumes where it stopped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats
from scipy.stats import qmc

from sim.errors import ScenarioError
from sim.experiment.comparison import option_labels
from sim.experiment.options import Execution
from sim.experiment.replicate import Session, Unit, distinct_work, prepare, run_units
from sim.experiment.variation import Factor, factors_of, point_units
from sim.random_streams import purpose_key
from sim.results.summary import Estimate, _clean, estimate
from sim.scenario.spec import Scenario

CONFIDENCE = 0.95
SWING_TOLERANCE = 1e-9
"""Relative swing below which a factor counts as not moving the value (rounding only)."""
DEFAULT_KPI = "cost.total_per_day"
LHS_PURPOSE = "assumptions:latin-hypercube"
SAMPLE_SEED_PURPOSE = "assumptions:sample-seed"


def sample_seed(seed: int, sample: int) -> int:
    """The root seed of sample ``sample`` (independent of the other samples' seeds)."""
    seq = np.random.SeedSequence(seed, spawn_key=(purpose_key(SAMPLE_SEED_PURPOSE), sample))
    return int(seq.generate_state(1)[0])


@dataclass(frozen=True)
class SensitivityOptions:
    """What to analyse and how much to run.

    Attributes:
        kpi: the KPI analysed (for two options, their difference in it).
        replications: replications of every one-at-a-time run (default: the scenario's).
        samples: Latin hypercube samples of all assumptions together (0 = none).
        sample_replications: replications of every sampled run.
        seed, overrides: as for ``prepare`` (applied to every option).
        documented: include the documented ranges of defaults and IT presets the scenarios
            leave unset (else only the ranges written in the files).
        lower_is_better: the KPI's direction (costs, waits: lower is better).
    """

    kpi: str = DEFAULT_KPI
    replications: int | None = None
    samples: int = 0
    sample_replications: int = 5
    seed: int | None = None
    overrides: Sequence[str] = ()
    documented: bool = True
    lower_is_better: bool = True


@dataclass(frozen=True)
class TornadoBar:
    """One factor at its low and high value: the analysed value and its change against base."""

    factor: str
    key: str
    origin: str
    low: float
    high: float
    mode: float
    unit: str | None
    at_low: Estimate
    at_high: Estimate
    change_low: Estimate
    change_high: Estimate

    @classmethod
    def paired(
        cls, factor: Factor, at_low: np.ndarray, at_high: np.ndarray, base: np.ndarray
    ) -> TornadoBar:
        """The bar of ``factor`` from per-replication values at its low and high value and at
        the base point (common random numbers: changes are paired replication by replication)."""
        a = factor.assumption
        return cls(
            factor.name,
            a.key,
            a.origin,
            a.low,
            a.high,
            a.mode,
            "s" if a.duration else None,
            estimate(at_low, CONFIDENCE),
            estimate(at_high, CONFIDENCE),
            _change(at_low, base),
            _change(at_high, base),
        )

    @property
    def swing(self) -> float:
        """How far the analysed value moves between the factor's low and high value (0 when
        the two differ only by floating-point rounding, as when a factor is not read by the
        analysed value but changes the order of a sum)."""
        low, high = self.at_low.mean, self.at_high.mean
        swing = abs(high - low)
        if swing <= SWING_TOLERANCE * max(1.0, abs(low), abs(high)):
            return 0.0
        return swing

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "factor": self.factor,
            "key": self.key,
            "origin": self.origin,
            "low": self.low,
            "mode": self.mode,
            "high": self.high,
            "unit": self.unit,
            "swing": _clean(self.swing),
            "at_low": self.at_low.to_dict(),
            "at_high": self.at_high.to_dict(),
            "change_low": self.change_low.to_dict(),
            "change_high": self.change_high.to_dict(),
        }


@dataclass(frozen=True)
class Probabilistic:
    """All assumptions sampled together: the spread of the analysed value and its causes."""

    samples: int
    replications: int
    values: list[float]
    """Mean analysed value of each sample (over its replications)."""
    noise_variances: list[float]
    """Variance over the replications within each sample."""
    u: list[list[float]]
    """The Latin hypercube points (samples × factors) in [0, 1)."""
    wins: int
    """Samples in which the second option beats the first (or the KPI is below zero change)."""
    probability: float
    probability_low: float
    probability_high: float
    mean: float
    p05: float
    p95: float
    assumption_sd: float
    """Spread of the analysed value caused by the assumptions (noise variance removed)."""
    noise_sd: float
    """Simulation noise of one sample's mean (replication sd / sqrt(replications))."""
    rank_correlation: dict[str, float]
    """Spearman correlation of each factor's sampled value with the analysed value."""

    @property
    def noise_share(self) -> float:
        """Share of the samples' variance that is simulation noise (0..1)."""
        total = self.assumption_sd**2 + self.noise_sd**2
        return self.noise_sd**2 / total if total > 0 else math.nan

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "samples": self.samples,
            "replications": self.replications,
            "probability": _clean(self.probability),
            "probability_ci_low": _clean(self.probability_low),
            "probability_ci_high": _clean(self.probability_high),
            "wins": self.wins,
            "mean": _clean(self.mean),
            "p05": _clean(self.p05),
            "p95": _clean(self.p95),
            "assumption_sd": _clean(self.assumption_sd),
            "noise_sd": _clean(self.noise_sd),
            "noise_share": _clean(self.noise_share),
            "rank_correlation": {k: _clean(v) for k, v in self.rank_correlation.items()},
            "sample_values": [_clean(v) for v in self.values],
        }


@dataclass(frozen=True)
class SensitivityResult:
    """The analysis: base value, tornado (largest swing first), and the sampled mode if run."""

    labels: list[str]
    kpi: str
    lower_is_better: bool
    seed: int
    replications: int
    base: Estimate
    base_options: list[Estimate]
    tornado: list[TornadoBar]
    factors: list[Factor]
    probabilistic: Probabilistic | None = None
    runs: int = 0
    replications_total: int = 0
    short_labels: list[str] = field(default_factory=list)

    @property
    def is_difference(self) -> bool:
        """True when two options are compared (the value is second − first)."""
        return len(self.labels) == 2

    def verdict(self) -> str:
        """One sentence: what the base run says, in the KPI's direction."""
        b = self.base
        if not self.is_difference:
            return f"{self.kpi} = {b.mean:,.4g} (95% CI {b.ci_low:,.4g} to {b.ci_high:,.4g})"
        a, c = self.labels
        better = (b.mean < 0) == self.lower_is_better
        winner, loser = (c, a) if better else (a, c)
        return (
            f"{winner} beats {loser} on {self.kpi} by {abs(b.mean):,.4g} "
            f"(95% CI of {c} − {a}: {b.ci_low:,.4g} to {b.ci_high:,.4g})"
        )

    def holds_probability(self) -> tuple[float, float, float] | None:
        """Probability (with interval) that the base verdict holds across the assumptions."""
        p = self.probabilistic
        if p is None or not self.is_difference:
            return None
        second_wins = (self.base.mean < 0) == self.lower_is_better
        if second_wins:
            return p.probability, p.probability_low, p.probability_high
        return 1 - p.probability, 1 - p.probability_high, 1 - p.probability_low

    def worth_measuring(self, n: int = 2) -> list[TornadoBar]:
        """The factors to measure before deciding: those that can flip the verdict, by swing;
        failing any, the largest swings."""
        if self.is_difference:
            flips = [
                t
                for t in self.tornado
                if np.sign(t.at_low.mean) != np.sign(self.base.mean)
                or np.sign(t.at_high.mean) != np.sign(self.base.mean)
            ]
            if flips:
                return flips[:n]
        return [t for t in self.tornado if t.swing > 0][:n]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        holds = self.holds_probability()
        return {
            "option_labels": self.labels,
            "short_labels": self.short_labels or self.labels,
            "kpi": self.kpi,
            "value": f"{self.labels[1]} - {self.labels[0]}" if self.is_difference else self.kpi,
            "lower_is_better": self.lower_is_better,
            "seed": self.seed,
            "replications": self.replications,
            "runs": self.runs,
            "replications_total": self.replications_total,
            "verdict": self.verdict(),
            "verdict_holds": None
            if holds is None
            else dict(zip(("p", "ci_low", "ci_high"), holds, strict=True)),
            "worth_measuring": [t.factor for t in self.worth_measuring()],
            "base": self.base.to_dict(),
            "base_options": [e.to_dict() for e in self.base_options],
            "assumptions": [
                {"factor": f.name, "applies_to": [self.labels[i] for i in f.options]}
                | f.assumption.to_dict()
                for f in self.factors
            ],
            "tornado": [t.to_dict() for t in self.tornado],
            "probabilistic": None if self.probabilistic is None else self.probabilistic.to_dict(),
        }


@dataclass(frozen=True)
class SensitivityPlan:
    """The analysis laid out before it runs: options, factors, units and their cost."""

    labels: list[str]
    short_labels: list[str]
    """File stems (or the labels): how factor names refer to the options."""
    bases: list[Scenario]
    factors: list[Factor]
    base_units: list[Unit]
    oat_units: list[tuple[list[Unit], list[Unit]]]
    """Per factor: the options' units at its low value, and at its high value."""
    sample_units: list[list[Unit]]
    u: np.ndarray
    options: SensitivityOptions
    replications: int

    @property
    def units(self) -> list[Unit]:
        """Every unit, base first."""
        out = list(self.base_units)
        for lo, hi in self.oat_units:
            out.extend(lo + hi)
        for units in self.sample_units:
            out.extend(units)
        return out

    @property
    def runs(self) -> int:
        """Distinct scenarios to run (identical ones run once)."""
        return distinct_work(self.units)[0]

    @property
    def replications_total(self) -> int:
        """Replications to run: per distinct scenario, the most any unit asks of it."""
        return distinct_work(self.units)[1]

    def describe(self) -> str:
        """The cost of the analysis in one line (stated before it runs)."""
        o = self.options
        parts = [
            f"{len(self.factors)} assumptions",
            f"one at a time: {1 + 2 * len(self.factors)} points × {len(self.labels)} option(s)"
            f" × {self.replications} replications",
        ]
        if o.samples:
            parts.append(
                f"sampled: {o.samples} samples × {len(self.labels)} option(s) × "
                f"{o.sample_replications} replications"
            )
        return (
            "; ".join(parts) + f" = {self.runs} distinct runs, "
            f"{self.replications_total:,} replications"
        )


def latin_hypercube(n: int, dimensions: int, seed: int) -> np.ndarray:
    """``n`` Latin hypercube points in [0, 1)^dimensions, the same for the same seed."""
    if n == 0 or dimensions == 0:
        return np.zeros((n, dimensions))
    seq = np.random.SeedSequence(seed, spawn_key=(purpose_key(LHS_PURPOSE),))
    sampler = qmc.LatinHypercube(d=dimensions, rng=np.random.default_rng(seq))
    return np.asarray(sampler.random(n))


def plan_sensitivity(
    scenarios: Sequence[Scenario | str | Path],
    options: SensitivityOptions | None = None,
    labels: Sequence[str] | None = None,
) -> SensitivityPlan:
    """Validate the options and lay out every run (nothing runs yet).

    ``labels`` name the options (default: their scenario names, else file names), e.g. the
    variants of a sweep, which share one scenario name.
    """
    o = options or SensitivityOptions()
    if not 1 <= len(scenarios) <= 2:
        raise ValueError("sensitivity analyses one scenario, or the difference of two")
    first = prepare(scenarios[0], seed=o.seed, overrides=o.overrides)
    bases = [first] + [prepare(s, seed=first.seed, overrides=o.overrides) for s in scenarios[1:]]
    bases = [_keep_assumptions(b, s) for b, s in zip(bases, scenarios, strict=True)]
    sources = [None if isinstance(s, Scenario) else str(s) for s in scenarios]
    if labels is not None:
        labels, short = list(labels), list(labels)
    else:
        labels = option_labels(bases, sources)
        short = [Path(s).stem if s else lab for s, lab in zip(sources, labels, strict=True)]
        if len(set(short)) != len(short):
            short = labels
    factors = factors_of(bases, short, documented=o.documented)
    reps = o.replications or first.replications
    base_units = point_units(bases, labels, factors, {}, tag="base", replications=reps)
    oat = []
    for j, f in enumerate(factors):
        a = f.assumption
        lo = point_units(bases, labels, factors, {j: a.low}, tag=f"{f.name}=low", replications=reps)
        hi = point_units(
            bases, labels, factors, {j: a.high}, tag=f"{f.name}=high", replications=reps
        )
        oat.append((lo, hi))
    u = latin_hypercube(o.samples, len(factors), first.seed)
    samples = []
    for s in range(o.samples):
        point = {j: f.assumption.ppf(float(u[s, j])) for j, f in enumerate(factors)}
        samples.append(
            point_units(
                bases,
                labels,
                factors,
                point,
                tag=f"sample {s}",
                replications=o.sample_replications,
                seed=sample_seed(first.seed, s),
            )
        )
    return SensitivityPlan(labels, short, bases, factors, base_units, oat, samples, u, o, reps)


def _keep_assumptions(prepared: Scenario, given: Scenario | str | Path) -> Scenario:
    """A scenario object re-prepared with overrides loses its assumptions: keep them."""
    if isinstance(given, Scenario) and not prepared.assumptions:
        return prepared.with_assumptions(given.assumptions)
    return prepared


def sensitivity(
    scenarios: Scenario | str | Path | Sequence[Scenario | str | Path] | None = None,
    options: SensitivityOptions | None = None,
    *,
    execution: Execution | None = None,
    plan: SensitivityPlan | None = None,
    **settings: Any,
) -> SensitivityResult:
    """Run the sensitivity analysis of one scenario's KPI, or of two options' difference.

    Args:
        scenarios: one scenario, or two (the analysed value is then second − first); not
            needed with ``plan``.
        options: what to analyse and how much to run (:class:`SensitivityOptions`).
        execution, settings: where replications run and are kept (an
            :class:`~sim.experiment.options.Execution`, or its fields as keywords such as
            ``jobs=2``), as for :func:`sim.compare`.
        plan: a plan from :func:`plan_sensitivity` (to state its cost first); else made here.
    """
    if plan is None:
        if scenarios is None:
            raise ValueError("sensitivity needs scenarios or a plan")
        if isinstance(scenarios, Scenario | str | Path):
            scenarios = [scenarios]
        plan = plan_sensitivity(scenarios, options)
    p = plan
    return run_units(p.units, lambda session: analyse(p, session), execution, settings)


def analyse(plan: SensitivityPlan, session: Session) -> SensitivityResult:
    """The analysis of a plan whose units the session's store holds."""
    o = plan.options

    def series(units: list[Unit]) -> np.ndarray:
        values = [_kpi_values(session, u, o.kpi) for u in units]
        return values[0] if len(values) == 1 else values[1] - values[0]

    base = series(plan.base_units)
    bars = [
        TornadoBar.paired(f, series(lo), series(hi), base)
        for f, (lo, hi) in zip(plan.factors, plan.oat_units, strict=True)
    ]
    bars.sort(key=lambda t: -t.swing if not math.isnan(t.swing) else 0.0)
    prob = None
    if plan.sample_units:
        prob = _probabilistic(plan, [series(units) for units in plan.sample_units])
    return SensitivityResult(
        labels=plan.labels,
        kpi=o.kpi,
        lower_is_better=o.lower_is_better,
        seed=plan.bases[0].seed,
        replications=plan.replications,
        base=estimate(base, CONFIDENCE),
        base_options=[
            estimate(_kpi_values(session, u, o.kpi), CONFIDENCE) for u in plan.base_units
        ],
        tornado=bars,
        factors=plan.factors,
        probabilistic=prob,
        runs=plan.runs,
        replications_total=plan.replications_total,
        short_labels=plan.short_labels,
    )


def _kpi_values(session: Session, unit: Unit, kpi: str) -> np.ndarray:
    result = session.result(unit)
    if kpi not in result.summary:
        known = ", ".join(sorted(result.summary))
        raise ScenarioError.single("--kpi", "", f"no KPI {kpi!r}; known: {known}")
    return result.values(kpi)


def _change(values: np.ndarray, base: np.ndarray) -> Estimate:
    both = ~np.isnan(values) & ~np.isnan(base)
    return estimate(values[both] - base[both], CONFIDENCE)


def _probabilistic(plan: SensitivityPlan, per_sample: list[np.ndarray]) -> Probabilistic:
    """Probability of a win, its interval, and the assumption/noise split, from the samples."""
    o = plan.options
    means = np.array([np.nanmean(v) if np.any(~np.isnan(v)) else np.nan for v in per_sample])
    noise = np.array(
        [np.nanvar(v, ddof=1) if np.sum(~np.isnan(v)) > 1 else 0.0 for v in per_sample]
    )
    ok = ~np.isnan(means)
    n = int(ok.sum())
    wins = int(np.sum((means[ok] < 0) if o.lower_is_better else (means[ok] > 0)))
    if n:
        ci = stats.binomtest(wins, n).proportion_ci(CONFIDENCE, method="wilson")
        p, lo, hi = wins / n, float(ci.low), float(ci.high)
    else:
        p = lo = hi = math.nan
    r = o.sample_replications
    noise_var = float(np.mean(noise[ok]) / r) if n else math.nan
    total_var = float(np.var(means[ok], ddof=1)) if n > 1 else math.nan
    assumption_var = max(0.0, total_var - noise_var) if n > 1 else math.nan
    corr: dict[str, float] = {}
    for j, f in enumerate(plan.factors):
        col = plan.u[ok, j]
        if n > 2 and np.ptp(col) > 0 and np.ptp(means[ok]) > 0 and not f.assumption.is_point:
            corr[f.name] = float(stats.spearmanr(col, means[ok]).statistic)
    return Probabilistic(
        samples=len(per_sample),
        replications=r,
        values=[float(x) for x in means],
        noise_variances=[float(x) for x in noise],
        u=plan.u.tolist(),
        wins=wins,
        probability=p,
        probability_low=lo,
        probability_high=hi,
        mean=float(np.mean(means[ok])) if n else math.nan,
        p05=float(np.percentile(means[ok], 5)) if n else math.nan,
        p95=float(np.percentile(means[ok], 95)) if n else math.nan,
        assumption_sd=math.sqrt(assumption_var) if not math.isnan(assumption_var) else math.nan,
        noise_sd=math.sqrt(noise_var) if not math.isnan(noise_var) else math.nan,
        rank_correlation=corr,
    )

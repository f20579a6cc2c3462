"""The business case of an IT option over a horizon: simulated costs become a discounted cash flow.

An option (a scenario with a new IT level and its ``it.rollout``) is compared with a baseline
(the office as it is) month by month over a horizon:

* month 0 pays the one-off ``implementation_cost``;
* until ``go_live_month`` the office works as before (no saving, no monthly cost of the new
  system); the training hours of every staff and team member are paid in the go-live month;
* from go-live the office works with the new system, first through the **ramp**: service and
  back-office step times are ``1 + ramp_slowdown`` times longer at go-live, recovering linearly
  to normal over ``ramp_weeks`` working weeks (five working days each). The ramp is simulated,
  not put on top as a formula: it is cut into a few equal phases, and each phase is represented
  by the scenario's own replication period (one week for the IT scenarios) run at the phase's
  average slowdown (service factor and step factor × (1 + slowdown)). Every day of a month
  takes the simulated daily cost of its phase; after the ramp, the steady state's cost;
* each month's cash flow is (baseline − option) total daily cost (staff, rent, IT, lost
  clients, late tasks) × working days per month.

From the monthly flows come the net present value (annual discount rate, compounded monthly),
the payback month (first month whose cumulative flow is ≥ 0), its discounted counterpart, and
the break-even implementation cost (the one-off cost at which the NPV is zero). Every run uses
common random numbers, so replication *r* of the baseline, the steady option and every phase see
the same clients: each replication gives one cash flow, and the interval across replications is
a Student-t interval. With ``samples`` all assumptions (ranges, including those of the rollout)
are also drawn by a Latin hypercube as in :mod:`sim.experiment.sensitivity`, giving intervals
across assumptions and the probability that the NPV is positive. With ``tornado`` every
assumption is also set to its low and then its high value, the others kept at their point
values, on the base point's seed: the NPV's change, paired replication by replication, ranks
the assumptions by how much they move it (a tornado chart, as in the sensitivity analysis).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats

from sim.experiment.comparison import option_labels
from sim.experiment.inputs import scenario_from_dict
from sim.experiment.options import Execution
from sim.experiment.replicate import Session, Unit, distinct_work, prepare, run_units
from sim.experiment.sensitivity import TornadoBar, latin_hypercube, sample_seed
from sim.experiment.variation import Factor, Point, factors_of, scenario_at
from sim.results.summary import Estimate, _clean, estimate
from sim.scenario.base import Crew
from sim.scenario.it import Rollout
from sim.scenario.spec import Scenario

CONFIDENCE = 0.95
KPI = "cost.total_per_day"
DAYS_PER_WEEK = 5.0


@dataclass(frozen=True)
class BusinessCaseOptions:
    """Horizon, discounting and how much to run.

    Attributes:
        horizon_months: months of the cash flow after month 0.
        discount_rate: annual discount rate (0.08 = 8% a year), compounded monthly.
        phases: simulated phases of the ramp (each one representative period).
        replications: replications of every run (default: the option's).
        samples, sample_replications: Latin hypercube samples of all assumptions (0 = none).
        seed, overrides, documented: as for :class:`~sim.experiment.sensitivity.SensitivityOptions`.
    """

    horizon_months: int = 36
    discount_rate: float = 0.08
    phases: int = 3
    replications: int | None = None
    samples: int = 0
    sample_replications: int = 5
    seed: int | None = None
    overrides: Sequence[str] = ()
    documented: bool = True
    tornado: bool = False
    """Also run every assumption at its low and high value (others at their point values)
    with common random numbers: which assumptions move the NPV most."""


@dataclass(frozen=True)
class CashFlowInputs:
    """What a cash flow needs: daily costs from the runs and the rollout's terms."""

    baseline_per_day: float
    steady_per_day: float
    phase_per_day: Sequence[float]
    rollout: Rollout
    days_per_month: float
    training_cost: float


def phase_slowdowns(rollout: Rollout, phases: int) -> list[float]:
    """The average slowdown of each equal phase of a linear recovery from ``ramp_slowdown``."""
    if rollout.ramp_slowdown == 0 or rollout.ramp_weeks == 0:
        return []
    return [rollout.ramp_slowdown * (1 - (k + 0.5) / phases) for k in range(phases)]


def option_cost_by_month(inputs: CashFlowInputs, horizon: int) -> np.ndarray:
    """The option's mean daily cost in months 1..horizon (baseline's before go-live)."""
    r = inputs.rollout
    d = inputs.days_per_month
    k = len(inputs.phase_per_day)
    ramp_days = r.ramp_weeks * DAYS_PER_WEEK if k else 0.0
    edges = [ramp_days * j / k for j in range(k + 1)] if k else [0.0]
    out = np.empty(horizon)
    for m in range(1, horizon + 1):
        if m <= r.go_live_month:
            out[m - 1] = inputs.baseline_per_day
            continue
        start, end = (m - 1 - r.go_live_month) * d, (m - r.go_live_month) * d
        total = 0.0
        for j in range(k):
            overlap = max(0.0, min(end, edges[j + 1]) - max(start, edges[j]))
            total += overlap * inputs.phase_per_day[j]
        steady = max(0.0, end - max(start, edges[-1]))
        total += steady * inputs.steady_per_day
        out[m - 1] = total / d
    return out


def cash_flows(inputs: CashFlowInputs, horizon: int) -> np.ndarray:
    """Cash flows of months 0..horizon: savings against the baseline, less what is paid once."""
    flows = np.zeros(horizon + 1)
    flows[0] = -inputs.rollout.implementation_cost
    option = option_cost_by_month(inputs, horizon)
    flows[1:] = (inputs.baseline_per_day - option) * inputs.days_per_month
    g = min(inputs.rollout.go_live_month, horizon)
    flows[g] -= inputs.training_cost
    return flows


def monthly_rate(annual: float) -> float:
    """The monthly rate equivalent to an annual rate (compounded)."""
    return float((1 + annual) ** (1 / 12) - 1)


def npv(flows: np.ndarray, annual_rate: float) -> float:
    """Net present value of monthly flows (month 0 undiscounted)."""
    i = monthly_rate(annual_rate)
    return float(np.sum(flows / (1 + i) ** np.arange(len(flows))))


def payback_month(flows: np.ndarray, annual_rate: float | None = None) -> int | None:
    """The month from which the cumulative flow (discounted, given a rate) stays ≥ 0.

    None when it is still negative at the end of the horizon.
    """
    if annual_rate is not None:
        flows = flows / (1 + monthly_rate(annual_rate)) ** np.arange(len(flows))
    below = np.nonzero(np.cumsum(flows) < 0)[0]
    if len(below) == 0:
        return 0
    if below[-1] == len(flows) - 1:
        return None
    return int(below[-1] + 1)


def training_cost(scenario: Scenario) -> float:
    """Training hours × members × hourly rate over every staff role and back-office team."""
    hours = scenario.it.rollout.training_hours
    crews: list[Crew] = list(scenario.staff.values())
    if scenario.back_office is not None:
        crews += list(scenario.back_office.teams.values())
    total = 0.0
    for crew in crews:
        members = crew.count if crew.count is not None else sum(s.count for s in crew.shifts or [])
        total += members * crew.cost_per_hour * hours
    return total


@dataclass(frozen=True)
class CaseFigures:
    """NPV, payback and break-even of one cash flow."""

    npv: float
    payback: int | None
    discounted_payback: int | None
    break_even_cost: float


def figures(flows: np.ndarray, inputs: CashFlowInputs, annual_rate: float) -> CaseFigures:
    """The figures of one cash flow."""
    value = npv(flows, annual_rate)
    return CaseFigures(
        value,
        payback_month(flows),
        payback_month(flows, annual_rate),
        value + inputs.rollout.implementation_cost,
    )


@dataclass(frozen=True)
class PointUnits:
    """The runs of one point: the baseline, the option at steady state, the ramp phases."""

    baseline: Unit
    steady: Unit
    phases: list[Unit]
    option: Scenario


@dataclass(frozen=True)
class BusinessCasePlan:
    """Every run of the business case, laid out before anything runs."""

    labels: list[str]
    factors: list[Factor]
    base: PointUnits
    samples: list[PointUnits]
    options: BusinessCaseOptions
    replications: int
    oat: list[tuple[PointUnits, PointUnits]] = field(default_factory=list)
    """Per factor (with ``tornado``): the runs at its low value, and at its high value."""

    @property
    def units(self) -> list[Unit]:
        """Every unit."""
        out: list[Unit] = []
        for p in [self.base, *self.samples, *(q for pair in self.oat for q in pair)]:
            out += [p.baseline, p.steady, *p.phases]
        return out

    @property
    def runs(self) -> int:
        """Distinct scenarios to run."""
        return distinct_work(self.units)[0]

    @property
    def replications_total(self) -> int:
        """Replications to run over the distinct scenarios."""
        return distinct_work(self.units)[1]

    def describe(self) -> str:
        """The cost of the business case in one line (stated before it runs)."""
        per_point = 2 + len(self.base.phases)
        text = (
            f"baseline, steady state and {len(self.base.phases)} ramp phase(s) = {per_point} "
            f"runs × {self.replications} replications"
        )
        if self.oat:
            text += (
                f"; tornado: {len(self.oat)} assumptions × low and high × {per_point} runs × "
                f"{self.replications} replications"
            )
        if self.samples:
            text += (
                f"; {len(self.samples)} samples of {len(self.factors)} assumptions × "
                f"{per_point} runs × {self.options.sample_replications} replications"
            )
        return f"{text} = {self.runs} distinct runs, {self.replications_total:,} replications"


def _ramped(option: Scenario, slowdown: float) -> Scenario:
    """The option with service and step times ``1 + slowdown`` times longer."""
    data = option.echo()
    data["it"]["service_factor"] = option.it.service_factor * (1 + slowdown)
    data["it"]["step_factor"] = option.it.step_factor * (1 + slowdown)
    return scenario_from_dict(data, f"<{option.name}: ramp>")


@dataclass(frozen=True)
class _Pair:
    """The two options of a business case, their labels and the analysis's factors."""

    bases: Sequence[Scenario]
    labels: Sequence[str]
    factors: Sequence[Factor]
    phases: int
    """Ramp phases simulated for the option."""

    def units(
        self, point: Point, tag: str, replications: int, seed: int | None = None
    ) -> PointUnits:
        """Baseline, option and the option's ramp phases at ``point`` (labelled ``tag``)."""
        labels = self.labels
        baseline = scenario_at(self.bases[0], self.factors, 0, point, seed)
        option = scenario_at(self.bases[1], self.factors, 1, point, seed)
        ramp = [
            Unit.of(f"{labels[1]} | {tag} | ramp phase {k + 1}", _ramped(option, s), replications)
            for k, s in enumerate(phase_slowdowns(option.it.rollout, self.phases))
        ]
        return PointUnits(
            Unit.of(f"{labels[0]} | {tag}", baseline, replications),
            Unit.of(f"{labels[1]} | {tag}", option, replications),
            ramp,
            option,
        )


def plan_business_case(
    baseline: Scenario | str | Path,
    option: Scenario | str | Path,
    options: BusinessCaseOptions | None = None,
) -> BusinessCasePlan:
    """Validate both scenarios and lay out every run (nothing runs yet)."""
    o = options or BusinessCaseOptions()
    if o.horizon_months < 1 or o.phases < 1:
        raise ValueError("the horizon and the number of ramp phases must be at least 1")
    opt = prepare(option, seed=o.seed, overrides=o.overrides)
    base = prepare(baseline, seed=opt.seed, overrides=o.overrides)
    bases = [base, opt]
    sources = [None if isinstance(s, Scenario) else str(s) for s in (baseline, option)]
    labels = option_labels(bases, sources)
    short = [Path(s).stem if s else lab for s, lab in zip(sources, labels, strict=True)]
    factors = factors_of(
        bases, short if len(set(short)) == 2 else labels, documented=o.documented, rollout=True
    )
    reps = o.replications or opt.replications
    pair = _Pair(bases, labels, factors, o.phases)
    first = pair.units({}, "base", reps)
    oat = []
    if o.tornado:
        for j, f in enumerate(factors):
            low = pair.units({j: f.assumption.low}, f"{f.name}=low", reps)
            high = pair.units({j: f.assumption.high}, f"{f.name}=high", reps)
            oat.append((low, high))
    u = latin_hypercube(o.samples, len(factors), opt.seed)
    samples = [
        pair.units(
            {j: f.assumption.ppf(float(u[s, j])) for j, f in enumerate(factors)},
            f"sample {s}",
            o.sample_replications,
            sample_seed(opt.seed, s),
        )
        for s in range(o.samples)
    ]
    return BusinessCasePlan(labels, factors, first, samples, o, reps, oat)


@dataclass(frozen=True)
class Spread:
    """A figure across assumptions: mean, 5th and 95th percentile over samples."""

    mean: float
    p05: float
    p95: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        """The spread of the finite values (NaN when none)."""
        v = np.asarray([x for x in values if x is not None and math.isfinite(x)], dtype=float)
        if len(v) == 0:
            return cls(math.nan, math.nan, math.nan)
        return cls(float(v.mean()), float(np.percentile(v, 5)), float(np.percentile(v, 95)))

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {"mean": _clean(self.mean), "p05": _clean(self.p05), "p95": _clean(self.p95)}


@dataclass(frozen=True)
class BusinessCaseResult:
    """The business case at the point values (intervals over replications) and, with samples,
    across the assumptions."""

    labels: list[str]
    horizon_months: int
    discount_rate: float
    replications: int
    seed: int
    rollout: Rollout
    daily: dict[str, Estimate]
    """Mean total daily cost of the baseline, the steady option and each ramp phase."""
    flows: list[float]
    """Mean monthly cash flows, months 0..horizon."""
    npv: Estimate
    payback: Estimate
    """Payback month across replications (those that pay back within the horizon)."""
    payback_share: float
    """Share of replications that pay back within the horizon."""
    discounted_payback: int | None
    """Discounted payback month of the mean cash flow."""
    break_even_cost: Estimate
    samples: int = 0
    npv_across: Spread | None = None
    payback_across: Spread | None = None
    break_even_across: Spread | None = None
    positive: tuple[float, float, float] | None = None
    """Probability (and 95% Wilson interval) that the NPV is positive, across the samples."""
    payback_share_across: float | None = None
    """Share of the samples that pay back within the horizon (``payback_across`` is over those)."""
    runs: int = 0
    replications_total: int = 0
    tornado: list[TornadoBar] = field(default_factory=list)
    """NPV at each assumption's low and high value, largest swing first (with ``tornado``)."""

    @property
    def payback_of_mean(self) -> int | None:
        """Payback month of the mean cash flow."""
        return payback_month(np.asarray(self.flows))

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "baseline": self.labels[0],
            "option": self.labels[1],
            "horizon_months": self.horizon_months,
            "discount_rate": self.discount_rate,
            "replications": self.replications,
            "seed": self.seed,
            "runs": self.runs,
            "replications_total": self.replications_total,
            "rollout": self.rollout.model_dump(mode="json"),
            "daily_cost": {k: e.to_dict() for k, e in self.daily.items()},
            "cash_flows": [_clean(x) for x in self.flows],
            "npv": self.npv.to_dict(),
            "payback_month": self.payback_of_mean,
            "payback_month_replications": self.payback.to_dict(),
            "payback_share": _clean(self.payback_share),
            "discounted_payback_month": self.discounted_payback,
            "break_even_implementation_cost": self.break_even_cost.to_dict(),
            "samples": self.samples,
            "npv_across_assumptions": None
            if self.npv_across is None
            else self.npv_across.to_dict(),
            "payback_across_assumptions": None
            if self.payback_across is None
            else self.payback_across.to_dict(),
            "break_even_across_assumptions": None
            if self.break_even_across is None
            else self.break_even_across.to_dict(),
            "payback_share_across_assumptions": _clean(self.payback_share_across)
            if self.payback_share_across is not None
            else None,
            "npv_positive": None
            if self.positive is None
            else dict(zip(("p", "ci_low", "ci_high"), self.positive, strict=True)),
            "tornado": [t.to_dict() for t in self.tornado],
            "worth_measuring": [t.factor for t in self.tornado if t.swing > 0][:2],
        }


def business_case(
    baseline: Scenario | str | Path,
    option: Scenario | str | Path,
    options: BusinessCaseOptions | None = None,
    *,
    execution: Execution | None = None,
    plan: BusinessCasePlan | None = None,
    **settings: Any,
) -> BusinessCaseResult:
    """Simulate the baseline, the option and its ramp, and turn them into a business case.

    Args:
        baseline: the office as it is.
        option: the office with the new IT (its ``it.rollout`` gives the one-off terms).
        options: horizon, discount rate, phases, replications, samples.
        execution, settings: where replications run and are kept (an
            :class:`~sim.experiment.options.Execution`, or its fields as keywords such as
            ``jobs=2``), as for :func:`sim.compare`.
        plan: a plan from :func:`plan_business_case` (to state its cost first).
    """
    p = plan or plan_business_case(baseline, option, options)
    return run_units(p.units, lambda session: _analyse(p, session), execution, settings)


def _series(session: Session, unit: Unit) -> np.ndarray:
    return session.result(unit).values(KPI)


def _point_cases(
    p: BusinessCasePlan, point: PointUnits, session: Session
) -> tuple[dict[str, np.ndarray], list[CaseFigures], list[np.ndarray]]:
    """Per replication: the daily costs, the figures and the cash flows of one point."""
    o = p.options
    daily = {"baseline": _series(session, point.baseline), "steady": _series(session, point.steady)}
    for k, unit in enumerate(point.phases):
        daily[f"ramp phase {k + 1}"] = _series(session, unit)
    phases = [daily[f"ramp phase {k + 1}"] for k in range(len(point.phases))]
    sc = point.option
    train = training_cost(sc)
    cases, flows = [], []
    for r in range(len(daily["baseline"])):
        inputs = CashFlowInputs(
            float(daily["baseline"][r]),
            float(daily["steady"][r]),
            [float(ph[r]) for ph in phases],
            sc.it.rollout,
            sc.costs.working_days_per_month,
            train,
        )
        f = cash_flows(inputs, o.horizon_months)
        flows.append(f)
        cases.append(figures(f, inputs, o.discount_rate))
    return daily, cases, flows


def npv_tornado(
    p: BusinessCasePlan, base: Sequence[CaseFigures], session: Session
) -> list[TornadoBar]:
    """The NPV at every factor's low and high value, paired replication by replication with
    the base point's (common random numbers), largest swing first."""
    base_npv = np.array([c.npv for c in base])
    bars = []
    for f, (lo, hi) in zip(p.factors, p.oat, strict=True):
        at_lo = np.array([c.npv for c in _point_cases(p, lo, session)[1]])
        at_hi = np.array([c.npv for c in _point_cases(p, hi, session)[1]])
        bars.append(TornadoBar.paired(f, at_lo, at_hi, base_npv))
    return sorted(bars, key=lambda t: -t.swing if not math.isnan(t.swing) else 0.0)


def _analyse(p: BusinessCasePlan, session: Session) -> BusinessCaseResult:
    o = p.options
    daily, cases, flows = _point_cases(p, p.base, session)
    paybacks = [float(c.payback) for c in cases if c.payback is not None]
    mean_flows = np.mean(flows, axis=0)
    result: dict[str, Any] = {}
    if p.samples:
        cases_flows = [_point_cases(p, s, session)[1:] for s in p.samples]
        npvs = [float(np.mean([c.npv for c in cs])) for cs, _ in cases_flows]
        wins = sum(1 for v in npvs if v > 0)
        ci = stats.binomtest(wins, len(npvs)).proportion_ci(CONFIDENCE, method="wilson")
        paybacks_across = []
        for _, fl in cases_flows:
            month = payback_month(np.mean(fl, axis=0))
            paybacks_across.append(math.nan if month is None else float(month))
        result = {
            "npv_across": Spread.of(npvs),
            "payback_across": Spread.of(paybacks_across),
            "break_even_across": Spread.of(
                [float(np.mean([c.break_even_cost for c in cs])) for cs, _ in cases_flows]
            ),
            "positive": (wins / len(npvs), float(ci.low), float(ci.high)),
            "payback_share_across": float(np.mean([math.isfinite(m) for m in paybacks_across])),
        }
    return BusinessCaseResult(
        labels=p.labels,
        horizon_months=o.horizon_months,
        discount_rate=o.discount_rate,
        replications=p.replications,
        seed=p.base.option.seed,
        rollout=p.base.option.it.rollout,
        daily={k: estimate(v, CONFIDENCE) for k, v in daily.items()},
        flows=[float(x) for x in mean_flows],
        npv=estimate([c.npv for c in cases], CONFIDENCE),
        payback=estimate(paybacks, CONFIDENCE),
        payback_share=len(paybacks) / len(cases) if cases else math.nan,
        discounted_payback=payback_month(mean_flows, o.discount_rate),
        break_even_cost=estimate([c.break_even_cost for c in cases], CONFIDENCE),
        samples=len(p.samples),
        runs=p.runs,
        replications_total=p.replications_total,
        tornado=npv_tornado(p, cases, session) if p.oat else [],
        **result,
    )

"""The ``sensitivity`` command: which assumptions move a KPI or a difference, and how sure a
verdict is; thin over :func:`sim.experiment.sensitivity.sensitivity`."""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.cli.experiments import (
    TallyProgress,
    add_common_options,
    claim_output,
    execution_of,
    finish_output,
    positive_int,
    write_outputs,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sim.experiment.comparison import CompareResult
    from sim.experiment.robustness import SweepRobustness
    from sim.experiment.sensitivity import SensitivityOptions, SensitivityResult, TornadoBar
    from sim.experiment.sweeps import SweepResult

TORNADO_LINES = 8


def add_sensitivity_options(p: argparse.ArgumentParser, kpi_flag: str = "--kpi") -> None:
    """``--kpi``, ``--samples`` and the other choices of an analysis (compare names the KPI
    option ``--robustness-kpi``, its ``--kpi`` choosing table rows)."""
    p.add_argument(
        kpi_flag,
        dest="kpi",
        default="cost.total_per_day",
        help="KPI analysed (default cost.total_per_day)",
    )
    p.add_argument(
        "--higher-is-better",
        action="store_true",
        help="the KPI is better when higher (e.g. all.service_level); default: lower is better",
    )
    add_sampling_options(
        p,
        samples_help="Latin hypercube samples of all assumptions together (default 0: one at a "
        "time only)",
        written_help="only the ranges written in the files, not the documented ranges of defaults",
    )


def add_sampling_options(
    p: argparse.ArgumentParser,
    *,
    samples_help: str = "Latin hypercube samples",
    written_help: str = "only the ranges written in the files",
) -> None:
    """``--samples``, ``--sample-replications`` and ``--written-only`` (sensitivity and the
    business case)."""
    p.add_argument("--samples", type=int, default=0, metavar="N", help=samples_help)
    p.add_argument(
        "--sample-replications",
        type=positive_int,
        default=5,
        metavar="N",
        help="replications of every sampled run (default 5)",
    )
    p.add_argument("--written-only", action="store_true", help=written_help)


def samples_of(args: argparse.Namespace) -> int:
    """``--samples``, refused when negative."""
    if args.samples < 0:
        from sim.errors import OfficesimError

        raise OfficesimError(f"--samples must be 0 or more, got {args.samples}")
    return int(args.samples)


def add_robustness_options(p: argparse.ArgumentParser, *, best: str) -> None:
    """``--robustness`` and the analysis options, for ``compare`` and ``sweep`` (``best``
    says what the probability is of)."""
    p.add_argument(
        "--robustness",
        action="store_true",
        help="also analyse how robust the verdict is: tornado of the assumptions and, with "
        f"--samples, the probability {best}",
    )
    add_sensitivity_options(p, kpi_flag="--robustness-kpi")


def compare_robustness(
    args: argparse.Namespace, result: CompareResult, out: Path
) -> SensitivityResult:
    """The sensitivity of the difference between the first option and the best other one."""
    from sim.errors import OfficesimError

    kpi = args.kpi
    means = [s[kpi].mean if kpi in s else math.nan for s in result.summaries[1:]]
    if all(math.isnan(m) for m in means):
        raise OfficesimError.single(
            "--robustness-kpi", "", f"no KPI {kpi!r} in the compared options"
        )
    pick = max if args.higher_is_better else min
    best = 1 + means.index(pick(m for m in means if not math.isnan(m)))
    chosen = [args.scenarios[0], args.scenarios[best]]
    args.resume = True  # the compare runs just stored are the analysis's base runs
    return run_analysis(args, chosen, out)


def sweep_robustness_of(
    args: argparse.Namespace, result: SweepResult, out: Path
) -> SweepRobustness:
    """The sensitivity of the difference between the sweep's best variant and the runner-up,
    its cost stated first (on stderr when stdout is JSON)."""
    import sys

    from sim.experiment.robustness import plan_sweep_robustness, sweep_robustness

    plan = plan_sweep_robustness(result, sensitivity_options(args))
    print(
        f"robustness of the best variant on {args.kpi}: {plan.describe()}",
        file=sys.stderr if args.json else sys.stdout,
    )
    args.resume = True  # the sweep runs just stored are the analysis's base runs
    with TallyProgress("runs", quiet=args.quiet) as progress:
        return sweep_robustness(plan=plan, execution=execution_of(args, out, progress.update))


def sensitivity_options(args: argparse.Namespace) -> SensitivityOptions:
    """The analysis options the command-line arguments stand for."""
    from sim.experiment.sensitivity import SensitivityOptions

    return SensitivityOptions(
        kpi=args.kpi,
        replications=args.replications,
        samples=samples_of(args),
        sample_replications=args.sample_replications,
        seed=args.seed,
        overrides=tuple(args.overrides),
        documented=not args.written_only,
        lower_is_better=not args.higher_is_better,
    )


def run_analysis(args: argparse.Namespace, scenarios: list[Path], out: Path) -> SensitivityResult:
    """State the analysis's cost, then run it with progress into ``out``'s store."""
    from sim.experiment.sensitivity import plan_sensitivity, sensitivity

    plan = plan_sensitivity(scenarios, sensitivity_options(args))
    print(f"sensitivity of {args.kpi}: {plan.describe()}")
    with TallyProgress("runs", quiet=args.quiet) as progress:
        return sensitivity(plan=plan, execution=execution_of(args, out, progress.update))


def _value(x: float, unit: str | None) -> str:
    from sim.units import format_duration

    return format_duration(x) if unit == "s" else f"{x:g}"


def print_analysis(result: SensitivityResult) -> None:
    """The verdict, the tornado's leading bars and the sampled probability."""
    print(f"  verdict: {result.verdict()}")
    value = "difference" if result.is_difference else result.kpi
    print(f"  tornado ({value} at each assumption's low / high value, others at their point):")
    shown = [t for t in result.tornado if t.swing > 0][:TORNADO_LINES]
    for t in shown:
        print(
            f"    {t.factor:<48} {_value(t.low, t.unit):>8} -> {t.at_low.mean:>10,.2f}   "
            f"{_value(t.high, t.unit):>8} -> {t.at_high.mean:>10,.2f}   swing {t.swing:,.2f}"
        )
    still = len([t for t in result.tornado if t.swing == 0])
    if still:
        print(f"    ({still} assumption(s) did not move it at all)")
    p = result.probabilistic
    if p is not None:
        holds = result.holds_probability()
        if holds is not None and not math.isnan(holds[0]):
            print(
                f"  probability the verdict holds: {holds[0]:.0%} (95% CI {holds[1]:.0%} to "
                f"{holds[2]:.0%}; {p.samples} Latin hypercube samples)"
            )
        print(
            f"  across the assumptions: mean {p.mean:,.2f}, 90% of samples {p.p05:,.2f} to "
            f"{p.p95:,.2f}; spread from assumptions sd {p.assumption_sd:,.2f}, simulation noise "
            f"sd {p.noise_sd:,.2f} ({p.noise_share:.0%} of the variance)"
        )
    worth = result.worth_measuring()
    if worth:
        print("  worth measuring before deciding: " + ", ".join(t.factor for t in worth))


def tornado_rows(bars: Sequence[TornadoBar]) -> list[dict[str, Any]]:
    """The rows of tornado.csv: each factor's range, value at low and high, paired changes."""
    return [
        {
            "factor": t.factor,
            "key": t.key,
            "origin": t.origin,
            "low": t.low,
            "mode": t.mode,
            "high": t.high,
            "unit": t.unit,
            "value_at_low": t.at_low.mean,
            "value_at_high": t.at_high.mean,
            "change_low_ci_low": t.change_low.ci_low,
            "change_low_ci_high": t.change_low.ci_high,
            "change_high_ci_low": t.change_high.ci_low,
            "change_high_ci_high": t.change_high.ci_high,
            "swing": t.swing,
        }
        for t in bars
    ]


def analysis_tables(result: SensitivityResult) -> dict[str, list[dict[str, Any]]]:
    """tornado.csv and, with samples, samples.csv."""
    tables: dict[str, list[dict[str, Any]]] = {"tornado.csv": tornado_rows(result.tornado)}
    p = result.probabilistic
    if p is not None:
        names = [f.name for f in result.factors]
        tables["samples.csv"] = [
            {
                "sample": s,
                "value": p.values[s],
                "noise_variance": p.noise_variances[s],
                **{
                    n: f.assumption.ppf(p.u[s][j])
                    for j, (n, f) in enumerate(zip(names, result.factors, strict=True))
                },
            }
            for s in range(p.samples)
        ]
    return tables


def _cmd_sensitivity(args: argparse.Namespace) -> int:
    from sim.errors import OfficesimError

    if len(args.scenarios) > 2:
        raise OfficesimError("sensitivity takes one scenario, or two to analyse their difference")
    stems = "-vs-".join(p.stem for p in args.scenarios)
    folder = claim_output(
        args, "sensitivity", list(args.scenarios), Path("reports") / f"sensitivity-{stems}"
    )
    out = folder.path
    result = run_analysis(args, list(args.scenarios), out)
    paths = write_outputs(out, args, "sensitivity", result.to_dict(), analysis_tables(result))
    print_analysis(result)
    finish_output(folder, paths)
    return 0


def add_sensitivity_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``sensitivity`` on the main parser's subparsers."""
    sen = sub.add_parser(
        "sensitivity",
        help="tornado of the assumptions that move a KPI (or two options' difference); "
        "probability the verdict holds",
    )
    sen.add_argument(
        "scenarios",
        type=Path,
        nargs="+",
        metavar="SCENARIO",
        help="one scenario, or two (the difference second - first is analysed)",
    )
    add_common_options(sen)
    add_sensitivity_options(sen)
    add_business_case_command(sub)


def _cmd_business_case(args: argparse.Namespace) -> int:
    from sim.experiment.business_case import (
        BusinessCaseOptions,
        business_case,
        plan_business_case,
    )

    options = BusinessCaseOptions(
        horizon_months=args.months,
        discount_rate=args.discount_rate,
        phases=args.phases,
        replications=args.replications,
        samples=samples_of(args),
        sample_replications=args.sample_replications,
        seed=args.seed,
        overrides=tuple(args.overrides),
        documented=not args.written_only,
        tornado=args.tornado,
    )
    folder = claim_output(
        args,
        "business-case",
        [args.baseline, args.option],
        Path("reports") / f"business-case-{args.baseline.stem}-{args.option.stem}",
    )
    out = folder.path
    plan = plan_business_case(args.baseline, args.option, options)
    print(f"business case over {args.months} months: {plan.describe()}")
    with TallyProgress("runs", quiet=args.quiet) as progress:
        result = business_case(
            args.baseline,
            args.option,
            plan=plan,
            execution=execution_of(args, out, progress.update),
        )
    cumulative = 0.0
    rows = []
    for month, flow in enumerate(result.flows):
        cumulative += flow
        rows.append({"month": month, "cash_flow": flow, "cumulative": cumulative})
    tables = {"cashflow.csv": rows}
    if result.tornado:
        tables["tornado.csv"] = tornado_rows(result.tornado)
    paths = write_outputs(out, args, "business-case", result.to_dict(), tables)
    print_business_case(result)
    finish_output(folder, paths)
    return 0


def _months(m: int | None) -> str:
    return "not within the horizon" if m is None else f"month {m}"


def print_business_case(result: Any) -> None:
    """NPV, payback and break-even with their intervals."""
    n = result.npv
    print(f"  {result.labels[1]} instead of {result.labels[0]}:")
    print(
        f"  NPV over {result.horizon_months} months at {result.discount_rate:.0%} a year: "
        f"{n.mean:,.0f} (95% CI over replications {n.ci_low:,.0f} to {n.ci_high:,.0f})"
    )
    pb = result.payback
    spread = (
        f" (replications: mean {pb.mean:.1f}, 95% CI {pb.ci_low:.1f} to {pb.ci_high:.1f}; "
        f"{result.payback_share:.0%} pay back within the horizon)"
        if pb.n
        else ""
    )
    print(f"  payback: {_months(result.payback_of_mean)}{spread}")
    print(f"  discounted payback: {_months(result.discounted_payback)}")
    be = result.break_even_cost
    print(
        f"  break-even implementation cost: {be.mean:,.0f} "
        f"(95% CI {be.ci_low:,.0f} to {be.ci_high:,.0f})"
    )
    if result.npv_across is not None:
        a, pos = result.npv_across, result.positive
        print(
            f"  across the assumptions ({result.samples} samples): NPV {a.mean:,.0f}, 90% of "
            f"samples {a.p05:,.0f} to {a.p95:,.0f}; P(NPV > 0) = {pos[0]:.0%} "
            f"(95% CI {pos[1]:.0%} to {pos[2]:.0%})"
        )
        pa = result.payback_across
        print(
            f"  payback across the assumptions: 90% of samples month {pa.p05:.0f} to {pa.p95:.0f}"
        )
    shown = [t for t in result.tornado if t.swing > 0][:TORNADO_LINES]
    if shown:
        print("  tornado (NPV at each assumption's low / high value, others at their point):")
    for t in shown:
        print(
            f"    {t.factor:<48} {_value(t.low, t.unit):>8} -> {t.at_low.mean:>12,.0f}   "
            f"{_value(t.high, t.unit):>8} -> {t.at_high.mean:>12,.0f}   swing {t.swing:,.0f}"
        )


def add_business_case_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``business-case`` on the main parser's subparsers."""
    bc = sub.add_parser(
        "business-case",
        help="NPV, payback and break-even of an IT option against the baseline over months",
    )
    bc.add_argument("baseline", type=Path, help="the office as it is")
    bc.add_argument("option", type=Path, help="the office with the new IT (with it.rollout)")
    add_common_options(bc)
    bc.add_argument("--months", type=positive_int, default=36, help="horizon (default 36)")
    bc.add_argument(
        "--discount-rate",
        type=float,
        default=0.08,
        metavar="R",
        help="annual discount rate (default 0.08)",
    )
    bc.add_argument(
        "--phases", type=positive_int, default=3, help="simulated phases of the ramp (default 3)"
    )
    add_sampling_options(bc)
    bc.add_argument(
        "--tornado",
        action="store_true",
        help="also run every assumption at its low and high value: which move the NPV most",
    )


SENSITIVITY_COMMANDS = {"sensitivity": _cmd_sensitivity, "business-case": _cmd_business_case}

"""``officesim stack SCENARIO``: which team on which floor; thin over
:func:`sim.experiment.stacking.stack_plans`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.cli.experiments import (
    add_output_option,
    add_quiet_option,
    claim_output,
    finish_output,
    positive_int,
    write_outputs,
)

if TYPE_CHECKING:
    from sim.experiment.stacking import StackResult


def add_stack_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``stack`` on the main parser's subparsers."""
    from sim.cli.report import add_report_options

    p = sub.add_parser(
        "stack",
        help="stack plans: which team on which floor, ranked by walking between teams and rent",
    )
    p.add_argument("scenario", type=Path, help="scenario with a space section and adjacency")
    p.add_argument("--top", type=positive_int, default=10, help="plans to list (default 10)")
    p.add_argument(
        "--method",
        choices=["auto", "exhaustive", "heuristic"],
        default="auto",
        help="auto (default): every plan while levels^teams <= 100,000, else greedy placement "
        "improved by moves, pairwise swaps and level exchanges",
    )
    p.add_argument(
        "--walk-value",
        type=float,
        metavar="PER_HOUR",
        help="value of an hour of walking: rank by rent + walking so valued per month "
        "(default: by walking, then rent)",
    )
    p.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY.PATH=VALUE",
        help="override a scenario value (repeatable)",
    )
    add_output_option(p, "reports/NAME-stack")
    p.add_argument(
        "--force", action="store_true", help="replace an output folder of another command"
    )
    add_quiet_option(p, "print only the files written")
    add_report_options(p, event_log=False)


def stack_rows(result: StackResult) -> list[dict[str, Any]]:
    """stack_plans.csv: one row per plan (the scenario's own stack as rank 0), a column per
    team with its level."""
    plans = ([result.current] if result.current is not None else []) + result.plans
    return [
        {
            "rank": p.rank,
            "walk_min_per_day": p.walk_min_per_day,
            "rent_per_month": p.rent_per_month,
            "cost_per_month": p.cost_per_month,
            "pareto": p.pareto,
            **{f"level.{team}": lv for team, lv in p.levels.items()},
        }
        for p in plans
    ]


def _print(result: StackResult) -> None:
    how = "every feasible plan" if result.method == "exhaustive" else "heuristic search"
    print(f"{result.scenario_name}: {result.evaluated} stack plans evaluated ({how})")
    if result.current is not None:
        c = result.current
        state = "" if result.current_feasible else " (over capacity)"
        print(
            f"  current{state}: {c.walk_min_per_day:,.1f} min walking/day, "
            f"rent {c.rent_per_month:,.0f}/month"
        )
    for p in result.plans:
        levels = ", ".join(f"{t}@{lv}" for t, lv in p.levels.items())
        print(
            f"  {p.rank:>2}. {p.walk_min_per_day:>8,.1f} min/day  rent {p.rent_per_month:>10,.0f}"
            f"  {levels}"
        )


def cmd_stack(args: argparse.Namespace) -> int:
    """Search the stack plans and write results.json, stack_plans.csv and the report."""
    from sim.errors import OfficesimError
    from sim.experiment.stacking import StackOptions, stack_plans
    from sim.results.folders import default_folder

    if args.walk_value is not None and not args.walk_value >= 0:
        raise OfficesimError.single(
            "--walk-value", "", f"expected 0 or more money per hour, got {args.walk_value}"
        )
    result = stack_plans(
        args.scenario,
        StackOptions(
            top=args.top,
            method=args.method,
            walk_value_per_hour=args.walk_value,
            overrides=tuple(args.overrides),
        ),
    )
    args.resume = False
    folder = claim_output(
        args,
        "stack",
        [args.scenario],
        default_folder(args.scenario.stem, args.overrides, kind="stack"),
    )
    out = folder.path
    paths = write_outputs(
        out, args, "stack", result.to_dict(), {"stack_plans.csv": stack_rows(result)}
    )
    if not args.quiet:
        _print(result)
    finish_output(folder, paths)
    return 0


STACK_COMMANDS = {"stack": cmd_stack}

"""Subcommands for experiments over several scenarios or variants (compare, sweep, optimize).

Each writes results.json and CSV tables atomically into its output folder, next to the
``store.sqlite`` that keeps every finished replication (``--resume`` continues from it).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.cli.progress import ProgressBars
from sim.errors import OfficesimError
from sim.experiment.options import Execution, TallyCallback

if TYPE_CHECKING:
    from sim.experiment.replicate import Tally
    from sim.forked import Standby
    from sim.results.folders import OutputFolder
    from sim.results.output import Handover

EXPERIMENT_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}
"""Command name → handler; each handler returns the exit code."""


def add_execution_options(p: argparse.ArgumentParser) -> None:
    """``--jobs``, ``--dask`` and ``--resume`` (shared with ``officesim run``)."""
    p.add_argument(
        "-j",
        "--jobs",
        type=positive_int,
        metavar="N",
        help="worker processes (default: all cores; 1 runs in this process)",
    )
    p.add_argument(
        "--dask",
        metavar="ADDR",
        help="run on a Dask cluster: tcp://HOST:PORT, or 'local' to start one on this machine "
        "(needs the 'dask' extra)",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="keep the replications already in the output folder's store; run only the rest",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="replace an output folder that holds results of another scenario or other --set",
    )


def add_common_options(p: argparse.ArgumentParser, *, event_log: bool = False) -> None:
    """Options of every command that simulates: output, replications, seed, overrides,
    execution, quiet, and the report options (``--event-log`` only where it is meaningful)."""
    add_output_option(p, "under reports/")
    add_size_options(p)
    p.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY.PATH=VALUE",
        help="override a scenario value, e.g. --set staff.teller.count=4 (repeatable)",
    )
    add_execution_options(p)
    add_quiet_option(p, "no progress display")
    from sim.cli.report import add_report_options

    add_report_options(p, event_log=event_log)


def add_output_option(p: argparse.ArgumentParser, default: str) -> None:
    """``-o/--output FOLDER`` (``default`` says where it goes without)."""
    p.add_argument("-o", "--output", type=Path, help=f"output folder (default: {default})")


def add_quiet_option(p: argparse.ArgumentParser, what: str) -> None:
    """``-q/--quiet`` (``what`` says what it leaves out)."""
    p.add_argument("-q", "--quiet", action="store_true", help=what)


def add_size_options(
    p: argparse.ArgumentParser,
    *,
    replications: int | None = None,
    seed: int | None = None,
    replications_help: str = "override the number of replications",
    seed_help: str = "override the root seed",
) -> None:
    """``-n/--replications N`` and ``--seed N`` (defaults None: the scenario's own)."""
    p.add_argument(
        "-n", "--replications", type=positive_int, default=replications, help=replications_help
    )
    p.add_argument("--seed", type=int, default=seed, help=seed_help)


def write_outputs(
    out: Path,
    args: argparse.Namespace,
    kind: str,
    body: dict[str, Any],
    tables: dict[str, list[dict[str, Any]]],
) -> list[Path]:
    """results.json of ``kind`` with its CSV tables, then the report the options ask for."""
    from sim.results.output import experiment_document, write_experiment

    doc = experiment_document(kind, body, command=args.command_line)
    written = write_experiment(out, doc, tables, handover_of(out, args, list(tables)))
    return written + report_paths(args)


def execution_of(
    args: argparse.Namespace, out: Path, progress: TallyCallback | None = None
) -> Execution:
    """The execution settings the common options stand for (the store lives in ``out``)."""
    return Execution(
        jobs=args.jobs,
        dask=args.dask,
        store=out,
        resume=args.resume,
        command=args.command_line,
        progress=progress,
        meanwhile=warm_up_writers if getattr(args, "standby", None) is None else None,
    )


def warm_up_writers() -> None:
    """Import the libraries the command's result files are written with (openpyxl, pyarrow),
    while worker processes simulate (:attr:`sim.experiment.options.Execution.meanwhile`); not
    needed when the report's standby copy writes those files (:func:`handover_of`)."""
    from sim.results.workbook import warm_up

    warm_up()


def scenario_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    """The API keyword arguments for replication count, seed and ``--set`` overrides."""
    return {"replications": args.replications, "seed": args.seed, "overrides": args.overrides}


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {value}")
    return value


def claim_output(
    args: argparse.Namespace, command: str, scenarios: list[Path], default: Path
) -> OutputFolder:
    """Claim the command's output folder (``-o`` or ``default``) and stage it for writing.

    Called after the input is validated, so a refused command creates nothing. A command
    that will render a report starts its report's standby copy here (:func:`report_standby`),
    with the input loaded, so that the copy inherits it and loads only the report layer.
    """
    from sim.results.folders import FolderInputs, claim_output_folder

    args.standby = report_standby(args)

    inputs = FolderInputs.of(command, scenarios, args.overrides)
    folder = claim_output_folder(args.output or default, inputs, force=args.force)
    folder.stage(resume=args.resume)
    folder.record(inputs)
    return folder


def finish_output(folder: OutputFolder, paths: list[Path], *, stderr: bool = False) -> None:
    """Swap the complete output in and say where it went (on stderr when stdout is JSON)."""
    folder.commit()
    _say_written(folder.shown, [folder.final(p) for p in paths], stderr=stderr)


def _say_written(out: Path, paths: list[Path], *, stderr: bool = False) -> None:
    from sim.cli.console import print_written

    print_written(out, paths, stderr=stderr)


SIMULATING_COMMANDS = frozenset(
    {"run", "compare", "sweep", "optimize", "stack", "sensitivity", "business-case"}
)
"""The commands that simulate before they render their report (see :func:`handover_of`)."""


def report_standby(args: argparse.Namespace) -> Standby[list[Path]] | None:
    """The standby copy that will render the command's report (:class:`sim.forked.Standby`),
    importing the report layer meanwhile, when the command simulates and will render a report
    (``args.report`` or ``args.pdf``); else None.

    Given the job by :func:`handover_of`; :func:`sim.cli.main.main` closes it when the command
    ends. The copy also loads the libraries of ``kpis.xlsx`` and ``kpis.parquet`` and writes those
    files beside the report (:func:`handover_of`): they load on the core the simulation leaves
    free, not after the results, when the report's charts need both cores.
    """
    if args.command not in SIMULATING_COMMANDS or not (args.report or args.pdf):
        return None
    from sim.forked import Standby
    from sim.report import RENDER_MODULES, prepare_render

    return Standby(RENDER_MODULES, prepare_render)


def handover_of(out: Path, args: argparse.Namespace, tables: list[str]) -> Handover:
    """What follows the writing of results.json and the CSV ``tables`` (file names) into
    ``out``: the report's standby copy, when there is one, renders the report and writes the
    analyst files (:func:`render_folder_report`); else they are written here."""
    from sim.results.output import Handover

    standby = getattr(args, "standby", None)
    if standby is None:
        return Handover()
    return Handover(
        then=lambda: standby.start(render_folder_report, out, args.pdf, args.png, tables),
        analyst_tables=False,
    )


def report_paths(args: argparse.Namespace) -> list[Path]:
    """The paths of the report (and analyst files) :func:`handover_of` started, once written;
    [] if none."""
    standby = getattr(args, "standby", None)
    return [] if standby is None else standby.result()


def render_folder_report(out: Path, pdf: bool, png: bool, tables: Sequence[str] = ()) -> list[Path]:
    """Render the report of the results folder ``out`` into it; return the paths written.

    With ``tables`` (CSV file names of the folder), also write their analyst files while the
    report renders (:func:`sim.results.output.write_analyst_tables_of`).
    """
    from sim.report import render_report
    from sim.report.writer import read_results
    from sim.results.output import write_analyst_tables_of

    doc = read_results(out)
    if not tables:
        return render_report(doc, out, pdf=pdf, png=png)
    with write_analyst_tables_of(out, doc, tables) as analyst:
        paths = render_report(doc, out, pdf=pdf, png=png)
    return [*analyst, *paths]


def add_experiment_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the experiment subcommands on the main parser's subparsers."""
    cmp = sub.add_parser(
        "compare",
        help="run options with common random numbers; differences against the first with CIs",
    )
    cmp.add_argument("scenarios", type=Path, nargs="+", metavar="SCENARIO", help="2 or more")
    add_common_options(cmp)
    add_answer_options(cmp)
    from sim.cli.sensitivity import add_robustness_options

    add_robustness_options(cmp, best="the best option beats the first")
    swp = sub.add_parser("sweep", help="run every variant a scenario declares; one table")
    swp.add_argument("scenario", type=Path)
    add_common_options(swp)
    add_answer_options(swp)
    add_robustness_options(swp, best="the best variant beats the runner-up")
    opt = sub.add_parser("optimize", help="find the cheapest staffing that meets the targets")
    opt.add_argument("scenario", type=Path)
    add_common_options(opt)
    opt.add_argument("--roles", help="comma-separated roles to optimise (default: all)")
    opt.add_argument(
        "--max-replications",
        type=positive_int,
        metavar="N",
        help="most replications for a plan the CIs cannot decide (default: 4 x replications)",
    )
    opt.add_argument(
        "--max-steps", type=positive_int, default=60, help="most search steps (default 60)"
    )


class TallyProgress(ProgressBars):
    """Replications and units (options, variants, plans) done, with an ETA."""

    def __init__(self, unit_label: str, *, quiet: bool = False):
        super().__init__(["replications", unit_label], quiet=quiet)
        self.unit_label = unit_label

    def update(self, tally: Tally) -> None:
        """Show a tally."""
        self.set("replications", tally.replications_done, tally.replications_total)
        self.set(self.unit_label, tally.units_done, tally.units_total)


def add_answer_options(p: argparse.ArgumentParser) -> None:
    """``--kpi PATTERN`` (more rows in the decision table) and ``--json`` (summary on stdout)."""
    p.add_argument(
        "--kpi",
        dest="kpi_patterns",
        action="append",
        default=[],
        metavar="PATTERN",
        help="also show KPIs whose key matches this shell pattern, e.g. 'team.*.utilization' "
        "(repeatable)",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="write the decision summary as JSON to stdout (other messages go to stderr)",
    )


def _answer(args: argparse.Namespace, kind: str, title: str, result: Any, *, paired: bool) -> None:
    """Print the decision of a compare or sweep ``result``: a table, or JSON with --json."""
    from sim.cli.decision import decision_json, print_decision

    outcomes = result.outcomes()
    decision = result.decision(args.kpi_patterns)
    if args.json:
        print(decision_json(kind, decision.question, outcomes, decision))
    else:
        print_decision(title, outcomes, decision, currency=_currency(result), paired=paired)


def _currency(result: Any) -> str:
    """The cost model's currency of a compare (its first option) or sweep result."""
    definitions = getattr(result, "definitions", None)
    definition = definitions[0] if definitions else getattr(result, "definition", None)
    return str(((definition or {}).get("costs") or {}).get("currency", "EUR"))


def _warn_each(args: argparse.Namespace) -> None:
    """Print each option's warnings once, before the options run."""
    from sim.cli.console import print_warnings
    from sim.experiment.inputs import load_scenario

    for path in args.scenarios:
        print_warnings(load_scenario(path, args.overrides), path)


def _cmd_compare(args: argparse.Namespace) -> int:
    from sim.experiment.comparison import compare

    if len(args.scenarios) < 2:
        raise OfficesimError("compare needs at least two scenario files")
    from sim.experiment.replicate import prepare
    from sim.results.folders import default_folder

    for option in args.scenarios:  # validate every option before creating any folder
        prepare(option, replications=args.replications, seed=args.seed, overrides=args.overrides)
    stems = "-vs-".join(p.stem for p in args.scenarios[:3])
    _warn_each(args)
    folder = claim_output(
        args, "compare", args.scenarios, default_folder(f"compare-{stems}", args.overrides)
    )
    out = folder.path
    with TallyProgress("options", quiet=args.quiet) as progress:
        result = compare(
            args.scenarios,
            execution=execution_of(args, out, progress.update),
            **scenario_kwargs(args),
        )
    body = result.to_dict()
    robust = None
    if args.robustness:
        from sim.cli.sensitivity import compare_robustness

        robust = compare_robustness(args, result, out)
        body["robustness"] = robust.to_dict()
    paths = write_outputs(out, args, "compare", body, {"kpis.csv": result.rows()})
    title = (
        f"{len(result.labels)} options x {result.replications} replication(s), seed "
        f"{result.seed}, common random numbers"
    )
    _answer(args, "compare", title, result, paired=True)
    if robust is not None and not args.json:
        from sim.cli.sensitivity import print_analysis

        print(f"robustness of {robust.labels[1]} vs {robust.labels[0]} ({robust.kpi}):")
        print_analysis(robust)
    finish_output(folder, paths, stderr=args.json)
    return 0


def _cmd_sweep(args: argparse.Namespace) -> int:
    from sim.experiment.sweeps import load_variants, sweep
    from sim.results.folders import default_folder

    # Validate every variant (and the robustness options) before creating any folder.
    load_variants(
        args.scenario, replications=args.replications, seed=args.seed, overrides=args.overrides
    )
    if args.robustness:
        from sim.cli.sensitivity import sensitivity_options

        sensitivity_options(args)
    folder = claim_output(
        args,
        "sweep",
        [args.scenario],
        default_folder(args.scenario.stem, args.overrides, kind="sweep"),
    )
    out = folder.path
    with TallyProgress("variants", quiet=args.quiet) as progress:
        result = sweep(
            args.scenario,
            execution=execution_of(args, out, progress.update),
            **scenario_kwargs(args),
        )
    body = result.to_dict()
    robust = None
    if args.robustness:
        from sim.cli.sensitivity import sweep_robustness_of

        robust = sweep_robustness_of(args, result, out)
        body["robustness"] = robust.to_dict()
    paths = write_outputs(out, args, "sweep", body, {"kpis.csv": result.rows()})
    title = f"{result.scenario_name}: {len(result.variants)} variant(s), seed {result.seed}"
    _answer(args, "sweep", title, result, paired=False)
    if robust is not None and not args.json:
        from sim.cli.sensitivity import print_analysis

        a = robust.analysis
        print(f"robustness of {a.labels[1]} (best) vs {a.labels[0]} (runner-up) ({a.kpi}):")
        print_analysis(a)
    finish_output(folder, paths, stderr=args.json)
    return 0


def _cmd_optimize(args: argparse.Namespace) -> int:
    from sim.experiment.optimizer import OptimizeSearch, optimize
    from sim.experiment.replicate import prepare
    from sim.results.folders import default_folder
    from sim.results.headline import format_estimate, headline_rows, pattern_of

    # Validate before creating any folder.
    prepare(args.scenario, replications=args.replications, seed=args.seed, overrides=args.overrides)
    folder = claim_output(
        args,
        "optimize",
        [args.scenario],
        default_folder(args.scenario.stem, args.overrides, kind="optimize"),
    )
    out = folder.path
    roles = [r.strip() for r in args.roles.split(",") if r.strip()] if args.roles else None
    with TallyProgress("plans", quiet=args.quiet) as progress:
        result = optimize(
            args.scenario,
            search=OptimizeSearch(
                roles=roles, max_replications=args.max_replications, max_steps=args.max_steps
            ),
            execution=execution_of(args, out, progress.update),
            **scenario_kwargs(args),
        )
    tables = {
        "kpis.csv": [{"kpi": k, **e.to_dict()} for k, e in result.kpis.items()],
        "trace.csv": [{**t.to_row(), "objective": result.objective} for t in result.trace],
    }
    paths = write_outputs(out, args, "optimize", result.to_dict(), tables)
    state = "meets the targets" if result.feasible else "NO plan found that meets the targets"
    print(f"{result.scenario_name}: {state}; {len(result.trace)} plan evaluations")
    print(f"  objective (minimised): {result.objective}")
    for role, spec in result.plan.items():
        if "count" in spec:
            print(f"  {role}: {spec['count']}")
        else:
            shifts = ", ".join(f"{s['start']}-{s['end']} x{s['count']}" for s in spec["shifts"])
            print(f"  {role}: {shifts}")
    print(f"  {result.objective}: {format_estimate(result.cost, '{:,.1f}')}")
    for label, value in headline_rows(result.kpis):
        print(f"  {label}: {value}")
    for t in result.targets:
        print(f"  {t.name}: {t.verdict} ({format_estimate(t.estimate, pattern_of(t.kpi))})")
    print("  apply with: " + " ".join(f"--set {o}" for o in result.overrides))
    finish_output(folder, paths)
    return 0


EXPERIMENT_COMMANDS.update(
    {"compare": _cmd_compare, "sweep": _cmd_sweep, "optimize": _cmd_optimize}
)

"""The ``officesim`` command: parse arguments, call the API, print. Nothing else lives here.

Exit codes: 0 success, 2 invalid input (one line per problem, no traceback), 3 the machine
stopped the work (disk full, read-only or forbidden folder, damaged results store, unreachable
Dask scheduler, out of memory), 1 internal error, 130 interrupted. docs/errors.md lists them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

EXIT_OK, EXIT_INTERNAL, EXIT_INVALID, EXIT_RESOURCE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def _parser() -> argparse.ArgumentParser:
    from sim.cli.calibrate import add_calibrate_command
    from sim.cli.experiments import add_common_options, add_experiment_commands
    from sim.cli.report import add_report_commands
    from sim.version import __version__

    p = argparse.ArgumentParser(
        prog="officesim",
        description="Simulate an office's front-office client flows and staffing from a scenario "
        "file, and report waiting times, lost clients, utilisation and cost.",
    )
    p.add_argument("--version", action="version", version=f"officesim {__version__}")
    p.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run a scenario and write results.json and kpis.csv")
    run.add_argument("scenario", type=Path, help="scenario YAML file")
    add_common_options(run, event_log=True)

    val = sub.add_parser("validate", help="check a scenario file without running it")
    val.add_argument("scenario", type=Path)
    val.add_argument("--set", dest="overrides", action="append", default=[], metavar="K=V")

    sub.add_parser("schema", help="print the scenario JSON Schema (for editor autocompletion)")

    lay = sub.add_parser("layout", help="check or draw a floor plan")
    lsub = lay.add_subparsers(dest="layout_command", required=True, metavar="ACTION")
    check = lsub.add_parser("check", help="list every problem of a floor plan (exit 2 if any)")
    check.add_argument("plan", type=Path, help="GeoJSON, shorthand YAML, IMDF (zip/folder), DXF")
    check.add_argument("--layer-map", type=Path, help="DXF layer-to-category map (YAML)")
    show = lsub.add_parser("show", help="draw a floor plan to PNG or SVG")
    show.add_argument("plan", type=Path)
    show.add_argument("-o", "--output", type=Path, required=True, help="image file (.png/.svg)")
    show.add_argument("--network", action="store_true", help="overlay the walking network")
    show.add_argument(
        "--traffic", type=Path, metavar="RESULTS_JSON", help="overlay walking traffic of a run"
    )
    show.add_argument("--layer-map", type=Path, help="DXF layer-to-category map (YAML)")

    add_experiment_commands(sub)
    from sim.cli.sensitivity import add_sensitivity_commands

    add_sensitivity_commands(sub)
    from sim.cli.stacking import add_stack_command

    add_stack_command(sub)
    add_report_commands(sub)
    add_calibrate_command(sub)
    return p


def _shown(message: str) -> str:
    """A message naming output folders as the user named them (not their staging copies)."""
    folders = sys.modules.get("sim.results.folders")
    return folders.shown_path(message) if folders is not None else message


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script and of ``python -m sim`` (``argv`` None: the
    process's own command line, after which the process ends)."""
    if argv is None:
        _few_collections_in_this_command()
    words = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(words)
    args.command_line = ["officesim", *words]
    from sim.errors import OfficesimError, ResourceError, resource_error

    try:
        from sim.cli.calibrate import cmd_calibrate
        from sim.cli.experiments import EXPERIMENT_COMMANDS
        from sim.cli.report import REPORT_COMMANDS
        from sim.cli.sensitivity import SENSITIVITY_COMMANDS
        from sim.cli.stacking import STACK_COMMANDS

        handlers = {
            "run": _cmd_run,
            "validate": _cmd_validate,
            "schema": _cmd_schema,
            "layout": _cmd_layout,
            **EXPERIMENT_COMMANDS,
            **SENSITIVITY_COMMANDS,
            **STACK_COMMANDS,
            **REPORT_COMMANDS,
            "calibrate": cmd_calibrate,
        }
        return handlers[args.command](args)
    except OfficesimError as exc:
        for problem in exc.problems:
            print(f"error: {_shown(str(problem))}", file=sys.stderr)
        return EXIT_RESOURCE if isinstance(exc, ResourceError) else EXIT_INVALID
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of our output went away (e.g. `| head`): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        print(f"error: {_shown(str(resource_error(exc).problems[0]))}", file=sys.stderr)
        return EXIT_RESOURCE
    except MemoryError:
        print(
            "error: officesim: out of memory; lower --jobs or the replications, or close other "
            "programs",
            file=sys.stderr,
        )
        return EXIT_RESOURCE
    except Exception as exc:
        if args.debug:
            raise
        print(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in officesim; rerun with --debug for details and report it.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    finally:
        if getattr(args, "standby", None) is not None:
            args.standby.close()  # the report's copy, unless the report was rendered
        if "sim.results.folders" in sys.modules:
            sys.modules["sim.results.folders"].release_output_folders()
        if argv is None:
            _leave_heap_to_the_system()


def _few_collections_in_this_command() -> None:
    """Wake the cyclic garbage collector seldom for the rest of this command.

    A command spends its first half second importing (numpy, pydantic's models, networkx,
    then openpyxl, pyarrow, matplotlib): hundreds of thousands of modules, functions, classes
    and their data, which live until the command ends. Python's default collector makes a pass
    every 700 allocations and finds nothing; those passes took about a seventh of the import
    time. Cycles are still collected,
    every ``YOUNG_THRESHOLD`` allocations. Only the command's own process does this (and the
    workers it forks), never an API caller.
    """
    import gc

    from sim.collector import YOUNG_THRESHOLD

    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)


def _leave_heap_to_the_system() -> None:
    """Spare the process's last garbage collection: it is about to end.

    At exit Python collects every object the imports made (scipy, pydantic, shapely, ...),
    about a quarter of a second that frees nothing the operating system would not free at
    once. Every file officesim writes is closed and in place before this point, so nothing
    waits on a finaliser. Only the command's own process does this, never an API caller.
    """
    import gc

    gc.freeze()


def _cmd_validate(args: argparse.Namespace) -> int:
    from sim.cli.console import print_warnings
    from sim.experiment.inputs import load_scenario

    sc = load_scenario(args.scenario, args.overrides)
    print_warnings(sc, args.scenario)
    if not sc.client_classes and sc.back_office is not None:
        teams = ", ".join(sc.back_office.teams)
        print(f"{args.scenario}: valid — '{sc.name}', a back office on its own; teams: {teams}")
        return EXIT_OK
    classes = ", ".join(sc.client_classes)
    roles = ", ".join(f"{n}" for n in sc.staff)
    print(f"{args.scenario}: valid — '{sc.name}', client classes: {classes}; roles: {roles}")
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    from sim.scenario.schema import schema_text

    sys.stdout.write(schema_text())
    return EXIT_OK


def _cmd_layout(args: argparse.Namespace) -> int:
    from sim.errors import LayoutError, OfficesimError
    from sim.layout import check_floor
    from sim.layout.formats.floors import is_floor_list_file
    from sim.layout.load import read_floor

    if args.layer_map is None and (
        is_floor_list_file(args.plan) or _building_levels(args.plan) > 1
    ):
        return _layout_building(args)
    floor, problems = read_floor(args.plan, layer_map=args.layer_map)
    problems = [*problems, *check_floor(floor, str(args.plan))]
    if args.layout_command == "check":
        if problems:
            raise LayoutError(problems)
        print(
            f"{args.plan}: OK — {len(floor.spaces)} spaces, {len(floor.openings)} openings, "
            f"{len(floor.points)} points of interest"
        )
        return EXIT_OK
    if problems:
        raise LayoutError(problems)
    if args.output.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise OfficesimError.single(
            str(args.output), "", "the image file name must end in .png, .svg or .pdf"
        )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    from sim.layout import save_floor_image, walk_network
    from sim.report.traffic import load_edge_traffic

    traffic = load_edge_traffic(args.traffic) if args.traffic else None
    network = walk_network(floor) if (args.network or traffic is not None) else None
    out = save_floor_image(floor, args.output, network=network, traffic=traffic, title=floor.name)
    print(f"wrote {out}")
    return EXIT_OK


def _building_levels(plan: Path) -> int:
    """How many levels a GeoJSON or IMDF plan has (1 for other formats)."""
    if plan.suffix.lower() not in (".geojson", ".json", ".zip") and not plan.is_dir():
        return 1
    from sim.layout.formats.levels import read_levels

    building, _ = read_levels(plan)
    return len(building.levels)


def _layout_building(args: argparse.Namespace) -> int:
    """``layout check`` / ``layout show`` for a plan with several levels."""
    from sim.errors import LayoutError, OfficesimError
    from sim.layout.building import check_building
    from sim.layout.formats.levels import read_levels

    building, problems = read_levels(args.plan)
    problems = [*problems, *check_building(building, str(args.plan))]
    if problems:
        raise LayoutError(problems)
    if args.layout_command == "check":
        stops = ", ".join(f"{c.kind} {c.id!r} ({len(c.stops)} levels)" for c in building.connectors)
        print(
            f"{args.plan}: OK — {len(building.levels)} levels, "
            f"{sum(len(lv.floor.spaces) for lv in building.levels)} spaces; {stops}"
        )
        return EXIT_OK
    if args.output.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise OfficesimError.single(
            str(args.output), "", "the image file name must end in .png, .svg or .pdf"
        )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    from sim.layout.draw_building import save_building_image

    print(f"wrote {save_building_image(building, args.output)}")
    return EXIT_OK


def _cmd_run(args: argparse.Namespace) -> int:
    from sim.cli.console import print_summary
    from sim.cli.experiments import claim_output, finish_output, handover_of, report_paths
    from sim.experiment.api import prepare, run
    from sim.results.folders import default_folder
    from sim.results.output import write_results

    scenario = prepare(
        args.scenario, replications=args.replications, seed=args.seed, overrides=args.overrides
    )
    from sim.cli.console import print_warnings

    print_warnings(scenario, args.scenario)
    folder = claim_output(
        args, "run", [args.scenario], default_folder(args.scenario.stem, args.overrides)
    )
    out_dir = folder.path
    command = args.command_line
    from sim.cli.experiments import execution_of
    from sim.cli.progress import ProgressBars

    with ProgressBars(["replications"], quiet=args.quiet) as bars:
        result = run(scenario, execution=execution_of(args, out_dir, bars.tally))
    paths = write_results(
        result,
        scenario,
        out_dir,
        scenario_file=args.scenario,
        command=command,
        handover=handover_of(out_dir, args, ["kpis.csv"]),
    )
    paths += report_paths(args)
    if args.event_log:
        from sim.cli.report import export_event_log

        paths += export_event_log(scenario, out_dir)
    print_summary(scenario, result)
    finish_output(folder, paths)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())

"""Report subcommands (``animate``, ``report``) and the hooks other commands call for reports.

``officesim report FOLDER`` renders a folder's report again from its results.json without
simulating. ``officesim animate SCENARIO`` replays one day of one replication on the floor plan.
Event-log export and animation re-run a single replication with an event log attached, in this
process (the engine is deterministic, so it is the replication the results describe).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sim.errors import OfficesimError

if TYPE_CHECKING:
    from sim.model.eventlog import EventLog
    from sim.scenario.spec import Scenario

PNG_HELP = "also write charts/KEY.png beside every charts/KEY.svg (for slides)"

REPORT_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}
"""Command name → handler; each handler returns the exit code."""


def add_report_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``animate`` and ``report`` on the main parser's subparsers."""
    anim = sub.add_parser(
        "animate", help="replay a simulated day on the floor plan as a GIF (or MP4 with ffmpeg)"
    )
    anim.add_argument("scenario", type=Path, help="scenario YAML file (with a layout)")
    anim.add_argument("-o", "--output", type=Path, required=True, help="day.gif or day.mp4")
    anim.add_argument(
        "--replication", type=int, default=0, metavar="N", help="replication (default 0)"
    )
    anim.add_argument("--day", type=int, default=1, metavar="D", help="day to show (1 = first)")
    anim.add_argument("--fps", type=int, default=12, help="frames per second (default 12)")
    anim.add_argument(
        "--step", type=float, default=1.0, metavar="MIN", help="simulated minutes per frame"
    )
    anim.add_argument("--seed", type=int, help="override the root seed")
    anim.add_argument(
        "--set", dest="overrides", action="append", default=[], metavar="KEY.PATH=VALUE"
    )
    rep = sub.add_parser(
        "report", help="render report.html (and --pdf) of an output folder again, no simulation"
    )
    rep.add_argument("folder", type=Path, metavar="RESULTS_DIR", help="folder with results.json")
    rep.add_argument("--pdf", action="store_true", help="also write report.pdf")
    rep.add_argument("--png", action="store_true", help=PNG_HELP)


NO_REPORT_HELP = "skip report.html and the chart and table files (results.json and kpis.csv only)"


def add_report_options(
    p: argparse.ArgumentParser,
    *,
    event_log: bool = True,
    png: bool = True,
    no_report_help: str = NO_REPORT_HELP,
) -> None:
    """``--pdf``, ``--png`` (unless ``png=False``), ``--no-report`` and, for a run,
    ``--event-log``, for commands that write a report."""
    p.add_argument("--pdf", action="store_true", help="also write report.pdf")
    if png:
        p.add_argument("--png", action="store_true", help=PNG_HELP)
    p.add_argument("--no-report", dest="report", action="store_false", help=no_report_help)
    if not event_log:
        return
    p.add_argument(
        "--event-log",
        action="store_true",
        help="also write events.csv and events.xes of replication 0 (process mining)",
    )


def _check_replication(scenario: Scenario, replication: int) -> None:
    if not 0 <= replication < scenario.replications:
        raise OfficesimError.single(
            "--replication",
            "",
            f"replication {replication} does not exist; the scenario has "
            f"{scenario.replications} (0 to {scenario.replications - 1})",
        )


def record_replication(scenario: Scenario, replication: int = 0) -> EventLog:
    """Run one replication with an event log attached and return the log (held in memory)."""
    from sim.experiment.replication import run_replication
    from sim.model.eventlog import EventLog

    _check_replication(scenario, replication)
    log = EventLog()
    run_replication(scenario, replication, event_log=log)
    return log


def export_event_log(scenario: Scenario, out_dir: Path, replication: int = 0) -> list[Path]:
    """Write events.csv and events.xes of one replication into ``out_dir``.

    The events go to disk in chunks as the replication runs, so memory stays flat however
    many days are simulated.
    """
    from sim.experiment.replication import run_replication
    from sim.model.eventlog import StreamingEventLog
    from sim.report.eventlog_stream import EventSpill

    _check_replication(scenario, replication)
    spill = EventSpill(out_dir)
    log = StreamingEventLog(spill)
    try:
        run_replication(scenario, replication, event_log=log)
        log.flush()
    except BaseException:
        spill.discard()
        raise
    return spill.write(log.cases, name=f"{scenario.name} (replication {replication})")


def animate_scenario(
    scenario: Scenario,
    output: Path,
    *,
    replication: int = 0,
    day: int = 1,
    fps: int = 12,
    minutes_per_frame: float = 1.0,
) -> Path:
    """Animate day ``day`` (1-based) of one replication of a scenario with a layout."""
    from sim.layout import load_floor
    from sim.report.animate import Frames, animate_day

    if scenario.layout is None:
        raise OfficesimError.single(
            "animate", "layout", f"scenario '{scenario.name}' has no floor plan to animate on"
        )
    if not 1 <= day <= scenario.days:
        raise OfficesimError.single(
            "--day", "", f"day {day} does not exist; the scenario simulates days 1-{scenario.days}"
        )
    if fps < 1 or minutes_per_frame <= 0:
        raise OfficesimError.single("animate", "", "--fps and --step must be positive")
    log = record_replication(scenario, replication)
    floor = load_floor(Path(scenario.layout))
    title = f"{scenario.name} · replication {replication} · day {day}"
    frames = Frames(day=day - 1, fps=fps, step=60.0 * minutes_per_frame, title=title)
    return animate_day(log, floor, scenario.echo(), output, frames)


def _cmd_animate(args: argparse.Namespace) -> int:
    from sim.experiment.replicate import prepare

    scenario = prepare(args.scenario, seed=args.seed, overrides=args.overrides)
    out = animate_scenario(
        scenario,
        args.output,
        replication=args.replication,
        day=args.day,
        fps=args.fps,
        minutes_per_frame=args.step,
    )
    print(f"wrote {out}")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from sim.report import write_report

    paths = write_report(args.folder, pdf=args.pdf, png=args.png)
    print(f"wrote {paths[0]} ({len(paths)} files)")
    return 0


REPORT_COMMANDS.update({"animate": _cmd_animate, "report": _cmd_report})

"""``officesim calibrate LOG``: fit a scenario to a ticket, call or task log, report, validate."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from sim.errors import LogFileError

INTERVALS = {"15": 900.0, "30": 1800.0, "60": 3600.0}
FORMAT_NAMES = ("callcenter", "tickets", "tasks")
"""The presets of ``sim.logs`` (named here so that building the parser imports no numpy)."""


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date such as 1999-02-07, got {text!r}"
        ) from None


def _seconds(text: str) -> float:
    from sim.units import parse_duration

    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_calibrate_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``calibrate`` subcommand and its options."""
    from sim.cli.experiments import (
        add_output_option,
        add_quiet_option,
        add_size_options,
        positive_int,
    )
    from sim.cli.report import add_report_options

    p = sub.add_parser(
        "calibrate",
        help="fit a scenario to a ticket, call or task log; report the fits; validate the model",
    )
    p.add_argument("log", type=Path, help="log file: CSV, TSV or Excel (.xlsx, needs openpyxl)")
    p.add_argument(
        "--format",
        dest="fmt",
        default="callcenter",
        choices=list(FORMAT_NAMES),
        help="log layout (default: callcenter)",
    )
    p.add_argument(
        "--map",
        dest="mapping",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help="the file's column that holds a field of the format (repeatable)",
    )
    p.add_argument("--tz", help="office time zone (IANA name); stamps with an offset are converted")
    p.add_argument("--day-type", help="day type the scenario models (default: the most frequent)")
    p.add_argument(
        "--group-by",
        default="none",
        choices=["none", "class"],
        help="one client class per log class, or all together (default)",
    )
    p.add_argument(
        "--interval",
        default="60",
        choices=list(INTERVALS),
        help="minutes per interval of the reported arrival profile",
    )
    p.add_argument(
        "--staffing",
        default="present",
        choices=["present", "seen"],
        help="how agents on duty are estimated from who served when",
    )
    p.add_argument(
        "--target-wait",
        type=_seconds,
        default=20.0,
        metavar="DURATION",
        help="service-level target written into the scenario (default 20 s)",
    )
    p.add_argument(
        "--working-hours",
        type=_seconds,
        default=8 * 3600.0,
        metavar="DURATION",
        help="task logs: hours a day tasks arrive in (default 8 h)",
    )
    p.add_argument(
        "--validate",
        action="store_true",
        help="run the calibrated scenario with the observed staffing and compare",
    )
    p.add_argument(
        "--holdout",
        type=_date,
        metavar="DATE",
        help="fit on the dates before DATE, validate on the dates from it",
    )
    add_size_options(
        p,
        replications=20,
        seed=1,
        replications_help="replications of the validation (default 20)",
        seed_help="root seed of the validation (default 1)",
    )
    p.add_argument("--jobs", type=positive_int, default=1, help="worker processes for validation")
    add_output_option(p, "reports/calibration")
    add_report_options(
        p, event_log=False, png=False, no_report_help="write the scenario and calibration.json only"
    )
    add_quiet_option(p, "print only the files written")


def cmd_calibrate(args: argparse.Namespace) -> int:
    """Run a calibration and write its files."""
    from sim.calibrate import CalibrateOptions
    from sim.experiment.calibration import CalibrationRequest, calibrate_log
    from sim.logs import ReadOptions
    from sim.report.calibration_output import write_calibration

    if args.jobs is not None and args.jobs < 1:
        raise LogFileError.single("--jobs", "", "expected a positive number of processes")
    request = CalibrationRequest(
        read=ReadOptions(fmt=args.fmt, mapping=tuple(args.mapping), tz=args.tz),
        fit=CalibrateOptions(
            interval=INTERVALS[args.interval],
            day_type=args.day_type,
            group_by=args.group_by,
            staffing=args.staffing,
            target_wait=args.target_wait,
            working_hours=args.working_hours,
        ),
        validate=args.validate,
        holdout=args.holdout,
        replications=args.replications,
        seed=args.seed,
        jobs=args.jobs,
    )
    outcome = calibrate_log(args.log, request)
    out = args.output or Path("reports") / "calibration"
    name = "back_office_tasks.yaml" if outcome.calibration is None else "calibrated.yaml"
    paths = write_calibration(
        out,
        outcome.scenario_text,
        outcome.document,
        scenario_name=name,
        pdf=args.pdf,
        report=args.report,
    )
    if not args.quiet:
        _print_summary(outcome.document)
    for path in paths[:2] + [p for p in paths if p.name.startswith("report.")]:
        print(f"wrote {path}")
    return 0


def _print_summary(doc: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    dropped = sum(r["count"] for r in doc["dropped"])
    console.print(
        f"{doc['rows_read']:,} rows read, {dropped:,} dropped, {doc['records_fitted']:,} fitted"
    )
    for r in doc["dropped"]:
        console.print(f"  dropped {r['count']:>6,}  {r['reason']}")
    val = doc.get("validation")
    if not val:
        return
    table = Table(title="Simulated vs observed (95% CI)")
    for col in ("figure", "observed", "simulated", "relative error"):
        table.add_column(col, justify="left" if col == "figure" else "right")
    for r in val["overall"]:
        o, s = r["observed"], r["simulated"]
        err = r["relative_error"]
        table.add_row(
            r["metric"],
            f"{o['mean']:.4g}",
            f"{s['mean']:.4g} [{s['ci_low']:.4g}, {s['ci_high']:.4g}]",
            "n/a" if err is None else f"{err:+.1%}",
        )
    console.print(table)

"""The calibration API: read a log, fit it, optionally validate the model against the data.

``calibrate_log`` is what ``officesim calibrate`` calls: the log is read (``sim.logs``), fitted
(``sim.calibrate``), written as scenario text, and — with ``validate`` or a ``holdout`` date —
the calibrated scenario is run against the observed staffing (``sim.experiment.validation``).
Files are written by the report layer (``sim.report.calibration_output``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sim.calibrate import CalibrateOptions, Calibration, calibrate_contacts
from sim.calibrate.backoffice import TaskTypeFit, fit_tasks
from sim.calibrate.document import calibration_document
from sim.calibrate.writer import build_scenario, scenario_yaml
from sim.experiment.validation import ValidateOptions, Validation, validate
from sim.logs import FORMATS, ReadOptions, read_contacts, read_tasks


@dataclass(frozen=True)
class CalibrationRequest:
    """Everything ``calibrate_log`` needs besides the log file."""

    read: ReadOptions = field(default_factory=ReadOptions)
    fit: CalibrateOptions = field(default_factory=CalibrateOptions)
    validate: bool = False
    holdout: dt.date | None = None
    replications: int = 20
    seed: int = 1
    jobs: int | None = 1


@dataclass(frozen=True)
class CalibrationOutcome:
    """A calibration's fits, its scenario text, its document, and the validation if run."""

    calibration: Calibration | None
    scenario_text: str
    document: dict[str, Any]
    validation: Validation | None = None
    tasks: list[TaskTypeFit] = field(default_factory=list)


def calibrate_log(
    log_file: str | Path, request: CalibrationRequest | None = None
) -> CalibrationOutcome:
    """Calibrate a scenario from a ticket or call log (and validate it when asked).

    With ``holdout`` the fit uses the dates before it and the validation the dates from it.
    A back-office task log (format ``tasks``) gives the fitted task types instead.
    """
    req = request or CalibrationRequest()
    if FORMATS.get(req.read.fmt) is not None and FORMATS[req.read.fmt].kind == "tasks":
        return _calibrate_tasks(log_file, req)
    log = read_contacts(log_file, req.read)
    validation = None
    if req.validate or req.holdout is not None:
        opts = ValidateOptions(req.holdout, req.replications, req.seed, req.jobs)
        cal, validation = validate(log, req.fit, opts)
        text = scenario_yaml(cal, None)
    else:
        cal = calibrate_contacts(log, replace(req.fit, before=None))
        text = scenario_yaml(cal)
    build_scenario(cal)  # the text must validate exactly as the file will be read
    doc = calibration_document(cal)
    if validation is not None:
        doc["validation"] = validation.to_dict()
    return CalibrationOutcome(cal, text, doc, validation)


def _calibrate_tasks(log_file: str | Path, req: CalibrationRequest) -> CalibrationOutcome:
    from sim.calibrate.backoffice_writer import tasks_document, tasks_yaml

    log = read_tasks(log_file, req.read)
    fits = fit_tasks(log, req.fit.working_hours)
    return CalibrationOutcome(None, tasks_yaml(log, fits), tasks_document(log, fits), tasks=fits)
